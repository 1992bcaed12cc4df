"""Comparing a sheet row with the record it matches: which cells differ (old -> new) and the record's text with just
those fields changed (djxz.edit.record_edit). Only the columns the sheet has are compared: a column left out of the
sheet never empties a field."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import yaml

from djxz.app.excel_rows import CHANGED, UNCHANGED, ImportRow
from djxz.app.sheet_columns import Column
from djxz.edit.record_edit import update_fields

EMPTY = "（空）"
_INDEX = re.compile(r"[0-9]+")  # a list index in a field path such as contacts.0.phone


def _get(values: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(values, dict):
            values = values.get(part)
        elif isinstance(values, list) and _INDEX.fullmatch(part):
            values = values[int(part)] if int(part) < len(values) else None
        else:
            return None
    return values


def _norm(value: Any) -> Any:
    """A value as compared: empty things are None, dates and numbers as text, text without outer spaces."""
    if value is None or value is False or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(_norm(v) for v in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, int, float)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, str):
        return "\n".join(line.rstrip() for line in value.strip().split("\n"))
    return value


def _show(value: Any) -> str:
    value = _norm(value)
    if value is None:
        return EMPTY
    if value is True:
        return "是"
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def compare_row(kind: str, row: ImportRow, columns: list[Column], old_text: str) -> None:
    """Set the row's status to UNCHANGED or CHANGED; for CHANGED, `row.changes` and `row.text` (the record with just the
    changed fields' lines replaced). Raises DataError when the record cannot be edited line by line."""
    row.old_text = old_text
    old = yaml.safe_load(old_text)
    if not isinstance(old, dict):
        old = {}
    top: dict[str, Any] = {}
    for col in columns:
        if col.path == "id":
            continue
        before, after = _get(old, col.path), _get(row.values, col.path)
        if _norm(before) == _norm(after):
            continue
        row.changes.append((col.header, _show(before), _show(after)))
        key, *rest = col.path.split(".")
        if not rest:
            top[key] = after
            continue
        group = top.get(key, copy.deepcopy(old.get(key)))
        if _INDEX.fullmatch(rest[0]):  # contacts.0.phone: the first contact of the list
            group = group if isinstance(group, list) and group else [{}]
            target = group[int(rest[0])] if isinstance(group[int(rest[0])], dict) else {}
            group[int(rest[0])] = target
            sub = rest[1]
        else:
            group = group if isinstance(group, dict) else {}
            target, sub = group, rest[0]
        if after is None:
            target.pop(sub, None)
        else:
            target[sub] = after
        top[key] = None if group in ({}, [{}]) else group
    if not row.changes:
        row.status = UNCHANGED
        return
    row.status = CHANGED
    row.text = update_fields(old_text, kind, row.rel, top)
