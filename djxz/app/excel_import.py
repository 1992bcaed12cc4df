"""Use case `djxz import`: the rows of an Excel sheet with Chinese headers -> one record file each, written only when the
would-be zone (the zone plus every new file) passes the real loader and checks. Prints nothing.

A row names its units by id, full name or short name; dates may be Excel dates or text; several values in one cell are
separated by 、 , ; or line breaks. Rows already in the zone (same id; for activities also the same date, title and a
shared host) are recognised and skipped, so importing the same sheet twice writes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from djxz import model as m
from djxz.domain.ids import free_id, unit_id
from djxz.errors import DataError, UserError
from djxz.fsio import atomic_write, write_files, writer_lock
from djxz.zipguard import check_office_zip
from djxz.model import ERROR, WARNING, Diagnostic, Zone

# The command's word -> the file kind, and the sheet a template names (and an import looks for first).
KINDS = {"units": "unit", "activities": "activity"}
SHEETS = {"unit": "单位", "activity": "活动"}
HELP_SHEET = "填写说明"

Progress = Callable[[str, int, int], None]

NEW = "新增"
EXISTS = "已存在"
REPEATED = "重复"
INVALID = "有错误"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SPLIT = re.compile(r"\s*(?:[、,，;；]|\r?\n)+\s*")
_LINES = re.compile(r"\s*\r?\n\s*")
_DATE_TEXT = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")  # fullmatch, ASCII
_INT_TEXT = re.compile(r"([0-9]+)\s*(?:人|名|个)?")
_INDEX = re.compile(r"[0-9]+")  # a list index in a field path such as hosts.0
_YES = frozenset(("是", "√", "✓", "✔", "y", "yes", "true", "1", "亮点"))
_NO = frozenset(("否", "×", "n", "no", "false", "0"))
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Excel's serial day numbers for 1990-01-01 .. 2100-12-31: a date typed into a cell formatted as a number.
_SERIALS = (32874, 73415)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, where its value goes in the record, and how a cell is read."""

    header: str
    path: str  # "date", "party_org.name", "contacts.0.phone"
    type: str  # date, int, bool, str, text, id, enum, units, lines, items
    required: bool = False
    note: str = ""
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    width: int = 0  # the template's column width, in Latin characters


