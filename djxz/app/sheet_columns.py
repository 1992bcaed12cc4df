"""The columns of the import and export sheets (header, record field, how a cell is read) and the sheets' names: shared
by `djxz import` (reading) and `djxz export` (writing), so an exported sheet imports back. Pure data; no openpyxl."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from djxz import model as m

# The command's word -> the file kind, and the sheet a template names (and an import looks for first).
KINDS = {"units": "unit", "activities": "activity"}
SHEETS = {"unit": "单位", "activity": "活动"}
HELP_SHEET = "填写说明"


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
    vocabulary: str = ""  # a kind a zone may extend (a key of VOCABULARY_LISTS): its choices grow with the zone's words


def with_vocabulary(col: Column, vocabulary: m.Vocabulary | None) -> Column:
    """The column as a zone sees it: a kind column offers and accepts what the zone adds in zone.yaml `vocabulary:`."""
    if not col.vocabulary or vocabulary is None:
        return col
    return replace(col, choices=vocabulary.allowed(col.vocabulary))


_UNITS_NOTE = "单位编号、全称或简称均可；多个单位用“、”或换行分隔"

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("日期", "date", "date", True, "活动日期：Excel 日期或文字（2024-03-15、2024/3/15、2024年3月15日）",
           aliases=("活动日期", "时间", "活动时间"), width=12),
    Column("结束日期", "end_date", "date", note="多日活动的最后一天；一天的活动不填", width=12),
    Column("标题", "title", "str", True, "活动名称，如“联片党课：学习贯彻党的二十大精神”", aliases=("活动名称", "活动标题", "名称"), width=36),
    Column("“五共”类别", "category", "enum", True, "活动属于“五共”中的哪一类", m.CATEGORIES, ("类别", "五共")),
    Column("活动形式", "kind", "enum", True, "活动的形式", m.ACTIVITY_KINDS, ("形式", "活动类型"), vocabulary="activity_kinds"),
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


def lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            table.setdefault(normalise_header(name), col)
    return table

