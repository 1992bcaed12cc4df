"""Use case `djxz export`: a year of the zone as an Excel workbook (activities, per-unit participation, per-category
counts, duty status), laid out for the office: Chinese headers, bold frozen header rows, columns fitted. Prints nothing.

The 活动 sheet uses the same columns as `djxz import activities`, so an exported sheet imports back as "already there".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from djxz.app.check import load_valid_zone
from djxz.app.sheet_cells import append_as_text, fit_columns, style_header
from djxz.app.sheet_columns import ACTIVITY_COLUMNS
from djxz.app.status import build_status
from djxz.errors import UserError
from djxz.fsio import atomic_write
from djxz.model import CATEGORIES, Zone

Progress = Callable[[str, int, int], None]

ACTIVITY_SHEET = "活动"
UNIT_SHEET = "单位参与"
CATEGORY_SHEET = "类别统计"
DUTY_SHEET = "职责"

UNIT_HEADERS = ("单位", "简称", "身份", "主办活动数", "参加活动数", "合计")
CATEGORY_HEADERS = ("“五共”类别", "活动数", "参加人数", "亮点活动数")
DUTY_HEADERS = ("责任方", "单位", "职责", "期间", "截止日期", "状态", "完成日期", "依据或说明")
TOTAL = "合计"


@dataclass
class Sheet:
    """One worksheet as plain values: what the workbook writer lays out."""

    name: str
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    freeze: str = "A2"
    wrap: tuple[str, ...] = ()  # headers of long-text columns, wrapped at MAX_WIDTH
    total_row: bool = False  # the last row sums the others: bold


@dataclass(frozen=True)
class ExportResult:
    path: Path
    year: int
    as_of: dt.date
    sheets: tuple[tuple[str, int], ...]  # (sheet name, data rows)


def build_sheets(zone: Zone, year: int, as_of: dt.date) -> list[Sheet]:
    """The workbook's sheets for `year`, as known on `as_of` (the same figures `djxz status` shows)."""

    status = build_status(zone, as_of, year)
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    activities = zone.activities_between(start, end)
    return [
        _activity_sheet(zone, activities),
        _unit_sheet(zone, status.units),
        _category_sheet(activities),
        _duty_sheet(zone, status.duties),
    ]


def _names(zone: Zone, ids: tuple[str, ...]) -> str:
    return "、".join(zone.unit_name(uid, short=True) for uid in ids)


def _activity_sheet(zone: Zone, activities) -> Sheet:
    headers = tuple(c.header for c in ACTIVITY_COLUMNS)
    rows = []
    for act in activities:
        value = {
            "date": act.date, "end_date": act.end_date, "title": act.title, "category": act.category, "kind": act.kind,
            "hosts": _names(zone, act.hosts), "participants": _names(zone, act.participants),
            "attendance": act.attendance, "location": act.location, "summary": act.summary.strip(),
            "practices": "\n".join(act.practices), "highlight": "是" if act.highlight else None,
            "plan_item": act.plan_item, "attachments": "\n".join(act.attachments), "id": act.id,
        }
        rows.append(tuple(None if value[c.path] == "" else value[c.path] for c in ACTIVITY_COLUMNS))
    return Sheet(ACTIVITY_SHEET, headers, rows, freeze="D2", wrap=("标题", "活动概况", "经验做法", "参加单位"))


def _unit_sheet(zone: Zone, counts) -> Sheet:
    rows = []
    for c in counts:
        unit = zone.unit(c.unit)
        rows.append((zone.unit_name(c.unit), zone.unit_name(c.unit, short=True), unit.role if unit else None,
                     c.hosted, c.took_part, c.hosted + c.took_part))
    return Sheet(UNIT_SHEET, UNIT_HEADERS, rows)


def _category_sheet(activities) -> Sheet:
    stats = {c: [0, 0, 0] for c in CATEGORIES}
    for act in activities:
        row = stats.setdefault(act.category, [0, 0, 0])
        row[0] += 1
        row[1] += act.attendance or 0
        row[2] += 1 if act.highlight else 0
    rows = [(category, *numbers) for category, numbers in stats.items()]
    rows.append((TOTAL, *(sum(r[i] for r in rows) for i in (1, 2, 3))))
    return Sheet(CATEGORY_SHEET, CATEGORY_HEADERS, rows, total_row=True)


def _duty_sheet(zone: Zone, duties) -> Sheet:
    rows = []
    for d in sorted(duties, key=lambda d: (d.owner_role != "牵头单位", d.deadline, d.title)):
        rows.append((d.owner_role, zone.unit_name(d.owner) if d.owner else "（无）", d.title, d.period_label, d.deadline,
                     d.status, d.completed_on, _duty_basis(d)))
    return Sheet(DUTY_SHEET, DUTY_HEADERS, rows, freeze="D2", wrap=("依据或说明",))


def _duty_basis(d) -> str | None:
    parts = []
    if d.evidence:
        first = d.evidence[0]
        parts.append(f"{first.path}:{first.line}" + (f" 等 {len(d.evidence)} 项" if len(d.evidence) > 1 else ""))
    elif d.status in ("逾期", "即将到期", "待办") and d.requirement:
        parts.append(d.requirement)
    if d.note:
        parts.append(d.note)
    return "；".join(parts) or None


# --- the workbook -----------------------------------------------------------------------------------------------------


def workbook_bytes(sheets: list[Sheet], progress: Progress | None = None) -> bytes:
    """The sheets laid out as an .xlsx file: bold frozen headers, filters, fitted columns, dates as dates."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    report = progress or (lambda stage, done, total: None)
    book = Workbook()
    book.remove(book.active)
    for done, sheet in enumerate(sheets, 1):
        ws = book.create_sheet(sheet.name)
        ws.append(list(sheet.headers))
        for row in sheet.rows:
            append_as_text(ws, row)
        for column, header in enumerate(sheet.headers, 1):
            if any(isinstance(r[column - 1], dt.date) for r in sheet.rows):
                for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = "yyyy-mm-dd"
        style_header(ws)
        if sheet.total_row and sheet.rows:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        fit_columns(ws, wrap=tuple(sheet.headers.index(h) + 1 for h in sheet.wrap))
        ws.freeze_panes = sheet.freeze
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
        report(sheet.name, done, len(sheets))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def write_workbook(sheets: list[Sheet], out: Path, progress: Progress | None = None) -> None:
    """Lay the sheets out and write the workbook atomically (a reader never sees half a file)."""
    atomic_write(out, workbook_bytes(sheets, progress))


def export_year(root: Path, today: dt.date, year: int, out: Path, as_of: dt.date | None = None,
                progress: Progress | None = None) -> ExportResult:
    """Load the zone (refusing one with errors), build the year's sheets and write them to `out`."""

    if out.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件应以 .xlsx 结尾：{out}")
    if not out.parent.is_dir():
        raise UserError(f"输出目录 {out.parent} 不存在")
    report = progress or (lambda stage, done, total: None)
    report("读取协作区", 0, 0)
    as_of = as_of or today
    zone = load_valid_zone(root, today)
    sheets = build_sheets(zone, year, as_of)
    write_workbook(sheets, out, report)
    return ExportResult(out, year, as_of, tuple((s.name, len(s.rows)) for s in sheets))
