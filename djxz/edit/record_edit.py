"""Change some top-level fields of a record file by splicing their lines: every other byte (comments, blank lines, the
order and quoting of the other fields) stays as it was, so `git diff` shows only the fields that changed."""

from __future__ import annotations

from typing import Any

import yaml

from djxz.edit.new_record import record_text
from djxz.edit.splice import deepest_end, line_after
from djxz.errors import DataError
from djxz.load.schema import FILE_SPECS


def _render(kind: str, rel: str, key: str, value: Any) -> str:
    """`key: value` in the house style (djxz.edit.new_record), without the schema line; "" for an empty value."""
    text = record_text(kind, rel, {key: value})
    body = text.split("\n", 1)[1]
    return "" if body.strip() in ("", "{}") else body


def update_fields(text: str, kind: str, rel: str, changes: dict[str, Any]) -> str:
    """`text` with each top-level key of `changes` set to its value (None, "" or [] removes the key). A key not in the
    file goes after the last key that comes before it in the schema's order. Refuses (DataError) a record that is not a
    plain block mapping, or a result that does not read back as asked."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        raise DataError(f"{rel} 不是逐行书写的字段表，无法自动更新：请手工修改")
    nodes = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if any(k.start_mark.column != 0 for k, _ in nodes.values()):
        raise DataError(f"{rel} 的字段没有顶格书写，无法自动更新：请手工修改")
    order = [f.key for f in FILE_SPECS[kind].fields]
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, int, str]] = []  # (start, kind: 1 replace / 0 insert, end, new text)
    for key, value in changes.items():
        new = _render(kind, rel, key, value).replace("\n", newline)
        if key in nodes:
            key_node, value_node = nodes[key]
            start = key_node.start_mark.index - key_node.start_mark.column
            edits.append((start, 1, line_after(text, deepest_end(value_node)), new))
        elif new:
            before = [k for k in order[: order.index(key)] if k in nodes] if key in order else list(nodes)
            if before:
                at = line_after(text, deepest_end(nodes[before[-1]][1]))
            else:
                first = root.value[0][0]
                at = first.start_mark.index - first.start_mark.column
            if at > 0 and text[at - 1] != "\n":
                new = newline + new
            edits.append((at, 0, at, new))
    result = text
    for start, _, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        result = result[:start] + new + result[end:]
    _verify(text, result, kind, rel, changes)
    return result


def _verify(old: str, new: str, kind: str, rel: str, changes: dict[str, Any]) -> None:
    before, after = yaml.safe_load(old), yaml.safe_load(new)
    wanted = dict(before)
    for key, value in changes.items():
        rendered = yaml.safe_load(_render(kind, rel, key, value) or "{}") or {}
        if key in rendered:
            wanted[key] = rendered[key]
        else:
            wanted.pop(key, None)
    if after != wanted:  # pragma: no cover - a guard, not a path
        raise DataError(f"无法自动更新 {rel}：请手工修改")
