"""Reading an import workbook: open it safely (zip-bomb and XML-entity guards), pick the sheet, find the header row,
and turn each cell into the value a record holds (dates, integers, yes/no, unit names -> ids). Raises CellError with a
Chinese message for a cell that cannot be read."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from djxz.app.sheet_columns import HELP_SHEET, SHEETS, Column, normalise_header
from djxz.errors import DataError, UserError
from djxz.model import Zone
from djxz.zipguard import check_office_zip

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SPLIT = re.compile(r"\s*(?:[、,，;；]|\r?\n)+\s*")
_LINES = re.compile(r"\s*\r?\n\s*")
_DATE_TEXT = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")  # fullmatch, ASCII
_INT_TEXT = re.compile(r"([0-9]+)\s*(?:人|名|个)?")
_YES = frozenset(("是", "√", "✓", "✔", "y", "yes", "true", "1", "亮点"))
_NO = frozenset(("否", "×", "n", "no", "false", "0"))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Excel's serial day numbers for 1990-01-01 .. 2100-12-31: a date typed into a cell formatted as a number.
_SERIALS = (32874, 73415)


try:  # what defusedxml raises for a DTD, an entity or an external reference inside the workbook's XML
    from defusedxml import DefusedXmlException as _DefusedXmlException

    XML_BOMBS: tuple = (_DefusedXmlException,)
except ImportError:  # pragma: no cover - a dependency; without it openpyxl's own parser is used
    XML_BOMBS = ()


def open_book(path: Path):
    """The workbook at `path`, read with cached formula values; a Chinese error for anything that is not an .xlsx."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise UserError(f"找不到 Excel 文件 {path}")
    check_office_zip(path, "Excel 文件")  # before openpyxl inflates anything
    try:
        return load_workbook(path, data_only=True)
    except (*XML_BOMBS, SyntaxError) as exc:  # defusedxml's refusals; lxml's and ElementTree's parse errors
        raise DataError(f"Excel 文件 {path.name} 的 XML 无效或含有实体定义（{exc.__class__.__name__}，可能是“实体炸弹”），"
                        "已拒绝读取") from None
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(
            f"无法读取 Excel 文件 {path.name}：{exc.__class__.__name__}。只支持 .xlsx（.xls、.et 请先在 Excel 或 WPS 中另存为 .xlsx）"
        ) from None


def pick_sheet(book, kind: str, sheet: str | None):
    names = book.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise UserError(f"工作簿中没有名为“{sheet}”的工作表；现有：{'、'.join(names)}")
        return book[sheet]
    if SHEETS[kind] in names:
        return book[SHEETS[kind]]
    usable = [n for n in names if n != HELP_SHEET]
    return book[usable[0] if usable else names[0]]


def header_row(rows: list[tuple], table: dict[str, Column]) -> int | None:
    """Index of the header row: the first of the top ten with at least two of our headers (a title row may sit above)."""
    for i, values in enumerate(rows[:10]):
        if sum(1 for v in values if normalise_header(v) in table) >= 2:
            return i
    return None


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- cells -> values --------------------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese."""


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def read_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIALS[0] <= value <= _SERIALS[1] and float(value).is_integer():
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise CellError(f"“{cell_text(value)}”不是日期，应写成 2024-03-15 或设为 Excel 日期格式")
    text = cell_text(value)
    match = _DATE_TEXT.fullmatch(text)
    if not match:
        raise CellError(f"无法识别的日期“{text}”，应写成 2024-03-15、2024/3/15 或 2024年3月15日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{text}”不存在，检查月份和日子") from None


def read_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"“{value}”不是整数")
    text = cell_text(value)
    match = _INT_TEXT.fullmatch(text)
    if not match:
        raise CellError(f"“{text}”不是整数，只写数字，如 60")
    return int(match.group(1))


def read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{cell_text(value)}”看不懂：是亮点活动填“是”，否则填“否”或不填")


class UnitNames:
    """Resolves what a clerk writes for a unit (id, full name or short name) to its id."""

    def __init__(self, zone: Zone) -> None:
        self.ids: dict[str, str] = {}
        for unit in zone.units.values():
            for name in (unit.id, unit.name, unit.short_name):
                if name:
                    self.ids.setdefault(squash(name), unit.id)

    def resolve(self, text: str) -> str:
        uid = self.ids.get(squash(text))
        if uid is not None:
            return uid
        close = difflib.get_close_matches(squash(text), list(self.ids), n=1, cutoff=0.5)
        hint = f"是不是“{close[0]}”？" if close else "单位编号见 units/ 目录下的文件名"
        raise CellError(f"“{text}”不是协作区的单位（可写单位编号、全称或简称）；{hint}")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_cell(col: Column, value: Any, units: UnitNames | None) -> Any:
    """A cell's value as the record holds it; raises CellError. Blank cells were dropped before."""
    kind = col.type
    if kind == "date":
        return read_date(value)
    if kind == "int":
        return read_int(value)
    if kind == "bool":
        return read_bool(value)
    text = cell_text(value)
    if kind == "units":
        assert units is not None
        return list(dict.fromkeys(units.resolve(part) for part in _SPLIT.split(text) if part))
    if kind == "lines":
        return [part for part in _LINES.split(text) if part]
    if kind == "items":
        return [part for part in _SPLIT.split(text) if part]
    if kind == "id" and not _ID.fullmatch(text):
        raise CellError(f"编号“{text}”不合规范：只用小写字母、数字和连字符“-”，如 yining-zhan")
    if kind == "enum" and text not in col.choices:
        # The loader would say the same of the written file; said here, a row with other bad cells hears it too.
        close = difflib.get_close_matches(text, col.choices, n=1, cutoff=0.3)
        hint = f"是不是“{close[0]}”？" if close else ""
        raise CellError(f"“{text}”不在允许范围内；{hint}可选：{'、'.join(col.choices)}")
    if kind in ("str", "id", "enum"):
        return " ".join(text.split("\n"))
    return text