_UNITS_NOTE = "单位编号、全称或简称均可；多个单位用“、”或换行分隔"

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("日期", "date", "date", True, "活动日期：Excel 日期或文字（2024-03-15、2024/3/15、2024年3月15日）",
           aliases=("活动日期", "时间", "活动时间"), width=12),
    Column("结束日期", "end_date", "date", note="多日活动的最后一天；一天的活动不填", width=12),
    Column("标题", "title", "str", True, "活动名称，如“联片党课：学习贯彻党的二十大精神”", aliases=("活动名称", "活动标题", "名称"), width=36),
    Column("“五共”类别", "category", "enum", True, "活动属于“五共”中的哪一类", m.CATEGORIES, ("类别", "五共")),
    Column("活动形式", "kind", "enum", True, "活动的形式", m.ACTIVITY_KINDS, ("形式", "活动类型")),
    Column("主办单位", "hosts", "units", True, _UNITS_NOTE, aliases=("主办", "承办单位", "牵头单位"), width=20),
    Column("参加单位", "participants", "units", note=_UNITS_NOTE, aliases=("参与单位",), width=30),
    Column("参加人数", "attendance", "int", note="整数，如 60", aliases=("人数", "参加人员数")),
    Column("地点", "location", "str", note="活动地点", aliases=("活动地点",), width=20),
    Column("活动概况", "summary", "text", True, "活动的经过和成效，可以写多段", aliases=("概况", "活动内容", "内容"), width=50),
    Column("经验做法", "practices", "lines", note="供总结通报提炼的做法，每条一行（单元格内换行：Alt+Enter）", aliases=("做法",), width=30),
    Column("亮点", "highlight", "bool", False, "亮点活动填“是”，否则不填", ("是", "否"), ("是否亮点", "亮点活动")),
    Column("计划事项编号", "plan_item", "str", note="对应年度计划中的事项编号，如 2024-forum-03", aliases=("计划事项",), width=16),
    Column("附件", "attachments", "items", note="相对协作区目录的路径，如 attachments/2024/照片.jpg；多个用换行分隔", width=20),
    Column("编号", "id", "id", note="不填则自动生成：日期-活动形式的拼音，如 2024-03-15-lianpian-dangke", aliases=("活动编号",), width=30),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("单位编号", "id", "id", False, "不填则按简称的拼音自动生成，如 塔什库尔干站 → tashikuergan-zhan；也是文件名", aliases=("编号",), width=18),
    Column("全称", "name", "str", True, "单位全称，如 伊宁边境管理站", aliases=("单位全称", "单位名称"), width=30),
    Column("简称", "short_name", "str", True, "单位简称，如 伊宁站", aliases=("单位简称",), width=12),
    Column("单位类型", "type", "enum", True, "单位的类型", m.UNIT_TYPES, ("类型",)),
    Column("身份", "role", "enum", True, "成员单位参加轮值；共建单位是驻地高校、国企等合作方", m.UNIT_ROLES, ("单位身份",)),
    Column("加入日期", "joined", "date", True, "加入协作区的日期：Excel 日期或文字", aliases=("加入时间",), width=12),
    Column("退出日期", "left", "date", note="退出协作区的日期；仍在协作区则不填", aliases=("退出时间",), width=12),
    Column("党组织名称", "party_org.name", "str", note="如 中共伊宁边境管理站委员会；填了书记或党员人数时必填", aliases=("党组织",), width=30),
    Column("党组织书记", "party_org.secretary", "str", note="书记姓名", aliases=("书记",)),
    Column("党员人数", "party_org.members", "int", note="整数", aliases=("党员数",)),
    Column("联系人", "contacts.0.name", "str", note="联系人姓名；填了职务或电话时必填"),
    Column("联系人职务", "contacts.0.title", "str", note="如 政治处副主任", width=16),
    Column("联系电话", "contacts.0.phone", "str", note="如 0999-8123615（设为文本格式，开头的 0 才不会丢）", aliases=("电话",), width=16),
    Column("单位简介", "description", "text", note="可以写多段", aliases=("简介",), width=40),
)

COLUMNS = {"activity": ACTIVITY_COLUMNS, "unit": UNIT_COLUMNS}


def normalise_header(text: Any) -> str:
    """A header as compared: no spaces, quotes or required-markers, no trailing（说明）."""
    value = str(text or "").strip()
    value = re.sub(r"[（(][^（()）]*[）)]$", "", value)
    return re.sub(r"[\s“”\"'‘’「」『』*＊]", "", value)


def _lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            table.setdefault(normalise_header(name), col)
    return table


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
        return [r for r in self.rows if r.status in (EXISTS, REPEATED)]


# --- reading the workbook ---------------------------------------------------------------------------------------------


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


def _pick_sheet(book, kind: str, sheet: str | None):
    names = book.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise UserError(f"工作簿中没有名为“{sheet}”的工作表；现有：{'、'.join(names)}")
        return book[sheet]
    if SHEETS[kind] in names:
        return book[SHEETS[kind]]
    usable = [n for n in names if n != HELP_SHEET]
    return book[usable[0] if usable else names[0]]


