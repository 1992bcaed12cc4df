"""Mapping sheet rows to records: what a row becomes (its status, id, file and text), the problems found in it (each
naming its row and column), and the matcher that tells new rows from rows already in the zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from djxz import model as m
from djxz.app.excel_read import squash
from djxz.app.new import KIND_SLUGS
from djxz.app.sheet_columns import Column
from djxz.domain.ids import free_id, unit_id
from djxz.edit.new_record import record_text
from djxz.load.schema import FILE_SPECS
from djxz.model import ERROR, WARNING, Diagnostic, Zone

NEW = "新增"
UNCHANGED = "未变"  # in the zone already, every cell the sheet has the same as the record
CHANGED = "有改动"  # in the zone already, some cells differ (row.changes)
REPEATED = "重复"
INVALID = "有错误"

_INDEX = re.compile(r"[0-9]+")  # a list index in a field path such as hosts.0


@dataclass(frozen=True)
class Problem:
    """Something wrong with a row (and a column of it), or with the sheet as a whole."""

    message: str
    row: int | None = None
    header: str | None = None
    severity: str = ERROR

    def line(self, book: str) -> str:
        where = book
        if self.row is not None:
            where += f" 第 {self.row} 行"
        if self.header:
            where += f"“{self.header}”列"
        return f"{where}：{self.message}"


@dataclass
class ImportRow:
    """One data row of the sheet and what becomes of it."""

    row: int
    status: str = NEW
    record_id: str = ""
    rel: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    note: str = ""  # why a row is skipped
    old_text: str = ""  # a row already in the zone: its record file's text as read (row.rel is that file)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (header, old, new) of a CHANGED row


@dataclass
class ImportPlan:
    """What `djxz import` would do: every row with its status, and every problem found (errors block all writing)."""

    kind: str
    root: Path
    book: str
    sheet: str
    headers: list[str]  # the recognised columns, in sheet order
    ignored: list[str]  # headers that are not ours
    rows: list[ImportRow]
    problems: list[Problem]
    zone: Zone | None = None  # the zone before the import: to show unit names

    def unit_name(self, unit_id: str) -> str:
        return self.zone.unit_name(unit_id, short=True) if self.zone is not None else unit_id

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def new_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == NEW]

    @property
    def skipped(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status in (UNCHANGED, REPEATED)]

    @property
    def changed_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == CHANGED]



def set_path(values: dict[str, Any], path: str, value: Any) -> None:
    """Put `value` at a dotted path; `contacts.0.name` builds a list of one mapping."""
    parts = path.split(".")
    if len(parts) == 1:
        values[path] = value
    elif len(parts) == 2:
        values.setdefault(parts[0], {})[parts[1]] = value
    else:
        items = values.setdefault(parts[0], [{}])
        items[int(parts[1])][parts[2]] = value


def nested_required(values: dict[str, Any], by_path: dict[str, Column], row: int) -> list[Problem]:
    """A party organisation needs its name, a contact its person: the loader would point at the wrong cell."""
    problems = []
    for key, prefix in (("party_org", "party_org."), ("contacts", "contacts.0.")):
        group = values.get(key)
        first = group[0] if isinstance(group, list) else group
        if first and "name" not in first:
            given = "、".join(f"“{by_path[prefix + k].header}”" for k in first)
            problems.append(Problem(f"填了{given}，这一列也必填", row, by_path[prefix + "name"].header))
    return problems


def record_values(kind: str, cells: dict[str, Any]) -> dict[str, Any]:
    """The record's fields in the schema's order (the house style), from the values read off the row."""
    return {f.key: cells[f.key] for f in FILE_SPECS[kind].fields if f.key in cells}


def _field_lines(text: str) -> dict[int, str]:
    """Line number -> the field written on it (`hosts`, `party_org.name`, `contacts.phone`) in a file we wrote."""
    out: dict[int, str] = {}
    top = ""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key = re.match(r"^([a-z_]+):", line)
        if key:
            top = key.group(1)
            out[number] = top
            continue
        sub = re.match(r"^\s+(?:-\s+)?([a-z_]+):", line)
        out[number] = f"{top}.{sub.group(1)}" if sub and top in ("party_org", "contacts") else top
    return out


def _column_for(field_path: str, columns: tuple[Column, ...]) -> Column | None:
    plain = ".".join(p for p in field_path.split(".") if not _INDEX.fullmatch(p))
    for col in columns:
        if ".".join(p for p in col.path.split(".") if not _INDEX.fullmatch(p)) == plain:
            return col
    top = plain.split(".")[0]
    return next((c for c in columns if c.path == top), None)


def diagnostic_problem(d: Diagnostic, row: ImportRow | None, columns: tuple[Column, ...], present: set[str]) -> Problem:
    hint = f"（提示：{d.hint}）" if d.hint else ""
    if row is None:  # the new rows broke something in a file already there
        return Problem(f"{d.src}：[{d.code}] {d.message}{hint}", severity=d.severity)
    header = None
    message = d.message
    if d.src and d.src.line:
        field_path = _field_lines(row.text).get(d.src.line)
        col = _column_for(field_path, columns) if field_path else None
        if col is not None and col.header in present:
            header = col.header
            # The loader names the YAML key; the clerk knows the column.
            message = re.sub(rf"“{re.escape(field_path.split('.')[0])}(\.[0-9]+)?”", f"“{header}”", message)
    return Problem(f"[{d.code}] {message}{hint}", row.row, header, d.severity)



class Matcher:
    """Decides for each good row: already in the zone, a repeat of an earlier row, or new (with its id and path)."""

    def __init__(self, kind: str, zone: Zone, blobs: dict[str, bytes]) -> None:
        self.kind = kind
        self.zone = zone
        folder = "units/" if kind == "unit" else "activities/"
        # Ids taken by any file, readable or not: a new file must never replace one.
        self.taken = {rel.rsplit("/", 1)[-1][:-5]: rel for rel in blobs if rel.startswith(folder)}
        self.new: list[ImportRow] = []
        self.existing: list[ImportRow] = []  # rows matching a record of the zone
        self.found: dict[str, int] = {}  # record id -> the first row matching it
        self.seen: dict[Any, int] = {}
        self.names = {u.name: u.id for u in zone.units.values()}
        self.activities: dict[tuple, list[m.Activity]] = {}
        for act in zone.activities:
            self.activities.setdefault(_activity_key(act.date, act.title), []).append(act)

    def place(self, row: ImportRow) -> Problem | None:
        """Set the row's status, id, path and text; a Problem when it clashes with a unit already in the zone."""
        values = row.values
        if self.kind == "unit":
            if not values.get("id"):  # proposed from the short name in pinyin (docs/desktop.md), never one taken
                same = self.names.get(values.get("name", ""))
                base = same or unit_id(values.get("short_name") or values.get("name", ""), values.get("type", "")) or "danwei"
                proposed = same or free_id(base, lambda x: x in self.taken or x in self.seen)
                values = row.values = {"id": proposed, **values}
            uid = row.record_id = values["id"]
            if uid in self.taken:
                return self._found(row, uid)
            if uid in self.seen:
                row.status, row.note = REPEATED, f"同第 {self.seen[uid]} 行"
                return None
            other = self.names.get(values["name"])
            if other is not None:
                return Problem(f"协作区已有单位“{values['name']}”，编号为 {other}；同一单位不要用另一个编号再导入一次",
                               row.row, "全称")
            self.seen[uid] = row.row
            rel = f"units/{uid}.yaml"
        else:
            explicit = values.get("id")
            if explicit and explicit in self.taken:
                return self._found(row, explicit)
            key = _activity_key(values["date"], values["title"])
            hosts = set(values["hosts"])
            same = [a for a in self.activities.get(key, []) if hosts & set(a.hosts)]
            if same and same[0].id in self.taken:
                return self._found(row, same[0].id)
            for (earlier, earlier_hosts), first_row in self.seen.items():
                if earlier == key and hosts & earlier_hosts:
                    row.status, row.note = REPEATED, f"同第 {first_row} 行"
                    return None
            self.seen[(key, frozenset(hosts))] = row.row
            row.record_id = explicit or self._new_id(values)
            values = row.values = record_values("activity", {**values, "id": row.record_id})
            rel = f"activities/{values['date'].year}/{row.record_id}.yaml"
        self.taken[row.record_id] = rel
        row.rel = rel
        row.text = record_text(self.kind, rel, values)
        self.new.append(row)
        return None

    def _found(self, row: ImportRow, record_id: str) -> None:
        """A row already in the zone: compared with its file later (excel_compare); a second row for it repeats it."""
        if record_id in self.found:
            row.record_id = record_id
            row.status, row.note = REPEATED, f"同第 {self.found[record_id]} 行"
            return None
        self.found[record_id] = row.row
        row.record_id = record_id
        row.status = UNCHANGED
        row.rel = self.taken[record_id]
        self.existing.append(row)
        return None

    def _new_id(self, values: dict[str, Any]) -> str:
        base = f"{values['date'].isoformat()}-{KIND_SLUGS.get(values['kind'], 'huodong')}"
        record_id, n = base, 1
        while record_id in self.taken:
            n += 1
            record_id = f"{base}-{n}"
        return record_id


def _activity_key(date: dt.date, title: str) -> tuple:
    return date, squash(title)

