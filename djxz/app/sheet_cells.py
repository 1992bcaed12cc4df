"""Cells of the workbooks djxz writes: display widths (CJK counts two), the bold header row, fitted columns, and
values appended as text so nothing a record holds is ever evaluated as a formula. Shared by export and import."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from djxz.escape import xlsx_needs_guard, xlsx_text

MAX_WIDTH = 60  # characters (a CJK character counts two): longer text wraps


def display_width(text: str) -> int:
    """Columns a text takes in Excel's default font: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    return max(display_width(line) for line in str(value).split("\n"))


def style_header(ws, row: int = 1) -> None:
    """Bold header cells on a light fill, a thin line below."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    for cell in ws[row]:
        if cell.value is None:
            continue
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
        cell.border = Border(bottom=Side(style="thin"))


def fit_columns(ws, limit: int = MAX_WIDTH, wrap: tuple[int, ...] = ()) -> None:
    """Each column as wide as its widest cell (CJK counts double), at most `limit`; columns in `wrap` wrap beyond it."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _cell_width(cell.value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width, 4) + 2, limit + 2)
    for column in wrap:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def append_as_text(ws, row) -> None:
    """Append a row of record values: a value that looks like a formula (`=HYPERLINK(...)`, `+1`, `@SUM`) is stored
    as a string with Excel's quote prefix, so no spreadsheet ever evaluates it or turns it into a link."""
    ws.append([xlsx_text(v) for v in row])
    for cell, value in zip(ws[ws.max_row], row):
        if xlsx_needs_guard(value):
            cell.value = xlsx_text(value)
            cell.data_type = "s"
            cell.quotePrefix = True
