"""Append a turn to a rotation in zone.yaml by splicing text at the parser's marks: every other byte stays as it was.

A round trip through ruamel would re-indent flow lists, move comments and requote scalars in files a clerk formatted by
hand, so this edit reads positions with a composer and inserts only the new lines, in the style of the turns already
there (indentation, quoting, block or flow). The result is parsed back and compared with the original before it is used.
"""

from __future__ import annotations

import re

import yaml

from djxz.edit.splice import deepest_end, line_after
from djxz.edit.yamlio import dump_text
from djxz.errors import DataError

_PLAIN_SAFE = re.compile(r"^[\w\u4e00-\u9fff（）、，。；-]+$")


def _compose(text: str) -> yaml.Node:
    # The pure-Python composer: its marks index characters of `text` itself (BOM and CRLF included), which we splice.
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _get(mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _name_of(node: yaml.Node) -> str | None:
    found = _get(node, "name")
    return found[1].value if found and isinstance(found[1], yaml.ScalarNode) else None


def _quote(value: str, style: str | None) -> str:
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "'" or not _PLAIN_SAFE.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    return value


def _period_style(rotation: yaml.Node) -> str | None:
    """The quoting the file already uses for periods: the last turn's, else the anchor's, else single quotes."""
    for key in ("turns", "anchor"):
        found = _get(rotation, key)
        if not found:
            continue
        node = found[1]
        if isinstance(node, yaml.SequenceNode) and node.value:
            node = node.value[-1]
        period = _get(node, "period")
        if period and isinstance(period[1], yaml.ScalarNode):
            return period[1].style or None
    return "'"


def _fields(period: str, unit: str, note: str | None, style: str | None, order: list[str]) -> list[str]:
    values = {"period": _quote(period, style), "unit": _quote(unit, None)}
    if note:
        values["note"] = _quote(note, None)
    keys = [k for k in order if k in values] + [k for k in values if k not in order]
    return [f"{k}: {values[k]}" for k in keys]


def _keys_of(node: yaml.Node | None) -> list[str]:
    if isinstance(node, yaml.MappingNode):
        return [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    return ["period", "unit", "note"]


def _block_item(fields: list[str], dash_col: int, key_col: int, newline: str) -> str:
    first = " " * dash_col + "-" + " " * max(1, key_col - dash_col - 1) + fields[0]
    rest = [" " * key_col + f for f in fields[1:]]
    return newline.join([first, *rest]) + newline


def _sequence_indent(text: str, rotation: yaml.Node, key_col: int) -> tuple[int, int]:
    """(dash column, item column) for a new block list under a key at `key_col`, copied from `order:` when it is one."""
    order = _get(rotation, "order")
    if order and isinstance(order[1], yaml.SequenceNode) and not order[1].flow_style and order[1].value:
        item = order[1].value[0]
        dash = _dash_index(text, item.start_mark.index)
        line_start = text.rfind("\n", 0, dash) + 1
        return (dash - line_start) - key_col, item.start_mark.column - key_col
    return 2, 4


def _dash_index(text: str, item_start: int) -> int:
    i = item_start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0 or text[i] != "-":
        raise DataError("zone.yaml 的轮值记录格式无法识别，请手工添加这一期的轮值记录")
    return i


def add_turn(text: str, rotation_name: str, period: str, unit: str, note: str | None = None) -> str:
    """zone.yaml's text with the turn `period: unit` appended to rotation `rotation_name`; unchanged if already there."""
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise DataError(f"zone.yaml 无法解析，没有修改：{exc}") from None
    rotations = _get(root, "rotations")
    if rotations is None or not isinstance(rotations[1], yaml.SequenceNode):
        raise DataError("zone.yaml 中没有轮值安排 rotations")
    rotation = next((r for r in rotations[1].value if _name_of(r) == rotation_name), None)
    if rotation is None:
        raise DataError(f"zone.yaml 中没有名为“{rotation_name}”的轮值安排")
    if not isinstance(rotation, yaml.MappingNode) or rotation.flow_style:
        raise DataError("zone.yaml 的轮值安排写成了单行形式，无法自动添加记录，请手工添加")
    newline = "\r\n" if "\r\n" in text else "\n"
    style = _period_style(rotation)
    found = _get(rotation, "turns")
    seq = found[1] if found else None
    if isinstance(seq, yaml.SequenceNode):
        for item in seq.value:
            existing = _get(item, "period")
            if existing and existing[1].value == period:
                return text
    key_col = rotation.value[0][0].start_mark.column

    if isinstance(seq, yaml.SequenceNode) and seq.flow_style:
        last = seq.value[-1] if seq.value else None
        entry = "{" + ", ".join(_fields(period, unit, note, style, _keys_of(last))) + "}"
        if last is None:
            at = seq.end_mark.index - 1  # just before "]"
            new = text[:at] + entry + text[at:]
        else:
            at = last.end_mark.index
            new = text[:at] + ", " + entry + text[at:]
    elif isinstance(seq, yaml.SequenceNode) and seq.value:
        last = seq.value[-1]
        fields = _fields(period, unit, note, style, _keys_of(last))
        dash = _dash_index(text, last.start_mark.index)
        dash_col = dash - (text.rfind("\n", 0, dash) + 1)
        at = line_after(text, deepest_end(last))
        if isinstance(last, yaml.MappingNode) and last.flow_style:
            item = " " * dash_col + "- {" + ", ".join(fields) + "}" + newline
        else:
            item = _block_item(fields, dash_col, last.start_mark.column, newline)
        prefix = "" if at == 0 or text[at - 1] == "\n" else newline
        new = text[:at] + prefix + item + text[at:]
    else:
        fields = _fields(period, unit, note, style, ["period", "unit", "note"])
        dash_off, item_off = _sequence_indent(text, rotation, key_col)
        block = _block_item(fields, key_col + dash_off, key_col + item_off, newline)
        if found is None:
            at = line_after(text, deepest_end(rotation))
            prefix = "" if at == 0 or text[at - 1] == "\n" else newline
            new = text[:at] + prefix + " " * key_col + "turns:" + newline + block + text[at:]
        else:  # `turns:` with nothing (or null) after it
            key, value = found
            colon = text.index(":", key.end_mark.index)
            end = max(value.end_mark.index, colon + 1)
            start = colon + 1 if end > colon + 1 else end
            text_wo = text[:start] + text[end:]  # drop a written `~` or `null`; a comment stays on the key's line
            at = line_after(text_wo, start)
            prefix = "" if text_wo[at - 1] == "\n" else newline
            new = text_wo[:at] + prefix + block + text_wo[at:]
    _verify(text, new, rotation_name, period, unit, note)
    return new


def rotation_order(text: str, rotation_name: str) -> list[str]:
    """The unit ids in the order of rotation `rotation_name` (empty when the file has none)."""
    order = _order_node(_compose(text), rotation_name)
    return [item.value for item in order.value if isinstance(item, yaml.ScalarNode)] if order is not None else []


def _order_node(root: yaml.Node, rotation_name: str) -> yaml.SequenceNode | None:
    rotations = _get(root, "rotations")
    if rotations is None or not isinstance(rotations[1], yaml.SequenceNode):
        return None
    rotation = next((r for r in rotations[1].value if _name_of(r) == rotation_name), None)
    found = _get(rotation, "order") if rotation is not None else None
    return found[1] if found and isinstance(found[1], yaml.SequenceNode) else None


def insert_in_order(text: str, rotation_name: str, unit: str, position: int) -> str:
    """zone.yaml's text with `unit` at index `position` of the rotation's order (unchanged when already in it).

    Only the new list item is inserted, in the style of its neighbours (block or flow, indentation, quoting)."""
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise DataError(f"zone.yaml 无法解析，没有修改：{exc}") from None
    order = _order_node(root, rotation_name)
    if order is None or not order.value:
        raise DataError(f"zone.yaml 中没有轮值安排“{rotation_name}”的轮值顺序 order，请手工把新单位加入轮值顺序")
    ids = [item.value for item in order.value]
    if unit in ids:
        return text
    position = max(0, min(position, len(ids)))
    newline = "\r\n" if "\r\n" in text else "\n"
    if order.flow_style:
        if position < len(ids):
            at = order.value[position].start_mark.index
            new = text[:at] + _quote(unit, None) + ", " + text[at:]
        else:
            at = order.value[-1].end_mark.index
            new = text[:at] + ", " + _quote(unit, None) + text[at:]
    else:
        neighbour = order.value[min(position, len(ids) - 1)]
        dash = _dash_index(text, neighbour.start_mark.index)
        line_start = text.rfind("\n", 0, dash) + 1
        gap = neighbour.start_mark.index - dash - 1
        item = " " * (dash - line_start) + "-" + " " * gap + _quote(unit, neighbour.style) + newline
        at = line_start if position < len(ids) else line_after(text, order.value[-1].end_mark.index)
        prefix = "" if at == 0 or text[at - 1] == "\n" else newline
        new = text[:at] + prefix + item + text[at:]
    try:
        got = rotation_order(new, rotation_name)
        same_rest = _data(_compose(new)) is not None
    except yaml.YAMLError:
        got, same_rest = [], False
    if not same_rest or got != ids[:position] + [unit] + ids[position:] or len(new.splitlines()) > len(text.splitlines()) + 1:
        raise DataError("无法在保持 zone.yaml 原有格式的前提下把新单位加入轮值顺序，没有修改任何文件；请手工添加")
    return new


def _data(node: yaml.Node):
    """A composed node as plain nested data of raw scalar text: what a file means, without its layout."""
    if isinstance(node, yaml.MappingNode):
        return [(_data(k), _data(v)) for k, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return [_data(v) for v in node.value]
    return node.value


def _verify(old: str, new: str, rotation_name: str, period: str, unit: str, note: str | None) -> None:
    """The edited file must read back as the old one plus exactly the new turn; otherwise nothing is written."""
    try:
        before, after = _compose(old), _compose(new)
    except yaml.YAMLError:
        before = after = None
    ok = before is not None and after is not None
    if ok:
        want = _data(before)
        expected = [("period", period), ("unit", unit)] + ([("note", note)] if note else [])
        for key, rotations in want:
            if key != "rotations":
                continue
            for rot in rotations:
                if ("name", rotation_name) in rot:
                    for i, (k, v) in enumerate(rot):
                        if k == "turns":
                            rot[i] = (k, (v if isinstance(v, list) else []) + [sorted(expected)])
                            break
                    else:
                        rot.append(("turns", [sorted(expected)]))
        got = _data(after)
        for key, rotations in got:  # the new turn's keys may follow the file's own order: compare it sorted
            if key == "rotations":
                for rot in rotations:
                    if ("name", rotation_name) in rot:
                        for i, (k, v) in enumerate(rot):
                            if k == "turns" and v:
                                v[-1] = sorted(v[-1]) if isinstance(v[-1], list) else v[-1]
        ok = want == got
    if not ok:
        raise DataError("无法在保持 zone.yaml 原有格式的前提下自动添加轮值记录，没有修改任何文件；请手工添加这一期的轮值记录")


PLAN_SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/plan.schema.json"


def new_plan_text(year: int, duty_unit: str, items, comments: list[str] = ()) -> str:
    """A new plans/<year>.yaml in the house style: the schema line, `comments` as comment lines, then the plan."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq


    plan = CommentedMap()
    plan["year"] = year
    plan["duty_unit"] = duty_unit
    seq = CommentedSeq()
    for item in items:
        entry = CommentedMap()
        entry["id"] = item.id
        entry["title"] = item.title
        entry["kind"] = item.kind
        entry["category"] = item.category
        entry["date"] = item.date
        if item.host:
            entry["host"] = item.host
        if item.note:
            entry["note"] = item.note
        seq.append(entry)
    plan["items"] = seq
    header = [PLAN_SCHEMA_LINE, *(f"# {line}" for line in comments)]
    return "\n".join(header) + "\n" + dump_text(plan)