def _header_row(rows: list[tuple], table: dict[str, Column]) -> int | None:
    """Index of the header row: the first of the top ten with at least two of our headers (a title row may sit above)."""
    for i, values in enumerate(rows[:10]):
        if sum(1 for v in values if normalise_header(v) in table) >= 2:
            return i
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- cells -> values --------------------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese."""


def _text(value: Any) -> str:
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
        raise CellError(f"“{_text(value)}”不是日期，应写成 2024-03-15 或设为 Excel 日期格式")
    text = _text(value)
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
    text = _text(value)
    match = _INT_TEXT.fullmatch(text)
    if not match:
        raise CellError(f"“{text}”不是整数，只写数字，如 60")
    return int(match.group(1))


def read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{_text(value)}”看不懂：是亮点活动填“是”，否则填“否”或不填")


class UnitNames:
    """Resolves what a clerk writes for a unit (id, full name or short name) to its id."""

    def __init__(self, zone: Zone) -> None:
        self.ids: dict[str, str] = {}
        for unit in zone.units.values():
            for name in (unit.id, unit.name, unit.short_name):
                if name:
                    self.ids.setdefault(_squash(name), unit.id)

    def resolve(self, text: str) -> str:
        uid = self.ids.get(_squash(text))
        if uid is not None:
            return uid
        close = difflib.get_close_matches(_squash(text), list(self.ids), n=1, cutoff=0.5)
        hint = f"是不是“{close[0]}”？" if close else "单位编号见 units/ 目录下的文件名"
        raise CellError(f"“{text}”不是协作区的单位（可写单位编号、全称或简称）；{hint}")


def _squash(text: str) -> str:
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
    text = _text(value)
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


# --- rows -> records --------------------------------------------------------------------------------------------------


def _set(values: dict[str, Any], path: str, value: Any) -> None:
    """Put `value` at a dotted path; `contacts.0.name` builds a list of one mapping."""
    parts = path.split(".")
    if len(parts) == 1:
        values[path] = value
    elif len(parts) == 2:
        values.setdefault(parts[0], {})[parts[1]] = value
    else:
        items = values.setdefault(parts[0], [{}])
        items[int(parts[1])][parts[2]] = value


def _nested_required(values: dict[str, Any], by_path: dict[str, Column], row: int) -> list[Problem]:
    """A party organisation needs its name, a contact its person: the loader would point at the wrong cell."""
    problems = []
    for key, prefix in (("party_org", "party_org."), ("contacts", "contacts.0.")):
        group = values.get(key)
        first = group[0] if isinstance(group, list) else group
        if first and "name" not in first:
            given = "、".join(f"“{by_path[prefix + k].header}”" for k in first)
            problems.append(Problem(f"填了{given}，这一列也必填", row, by_path[prefix + "name"].header))
    return problems


def _record_values(kind: str, cells: dict[str, Any]) -> dict[str, Any]:
    """The record's fields in the schema's order (the house style), from the values read off the row."""
    from djxz.load.schema import FILE_SPECS

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


def _diagnostic_problem(d: Diagnostic, row: ImportRow | None, columns: tuple[Column, ...], present: set[str]) -> Problem:
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


# --- the use case -----------------------------------------------------------------------------------------------------


def plan_import(root: Path, kind: str, path: Path, sheet: str | None, today: dt.date,
                progress: Progress | None = None) -> ImportPlan:
    """Read the sheet, map every row, and validate the new records with the real loader and checks on the would-be zone.

    Never writes. Data problems come back in `problems` (each naming its row and column); an unreadable workbook, a
    missing sheet or a sheet without our headers raises.
    """
    from djxz.app.check import diagnose, introduced
    from djxz.load.loader import load_zone_from_bytes

    report = progress or (lambda stage, done, total: None)
    columns = COLUMNS[kind]
    table = _lookup(columns)
    book = open_book(path)
    ws = _pick_sheet(book, kind, sheet)
    report("读取工作表", 0, 0)
    raw = [tuple(r) for r in ws.iter_rows(values_only=True)]
    head = _header_row(raw, table)
    if head is None:
        wanted = "、".join(c.header for c in columns if c.required)
        raise DataError(f"{path.name} 的工作表“{ws.title}”前 10 行中找不到列名行（至少应有：{wanted}）。"
                        f"可用 djxz import --template {'units' if kind == 'unit' else 'activities'} 生成模板")
    positions: dict[int, Column] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for i, value in enumerate(raw[head]):
        if _blank(value):
            continue
        col = table.get(normalise_header(value))
        if col is None:
            ignored.append(_text(value))
        elif col in positions.values():
            problems.append(Problem(f"“{_text(value)}”与前面的“{col.header}”是同一列，只读前一列", head + 1, _text(value), WARNING))
        else:
            positions[i] = col
    present = {c.header for c in positions.values()}
    found_headers = [c.header for c in positions.values()]
    missing = [c.header for c in columns if c.required and c.header not in present]
    if missing:
        problems += [Problem(f"缺少必填的“{h}”列，整张表无法导入", head + 1) for h in missing]
        return ImportPlan(kind, root, path.name, ws.title, found_headers, ignored, [], problems)

    from djxz.load.loader import read_zone_blobs

    blobs = read_zone_blobs(root)
    report("读取协作区", 0, 0)
    before_zone, before_diags = load_zone_from_bytes(root, dict(blobs))
    units = UnitNames(before_zone)
    data = [(n, values) for n, values in enumerate(raw[head + 1:], head + 2) if not all(_blank(v) for v in values)]
    rows: list[ImportRow] = []
    matcher = _Matcher(kind, before_zone, blobs)
    by_path = {c.path: c for c in columns}
    for done, (number, values) in enumerate(data, 1):
        report("读取行", done, len(data))
        row = ImportRow(number)
        rows.append(row)
        cells: dict[str, Any] = {}
        row_problems = []
        for i, col in positions.items():
            value = values[i] if i < len(values) else None
            if _blank(value):
                if col.required:
                    row_problems.append(Problem("必填，不能为空", number, col.header))
                continue
            try:
                value = read_cell(col, value, units)
                if value is not False and value != []:  # "否" is the default: not written
                    _set(cells, col.path, value)
            except CellError as exc:
                row_problems.append(Problem(str(exc), number, col.header))
        row_problems += _nested_required(cells, by_path, number)
        row.values = _record_values(kind, cells)
        row.record_id = row.values.get("id", "")
        if not row_problems:
            clash = matcher.place(row)
            if clash is not None:
                row_problems.append(clash)
        if row_problems:
            row.status = INVALID
            problems += row_problems

    if matcher.new:
        report("校验", 0, 1)
        before = diagnose(before_zone, before_diags, today)
        candidates = [row for row in matcher.new if row.status == NEW]
        for row in candidates:
            blobs[row.rel] = row.text.encode("utf-8")
        after_zone, after_diags = load_zone_from_bytes(root, blobs)
        by_rel = {row.rel: row for row in candidates}
        for d in introduced(diagnose(after_zone, after_diags, today), before, set(by_rel)):
            row = by_rel.get(d.src.path) if d.src else None
            problems.append(_diagnostic_problem(d, row, columns, present))
            if row is not None and d.severity == ERROR:
                row.status = INVALID
        report("校验", 1, 1)
    problems.sort(key=lambda p: (p.row or 0, p.severity != ERROR))
    return ImportPlan(kind, root, path.name, ws.title, found_headers, ignored, rows, problems, before_zone)


class _Matcher:
    """Decides for each good row: already in the zone, a repeat of an earlier row, or new (with its id and path)."""

    def __init__(self, kind: str, zone: Zone, blobs: dict[str, bytes]) -> None:
        self.kind = kind
        self.zone = zone
        folder = "units/" if kind == "unit" else "activities/"
        # Ids taken by any file, readable or not: a new file must never replace one.
        self.taken = {rel.rsplit("/", 1)[-1][:-5]: rel for rel in blobs if rel.startswith(folder)}
        self.new: list[ImportRow] = []
        self.seen: dict[Any, int] = {}
        self.names = {u.name: u.id for u in zone.units.values()}
        self.activities: dict[tuple, list[m.Activity]] = {}
        for act in zone.activities:
            self.activities.setdefault(_activity_key(act.date, act.title), []).append(act)

    def place(self, row: ImportRow) -> Problem | None:
        """Set the row's status, id, path and text; a Problem when it clashes with a unit already in the zone."""
        from djxz.edit.new_record import record_text

        values = row.values
        if self.kind == "unit":
            if not values.get("id"):  # proposed from the short name in pinyin (docs/desktop.md), never one taken
                same = self.names.get(values.get("name", ""))
                base = same or unit_id(values.get("short_name") or values.get("name", ""), values.get("type", "")) or "danwei"
                proposed = same or free_id(base, lambda x: x in self.taken or x in self.seen)
                values = row.values = {"id": proposed, **values}
            uid = row.record_id = values["id"]
            if uid in self.taken:
                row.status = EXISTS
                return None
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
                row.record_id = explicit
                row.status = EXISTS
                return None
            key = _activity_key(values["date"], values["title"])
            hosts = set(values["hosts"])
            same = [a for a in self.activities.get(key, []) if hosts & set(a.hosts)]
            if same:
                row.record_id = same[0].id
                row.status = EXISTS
                return None
            for (earlier, earlier_hosts), first_row in self.seen.items():
                if earlier == key and hosts & earlier_hosts:
                    row.status, row.note = REPEATED, f"同第 {first_row} 行"
                    return None
            self.seen[(key, frozenset(hosts))] = row.row
            row.record_id = explicit or self._new_id(values)
            values = row.values = _record_values("activity", {**values, "id": row.record_id})
            rel = f"activities/{values['date'].year}/{row.record_id}.yaml"
        self.taken[row.record_id] = rel
        row.rel = rel
        row.text = record_text(self.kind, rel, values)
        self.new.append(row)
        return None

    def _new_id(self, values: dict[str, Any]) -> str:
        from djxz.app.new import KIND_SLUGS

        base = f"{values['date'].isoformat()}-{KIND_SLUGS.get(values['kind'], 'huodong')}"
        record_id, n = base, 1
        while record_id in self.taken:
            n += 1
            record_id = f"{base}-{n}"
        return record_id


