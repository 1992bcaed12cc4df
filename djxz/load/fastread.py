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

import dataclasses
import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
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

# What sends a file to the positional path. Characters: tabs, CR, control characters, DEL, C1 controls (NEL among
# them), line and paragraph separators, U+FEFF/FFFE/FFFF, which libyaml rejects or reads specially; `& * !` start
# anchors, aliases and tags; `<` merge keys `<<` and conflict markers; a backslash an escape; `{` a flow mapping.
# At a line start: `=` and `>` (conflict markers), `---` and `...` (documents), `%` (directives), `?` (complex keys),
# and indentation deeper than yamlread allows. Two scans: one character class over the text, one search for newlines.
_SCREEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f!&*\\\\{<\u2028\u2029\ufeff\ufffe\uffff]")
_LINE_STARTS = re.compile(rb"\n(?:[=>.%?]|---| {" + str(MAX_DEPTH * 8).encode() + rb"})")
_STARTS = (b"---", b"...", b"%", b"?", b"=", b">")


def _unsure_bytes(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return _SCREEN.search(text) is not None or data.startswith(_STARTS) or _LINE_STARTS.search(data) is not None


_AMBIGUOUS = frozenset(("~", "null", "Null", "NULL"))  # plain (null) or quoted (text)? The JSON does not say.
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_MONTHDAY = re.compile(r"^([0-9]{2})-([0-9]{2})$")
_ID = re.compile(ID_PATTERN)


class _Unsure(Exception):
    """This file is not for the fast path."""


_tree = None


def emit(data: bytes) -> tuple[bytes, int] | None:
    """The file as JSON text by rapidyaml, and its node count (duplicate keys make the decoded objects disagree with
    it); None when unsure. The part of the fast path that needs no Python objects: a second process can do it."""
    global _tree
    if not AVAILABLE or len(data) > MAX_FILE_BYTES or data.count(b"[") > MAX_DEPTH or _unsure_bytes(data):
        return None
    try:
        if _tree is None:
            _tree = ryml.Tree()
        tree = _tree
        tree.clear()
        tree.clear_arena()
        ryml.parse_in_arena(data, tree)
        return ryml.emit_json_malloc(tree, tree.root_id()), tree.size()
    except Exception:  # a syntax error, or anything else: the positional path says what it is
        return None


def decode(emitted: tuple[bytes, int] | None) -> tuple[Any, int] | None:
    """emit's JSON as plain objects, with the node count; None when unsure (invalid UTF-8 fails here, as surrogates)."""
    if emitted is None:
        return None
    try:
        return _DECODE(emitted[0]), emitted[1]
    except Exception:
        return None


def plain(data: bytes) -> tuple[Any, int] | None:
    """The file as plain objects, and rapidyaml's node count; None when unsure."""
    return decode(emit(data))


def record(data: bytes, rel: str, spec: Spec, positional: Callable[[], Any] | None = None,
           emitted: tuple[bytes, int] | None | bool = False) -> Any | None:
    """The record of a clean file, or None: read it on the positional path.

    `positional()` gives the file's record read with positions; a record's marks ask for it the first time a check
    wants a field's line, so a finding has its exact line without the checks running twice. `emitted`: what `emit`
    gave for these bytes, when another process has run it.
    """
    got = plain(data) if emitted is False else decode(emitted)
    if got is None:
        return None
    value, nodes = got
    top = _top(data)
    if top is None or type(value) is not dict:
        return None
    count = [1]
    origin = _Origin(positional) if positional is not None else None
    try:
        rec = _record(value, spec, Source(rel, top[0], top[1]), Source(rel), count, origin, ())
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


class _Origin:
    """The file's record read with positions, made once, when first asked for."""

    __slots__ = ("read", "record")

    def __init__(self, read: Callable[[], Any]) -> None:
        self.read = read
        self.record = None

    def get(self) -> Any:
        if self.record is None:
            self.record = self.read() or False
        return self.record


class LazyMarks(Mapping):
    """A fast record's field positions: those of the same record read with positions, read when first asked for."""

    __slots__ = ("origin", "route", "keys", "_marks")

    def __init__(self, origin: _Origin, route: tuple, keys: dict) -> None:  # keys: the plain mapping read
        self.origin, self.route, self.keys, self._marks = origin, route, keys, None

    def _get(self) -> Mapping:
        marks = self._marks
        if marks is None:
            rec = self.origin.get()
            try:
                for step in self.route:
                    rec = rec[step] if type(step) is int else getattr(rec, step)
                marks = rec.marks
            except (AttributeError, IndexError, TypeError):  # pragma: no cover - the differential test keeps them equal
                marks = {}
            self._marks = marks
        return marks

    def __contains__(self, key: object) -> bool:  # which fields are present needs no positions
        return key in self.keys if "." not in str(key) else key in self._get()

    def __getitem__(self, key: str) -> tuple[int, int]:
        return self._get()[key]

    def get(self, key, default=None):
        return self._get().get(key, default)

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _record(value: dict, spec: Spec, src: Source, nested: Source, count: list[int], origin: _Origin | None,
            route: tuple) -> Any:
    count[0] += len(value)
    plan = _PLANS.get(id(spec))
    if plan is None or plan[0] is not spec:
        plan = _PLANS[id(spec)] = (spec, _plan(spec))
    steps, required, make = plan[1]
    values: dict[str, Any] = {}
    for key, raw in value.items():
        step = steps.get(key)
        if step is None:
            raise _Unsure
        if raw is None:
            continue
        how, convert, sub = step
        if how is _TEXT:
            if type(raw) is str and raw not in _AMBIGUOUS:
                values[key] = raw
                continue
            result = _text_of(raw)
        elif how is _SCALAR:
            result = convert(raw)
        elif how is _OBJECT:
            if type(raw) is not dict:
                raise _Unsure
            result = _record(raw, sub, nested, nested, count, origin, (*route, key))
        else:  # a list; `hosts: a` is a list of one
            if type(raw) is list:
                count[0] += len(raw)
            elif type(raw) is dict or sub is not None:
                raise _Unsure
            else:
                raw = [raw]
            if sub is not None:
                result = tuple(_record(x, sub, nested, nested, count, origin, (*route, key, i)) if type(x) is dict
                               else _raise() for i, x in enumerate(raw))
            else:
                result = tuple(v for v in (convert(x) for x in raw if x is not None) if v is not None)
            if not result:
                continue
        if result is not None:
            values[key] = result
    if not required.issubset(values):
        raise _Unsure
    return make(src, dict.fromkeys(value, NOWHERE) if origin is None else LazyMarks(origin, route, value), values)


# How each key of a spec is read: (how, convert, nested spec); with the spec's required keys and its record maker.
_TEXT, _SCALAR, _OBJECT, _LIST = "text", "scalar", "object", "list"
_PLANS: dict[int, tuple[Spec, tuple[dict, frozenset, Callable]]] = {}
_MEMO_TYPES = frozenset(("unit", "date", "enum", "month", "period"))  # values that repeat across files
_MEMO_MAX = 65536


def _plan(spec: Spec) -> tuple[dict, frozenset, Callable]:
    steps = {}
    for fld in spec.fields:
        if fld.type == "object":
            steps[fld.key] = (_OBJECT, None, fld.spec)
        elif fld.type == "list":
            item = fld.item
            steps[fld.key] = (_LIST, None, item) if isinstance(item, Spec) else (_LIST, _scalar(item), None)
        elif fld.type in ("str", "text"):
            steps[fld.key] = (_TEXT, None, None)
        else:
            steps[fld.key] = (_SCALAR, _scalar(fld), None)
    return steps, frozenset(f.key for f in spec.fields if f.required), _maker(spec.record)


def _scalar(fld: Field) -> Callable[[Any], Any]:
    """The field's conversion of one value; for values that repeat (unit ids, dates, choices), remembered by text."""
    convert = _CONVERT[fld.type]
    if fld.type not in _MEMO_TYPES:
        return lambda raw: convert(raw, fld)
    memo: dict[str, Any] = {}

    def remembered(raw: Any) -> Any:
        if type(raw) is not str:
            return convert(raw, fld)
        got = memo.get(raw)
        if got is None:
            got = convert(raw, fld)  # raises for what the positional path must read: that is never remembered
            if got is not None and len(memo) < _MEMO_MAX:
                memo[raw] = got
        return got

    return remembered


def _maker(cls: type) -> Callable[[Source, Mapping, dict], Any]:
    """Builds records of `cls` as its __init__ would, 4x faster: the defaults, then the values, into the instance dict.

    Only for a plain frozen dataclass whose every field has a plain default (all records; `marks` is given); any
    other class is built by calling it.
    """
    fields = dataclasses.fields(cls)
    plain = (dataclasses.is_dataclass(cls) and not hasattr(cls, "__slots__") and not hasattr(cls, "__post_init__")
             and all(f.default is not dataclasses.MISSING or f.name == "marks" for f in fields))
    if not plain:
        return lambda src, marks, values: cls(src=src, marks=marks, **values)
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    new = object.__new__

    def make(src: Source, marks: Mapping, values: dict) -> Any:
        obj = new(cls)
        attrs = obj.__dict__
        attrs.update(defaults)
        attrs.update(values)
        attrs["src"] = src
        attrs["marks"] = marks
        return obj

    return make


def _raise():
    raise _Unsure


# What convert.Converter.scalar gives for a plain (unquoted) or quoted scalar, per field type; _Unsure where it would
# report. A JSON string may have been quoted or plain, a JSON number or boolean was plain.

def _text_of(raw: Any) -> str:
    tr = type(raw)
    if tr is str:
        if raw in _AMBIGUOUS:
            raise _Unsure
        return raw
    if tr is bool:
        return "true" if raw else "false"  # only the plain lower-case words are JSON booleans
    if tr is int and raw != 0:  # "-0" and "0" both decode to 0
        return str(raw)
    raise _Unsure  # a float (its text is lost), a list or a mapping where a scalar belongs


def _str(raw: Any, fld: Field) -> str:
    if type(raw) is str and raw not in _AMBIGUOUS:
        return raw
    return _text_of(raw)


def _int(raw: Any, fld: Field) -> int:
    if type(raw) is not int:  # a string: quoted (an error) or not JSON (0123); a bool: an error
        raise _Unsure
    if (fld.minimum is not None and raw < fld.minimum) or (fld.maximum is not None and raw > fld.maximum):
        raise _Unsure
    return raw


def _bool(raw: Any, fld: Field) -> bool:
    if type(raw) is not bool:
        raise _Unsure
    return raw


def _id(raw: Any, fld: Field) -> str:
    text = _text_of(raw)
    if not _ID.match(text):
        raise _Unsure
    return text


def _unit(raw: Any, fld: Field) -> str:
    return intern(_id(raw, fld))  # one object per unit id


def _enum(raw: Any, fld: Field) -> str:
    text = _text_of(raw)
    try:
        return fld.choices[fld.choices.index(text)]
    except ValueError:
        raise _Unsure from None


def _date(raw: Any, fld: Field) -> dt.date:
    match = _DATE.match(_text_of(raw))
    if not match:
        raise _Unsure
    year = int(match.group(1))
    if not 1990 <= year <= 2100:
        raise _Unsure
    try:
        return dt.date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise _Unsure from None


def _month(raw: Any, fld: Field) -> str:
    text = _text_of(raw)
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise _Unsure
    return text


def _monthday(raw: Any, fld: Field) -> str:
    text = _text_of(raw)
    match = _MONTHDAY.match(text)
    if not match:
        raise _Unsure
    try:
        dt.date(2023, int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise _Unsure from None
    return text


def _period(raw: Any, fld: Field) -> str:
    text = _text_of(raw)
    if parse_period(text) is None:
        raise _Unsure
    return text


def _unknown(raw: Any, fld: Field) -> Any:
    raise _Unsure  # a type this path does not know yet: the converter does


_CONVERT: dict[str, Callable[[Any, Field], Any]] = defaultdict(lambda: _unknown, {
    "str": _str, "text": _str, "id": _id, "unit": _unit, "int": _int, "bool": _bool, "enum": _enum, "date": _date,
    "month": _month, "monthday": _monthday, "period": _period,
})


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
