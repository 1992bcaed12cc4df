"""The fast read path for clean files: rapidyaml parses, its JSON emitter and msgspec make plain objects, and the
declared schema builds records from them without positions.

It answers only for files it can vouch for. Anything where rapidyaml might read YAML differently from libyaml (anchors,
tags, merge keys, escapes, tabs, control characters, directives, flow mappings...), any value the positional path
would report, and anything ambiguous (a JSON string "~" may have been a plain null or a quoted "~") returns None: the
caller then reads that file on the positional path (yamlread + convert), which owns every message and position.
Records built here carry the top record's exact position (checks cite it in messages), and for every field a mark
(0, 0): a diagnostic citing it has no line, which tells the caller to read that file again with positions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from contextlib import contextmanager
from sys import intern
from typing import Any

from djxz.domain.periods import parse_period
from djxz.load.schema import ID_PATTERN, Field, Spec
from djxz.load.yamlread import MAX_DEPTH, MAX_FILE_BYTES
from djxz.model import Source

try:  # both are C extensions with wheels for our platforms; without them every file takes the positional path
    import msgspec
    import ryml

    _DECODE = msgspec.json.Decoder().decode
    AVAILABLE = True
except ImportError:  # pragma: no cover - declared dependencies
    AVAILABLE = False

NOWHERE = (0, 0)  # a field's mark on the fast path: its line is found by reading the file again

# Bytes that send a file to the positional path. Tabs, CR, control characters, C1 controls, NEL, line and paragraph
# separators, U+FEFF/FFFE/FFFF: libyaml rejects or reads them specially. `& * !` start anchors, aliases and tags; `<<`
# merge keys (and conflict markers); a backslash an escape; `{` a flow mapping. At a line start: directives, document
# markers, complex keys, conflict markers.
_SCREEN = re.compile(
    rb"[\x00-\x09\x0b-\x1f\x7f!&*\\{]|<<|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbb\xbf|\xef\xbf[\xbe\xbf]"
    rb"|^(?:---|\.\.\.|%|\?|={7}|>{7})|^ {" + str(MAX_DEPTH * 8).encode() + rb",}\S",
    re.M,
)
_AMBIGUOUS = frozenset(("~", "null", "Null", "NULL"))  # plain (null) or quoted (text)? The JSON does not say.
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MONTHDAY = re.compile(r"^(\d{2})-(\d{2})$")
_ID = re.compile(ID_PATTERN)


class _Unsure(Exception):
    """This file is not for the fast path."""


_tree = None


def plain(data: bytes) -> tuple[Any, int] | None:
    """The file as plain objects, and rapidyaml's node count (duplicate keys make the two disagree); None when unsure."""
    global _tree
    if not AVAILABLE or len(data) > MAX_FILE_BYTES or data.count(b"[") > MAX_DEPTH or _SCREEN.search(data):
        return None
    try:
        if _tree is None:
            _tree = ryml.Tree()
        tree = _tree
        tree.clear()
        tree.clear_arena()
        ryml.parse_in_arena(data, tree)
        value = _DECODE(ryml.emit_json_malloc(tree, tree.root_id()))  # invalid UTF-8 fails here, as surrogates
        return value, tree.size()
    except Exception:  # a syntax error, or anything else: the positional path says what it is
        return None


def record(data: bytes, rel: str, spec: Spec) -> Any | None:
    """The record of a clean file, or None: read it on the positional path."""
    got = plain(data)
    if got is None:
        return None
    value, nodes = got
    top = _top(data)
    if top is None or type(value) is not dict:
        return None
    count = [1]
    try:
        rec = _record(value, spec, Source(rel, top[0], top[1]), Source(rel), count)
    except _Unsure:
        return None
    return rec if count[0] == nodes else None  # a duplicate key: the positional path reports it