def _activity_key(date: dt.date, title: str) -> tuple:
    return date, _squash(title)


def write_import(plan: ImportPlan, progress: Progress | None = None) -> list[Path]:
    """Write one file per new row, all or none (a full disk or Ctrl-C halfway leaves no file of the import behind);
    refuses (DataError) a plan with any error, so nothing is written then."""

    if plan.errors:
        raise DataError(f"{plan.book} 有 {len(plan.errors)} 处错误，没有写入任何文件")
    report = progress or (lambda stage, done, total: None)
    rows = plan.new_rows
    files = {plan.root / row.rel: row.text for row in rows}
    taken = [p for p in files if p.exists()]
    if taken:
        raise UserError(f"{taken[0]} 已存在，没有覆盖；没有写入任何文件")
    with writer_lock(plan.root):
        write_files(files, root=plan.root)
    report("写入文件", len(rows), len(rows))
    return list(files)


# --- the template -----------------------------------------------------------------------------------------------------


def write_template(kind: str, out: Path, zone: Zone | None = None) -> None:
    """An empty sheet with our headers (notes on each, dropdowns for fixed values) and a sheet explaining each column.

    With a zone, the explanation also lists its units, so a clerk can copy their names.
    """
    import io

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from djxz.app.export import append_as_text, fit_columns, style_header

    columns = COLUMNS[kind]
    book = Workbook()
    ws = book.active
    ws.title = SHEETS[kind]
    ws.append([c.header for c in columns])
    style_header(ws)
    for i, col in enumerate(columns, 1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i)
        cell.comment = Comment(_explain(col), "djxz", width=300, height=160)
        ws.column_dimensions[letter].width = max(col.width, _display_width(col.header) + 4, 10)
        if col.type == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if col.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle=col.header,
                                  error=f"请从下拉列表中选择：{'、'.join(col.choices)}")
            rule.add(f"{letter}2:{letter}2000")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"

    help_ws = book.create_sheet(HELP_SHEET)
    help_ws.append(["列名", "是否必填", "说明", "可选值"])
    for col in columns:
        help_ws.append([col.header, "必填" if col.required else "", col.note, "、".join(col.choices)])
    help_ws.append([])
    help_ws.append(["填写方法", "", f"每行一条记录，第一行的列名不要改；不需要的列可以删除。"
                    f"写好后运行：djxz import {'units' if kind == 'unit' else 'activities'} 文件名.xlsx --dry-run 预览，"
                    "没有错误再去掉 --dry-run 写入。同一张表重复导入时，已导入的行会被跳过。", ""])
    if zone is not None and kind == "activity":
        help_ws.append([])
        start = help_ws.max_row + 1
        help_ws.append(["单位编号", "全称", "简称", "身份"])
        for unit in zone.units.values():
            append_as_text(help_ws, [unit.id, unit.name, unit.short_name, unit.role])
        style_header(help_ws, start)
    style_header(help_ws)
    fit_columns(help_ws, limit=60, wrap=(3,))
    help_ws.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    atomic_write(out, stream.getvalue())


def _explain(col: Column) -> str:
    text = ("必填。" if col.required else "选填。") + col.note
    if col.choices:
        text += "\n可选：" + "、".join(col.choices)
    return text


def _display_width(text: str) -> int:
    from djxz.app.export import display_width

    return display_width(text)
