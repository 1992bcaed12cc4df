"""Give an issued document's record its number (发文字号 序号) by splicing one line: every other byte stays as it was."""

from __future__ import annotations

import yaml

from djxz.errors import DataError

# The keys a `number:` line goes after, in the schema's order (djxz.load.schema.DOCUMENT): after the last one present.
_BEFORE_NUMBER = ("id", "kind", "title", "date", "issuer")


def set_number(text: str, number: int) -> str:
    """`text` with `number: <number>` added at the top level of the record. Refuses (DataError) when the record already
    has a number, or is not a plain block mapping."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        raise DataError("文件记录不是逐行书写的字段表，无法自动添加发文字号：请手工添加 number")
    keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "number" in keys:
        raise DataError(f"文件记录已有发文字号序号 number: {keys['number'][1].value}")
    anchor = next((keys[k] for k in reversed(_BEFORE_NUMBER) if k in keys), root.value[-1])
    key_node, value_node = anchor
    end = value_node.end_mark.index
    if end > 0 and text[end - 1] == "\n":  # a block scalar's end is the start of the next line
        at = end
    else:
        line_end = text.find("\n", end)
        at = len(text) if line_end < 0 else line_end + 1
    newline = "\r\n" if "\r\n" in text else "\n"
    prefix = "" if at == 0 or text[at - 1] == "\n" else newline
    indent = " " * key_node.start_mark.column
    result = text[:at] + f"{prefix}{indent}number: {number}{newline}" + text[at:]
    data = yaml.safe_load(result)
    if not isinstance(data, dict) or data.get("number") != number:  # pragma: no cover - a guard, not a path
        raise DataError("无法自动添加发文字号：请手工在文件记录中添加 number")
    return result