def _top(data: bytes) -> tuple[int, int] | None:
    """Line and column of the first key (libyaml's start mark of the top mapping): skip blank and comment lines."""
    pos, line, size = 0, 1, len(data)
    while pos < size:
        end = data.find(b"\n", pos)
        if end < 0:
            end = size
        text = data[pos:end]
        body = text.lstrip(b" ")
        if body and not body.startswith(b"#"):
            return line, len(text) - len(body) + 1
        pos, line = end + 1, line + 1
    return None


def _record(value: dict, spec: Spec, src: Source, nested: Source, count: list[int]) -> Any:
    count[0] += len(value)
    values: dict[str, Any] = {}
    by_key = spec.by_key
    for key, raw in value.items():
        fld = by_key.get(key)
        if fld is None:
            raise _Unsure
        if raw is None:
            continue
        kind = fld.type
        if kind == "object":
            if type(raw) is not dict:
                raise _Unsure
            values[key] = _record(raw, fld.spec, nested, nested, count)
        elif kind == "list":
            item = fld.item
            if type(raw) is list:
                count[0] += len(raw)
            elif type(raw) is dict or isinstance(item, Spec):
                raise _Unsure
            else:
                raw = [raw]  # `hosts: a` is a list of one
            if isinstance(item, Spec):
                out = tuple(_record(x, item, nested, nested, count) if type(x) is dict else _raise() for x in raw)
            else:
                out = tuple(v for v in (_scalar(x, item) for x in raw if x is not None) if v is not None)
            if out:
                values[key] = out
        else:
            result = _scalar(raw, fld)
            if result is not None:
                values[key] = result
    for fld in spec.fields:
        if fld.required and fld.key not in values:
            raise _Unsure
    return spec.record(src=src, marks=dict.fromkeys(value, NOWHERE), **values)


def _raise():
    raise _Unsure


def _scalar(raw: Any, fld: Field) -> Any:
    """What convert.Converter.scalar gives for a plain (unquoted) or quoted scalar; _Unsure where it would report."""
    kind = fld.type
    tr = type(raw)
    if tr is str:
        if raw in _AMBIGUOUS or kind == "int" or kind == "bool":
            raise _Unsure  # an int or a bool written as a string is quoted (an error) or not JSON (0123): ask libyaml
        text = raw
    elif tr is bool:
        if kind == "bool":
            return raw
        text = "true" if raw else "false"  # only the plain lower-case words are JSON booleans
    elif tr is int:
        if raw == 0 and kind != "int":
            raise _Unsure  # "-0" and "0" both decode to 0
        if kind == "int":
            if (fld.minimum is not None and raw < fld.minimum) or (fld.maximum is not None and raw > fld.maximum):
                raise _Unsure
            return raw
        text = str(raw)
    else:  # a float (its text is lost), a list or a mapping where a scalar belongs
        raise _Unsure
    if kind == "str" or kind == "text":
        return text
    if kind == "unit":
        if not _ID.match(text):
            raise _Unsure
        return intern(text)
    if kind == "id":
        if not _ID.match(text):
            raise _Unsure
        return text
    if kind == "enum":
        try:
            return fld.choices[fld.choices.index(text)]
        except ValueError:
            raise _Unsure from None
    if kind == "date":
        match = _DATE.match(text)
        if not match:
            raise _Unsure
        year = int(match.group(1))
        if not 1990 <= year <= 2100:
            raise _Unsure
        try:
            return dt.date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise _Unsure from None
    if kind == "month":
        match = _MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise _Unsure
        return text
    if kind == "monthday":
        match = _MONTHDAY.match(text)
        if not match:
            raise _Unsure
        try:
            dt.date(2023, int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise _Unsure from None
        return text
    if kind == "period":
        if parse_period(text) is None:
            raise _Unsure
        return text
    raise _Unsure  # a type this path does not know yet: the converter does


@contextmanager
def quiet_stderr():
    """rapidyaml prints its own parse errors on stderr before raising; the positional path words them for the user."""
    if not AVAILABLE:
        yield
        return
    try:
        saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - no fd 2 to silence
        yield
        return
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)
