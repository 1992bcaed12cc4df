"""Use case `djxz import`: the rows of an Excel sheet with Chinese headers -> one record file each, written only when the
would-be zone (the zone plus every new and changed file) passes the real loader and checks. Prints nothing.

A row names its units by id, full name or short name; dates may be Excel dates or text; several values in one cell are
separated by 、 , ; or line breaks. Rows already in the zone (same id; for activities also the same date, title and a
shared host) are compared with their record: unchanged rows are skipped, so importing the same sheet twice writes
nothing the second time; changed rows list their changed cells and are written (just those fields' lines) only with
`update=True`.

The parts: excel_read (the workbook and its cells), excel_rows (rows -> records), excel_compare (rows against the
records they match), excel_template (the empty sheet); sheet_columns holds the columns shared with `djxz export`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from djxz.app.check import diagnose_blobs, diagnose_loaded, introduced
from djxz.app.excel_compare import compare_row
from djxz.app.excel_read import CellError, UnitNames, blank, cell_text, header_row, open_book, pick_sheet, read_cell
from djxz.app.excel_read import read_date  # noqa: F401 - part of this module's interface
from djxz.app.excel_rows import (CHANGED, INVALID, NEW, REPEATED, UNCHANGED, ImportPlan, ImportRow, Matcher, Problem,  # noqa: F401
                                 diagnostic_problem, nested_required, record_values, set_path)
from djxz.app.excel_template import write_template  # noqa: F401 - part of this module's interface
from djxz.app.sheet_columns import COLUMNS, KINDS, SHEETS, Column, lookup, normalise_header, with_vocabulary  # noqa: F401
from djxz.errors import DataError, UserError
from djxz.fsio import write_files, writer_lock
from djxz.load.loader import loaded_from_bytes, read_zone_blobs
from djxz.model import ERROR, WARNING

Progress = Callable[[str, int, int], None]


def plan_import(root: Path, kind: str, path: Path, sheet: str | None, today: dt.date,
                progress: Progress | None = None) -> ImportPlan:
    """Read the sheet, map every row, and validate the new records with the real loader and checks on the would-be zone.

    Never writes. Data problems come back in `problems` (each naming its row and column); an unreadable workbook, a
    missing sheet or a sheet without our headers raises.
    """
    report = progress or (lambda stage, done, total: None)
    columns = COLUMNS[kind]
    table = lookup(columns)
    book = open_book(path)
    ws = pick_sheet(book, kind, sheet)
    report("读取工作表", 0, 0)
    raw = [tuple(r) for r in ws.iter_rows(values_only=True)]
    head = header_row(raw, table)
    if head is None:
        wanted = "、".join(c.header for c in columns if c.required)
        raise DataError(f"{path.name} 的工作表“{ws.title}”前 10 行中找不到列名行（至少应有：{wanted}）。"
                        f"可用 djxz import --template {'units' if kind == 'unit' else 'activities'} 生成模板")
    positions: dict[int, Column] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for i, value in enumerate(raw[head]):
        if blank(value):
            continue
        col = table.get(normalise_header(value))
        if col is None:
            ignored.append(cell_text(value))
        elif col in positions.values():
            problems.append(Problem(f"“{cell_text(value)}”与前面的“{col.header}”是同一列，只读前一列", head + 1, cell_text(value), WARNING))
        else:
            positions[i] = col
    present = {c.header for c in positions.values()}
    found_headers = [c.header for c in positions.values()]
    missing = [c.header for c in columns if c.required and c.header not in present]
    if missing:
        problems += [Problem(f"缺少必填的“{h}”列，整张表无法导入", head + 1) for h in missing]
        return ImportPlan(kind, root, path.name, ws.title, found_headers, ignored, [], problems)

    blobs = read_zone_blobs(root)
    report("读取协作区", 0, 0)
    before_loaded = loaded_from_bytes(root, dict(blobs))
    before_zone = before_loaded.zone
    units = UnitNames(before_zone)
    vocabulary = before_zone.info.vocabulary if before_zone.info_ok else None
    positions = {i: with_vocabulary(col, vocabulary) for i, col in positions.items()}
    data = [(n, values) for n, values in enumerate(raw[head + 1:], head + 2) if not all(blank(v) for v in values)]
    rows: list[ImportRow] = []
    matcher = Matcher(kind, before_zone, blobs)
    by_path = {c.path: c for c in columns}
    for done, (number, values) in enumerate(data, 1):
        report("读取行", done, len(data))
        row = ImportRow(number)
        rows.append(row)
        cells: dict[str, Any] = {}
        row_problems = []
        for i, col in positions.items():
            value = values[i] if i < len(values) else None
            if blank(value):
                if col.required:
                    row_problems.append(Problem("必填，不能为空", number, col.header))
                continue
            try:
                value = read_cell(col, value, units)
                if value is not False and value != []:  # "否" is the default: not written
                    set_path(cells, col.path, value)
            except CellError as exc:
                row_problems.append(Problem(str(exc), number, col.header))
        row_problems += nested_required(cells, by_path, number)
        row.values = record_values(kind, cells)
        row.record_id = row.values.get("id", "")
        if not row_problems:
            clash = matcher.place(row)
            if clash is not None:
                row_problems.append(clash)
        if row_problems:
            row.status = INVALID
            problems += row_problems

    present_columns = list(positions.values())
    for row in matcher.existing:
        try:
            compare_row(kind, row, present_columns, blobs[row.rel].decode("utf-8"))
        except (DataError, UnicodeDecodeError) as exc:
            row.status = INVALID
            problems.append(Problem(f"无法与已有记录 {row.rel} 比较：{exc}", row.row))

    candidates = [row for row in (*matcher.new, *matcher.existing) if row.status in (NEW, CHANGED)]
    if candidates:
        report("校验", 0, 1)
        before = diagnose_loaded(before_loaded, today)
        for row in candidates:
            blobs[row.rel] = row.text.encode("utf-8")
        by_rel = {row.rel: row for row in candidates}
        for d in introduced(diagnose_blobs(root, blobs, today)[1], before, set(by_rel)):
            row = by_rel.get(d.src.path) if d.src else None
            problems.append(diagnostic_problem(d, row, columns, present))
            if row is not None and d.severity == ERROR:
                row.status = INVALID
        report("校验", 1, 1)
    problems.sort(key=lambda p: (p.row or 0, p.severity != ERROR))
    return ImportPlan(kind, root, path.name, ws.title, found_headers, ignored, rows, problems, before_zone)



def write_import(plan: ImportPlan, progress: Progress | None = None, update: bool = False) -> list[Path]:
    """Write one file per new row and, with `update`, the changed records (only their changed fields' lines), all or
    none (a full disk or Ctrl-C halfway leaves no file of the import behind), under the zone's writer lock.

    Refuses (DataError) a plan with any error, or with changed rows and no `update`; nothing is written then. A record
    changed on disk since the plan read it is refused too (UserError), never overwritten."""
    if plan.errors:
        raise DataError(f"{plan.book} 有 {len(plan.errors)} 处错误，没有写入任何文件")
    changed = plan.changed_rows
    if changed and not update:
        rows = "、".join(f"第 {row.row} 行" for row in changed)
        raise DataError(f"{plan.book} 中有 {len(changed)} 行与协作区已有记录不同（{rows}），没有写入任何文件。"
                        "确认表中的内容是对的，加 --update 重新运行，只改写这些记录中改动的字段；"
                        "否则先改正表格，或用 --dry-run 预览")
    report = progress or (lambda stage, done, total: None)
    rows = plan.new_rows
    files = {plan.root / row.rel: row.text for row in rows}
    with writer_lock(plan.root):
        taken = [p for p in files if p.exists()]
        if taken:
            raise UserError(f"{taken[0]} 已存在，没有覆盖；没有写入任何文件")
        for row in changed if update else ():
            path = plan.root / row.rel
            try:
                current = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                current = None
            if current != row.old_text:
                raise UserError(f"{path} 在导入期间被改动过，没有覆盖；没有写入任何文件。请重新运行导入")
            files[path] = row.text
        write_files(files, root=plan.root)
    report("写入文件", len(files), len(files))
    return list(files)
