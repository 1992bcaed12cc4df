"""Composed YAML nodes -> frozen records, by the declared schema, with a Diagnostic for every value that does not fit.

Scalars are resolved here, by the type their field expects, from the raw text: `no` stays the string "no" in a text
field and is an error in a true/false field; a phone number `0999...` keeps its zero.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from sys import intern
from typing import Any

import yaml

from djxz.domain.periods import parse_period
from djxz.load.schema import ID_PATTERN, Field, Spec
from djxz.model import ERROR, Diagnostic, Source

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
# ASCII digits only, and the whole text (fullmatch): a Unicode digit class and `$` would let '２０２４' and '2024\n' through.
_INT = re.compile(r"[-+]?[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_MONTHDAY = re.compile(r"([0-9]{2})-([0-9]{2})")
_ID = re.compile(ID_PATTERN)

TYPE_NAMES = {
    "str": "文字",
    "text": "文字",
    "id": "编号",
    "unit": "单位编号",
    "int": "整数",
    "bool": "true 或 false",
    "date": "日期（YYYY-MM-DD）",
    "month": "月份（YYYY-MM）",
    "monthday": "月-日（MM-DD）",
    "period": "期次（如 2024、2024-H1、2024-03）",
    "enum": "规定的取值",
    "list": "列表",
    "object": "字段表",
}


class Converter:
    """Converts the nodes of one file; collects its diagnostics."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def at(self, node: yaml.Node) -> Source:
        mark = node.start_mark
        return Source(self.path, mark.line + 1, mark.column + 1)

    def error(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(self.at(node), code, ERROR, message, hint))

    def record(self, node: yaml.Node, spec: Spec, where: str = "") -> Any | None:
        """A record for a mapping node, or None when a required field is missing or unusable."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "DJX008" if not where else "DJX012",
                       f"{where or '文件'}应当是字段表（“键: 值”的形式），这里是{_shape(node)}",
                       f"参照 README 中“{spec.title}”的示例")
            return None
        values: dict[str, Any] = {}
        marks: dict[str, tuple[int, int]] = {}
        present: dict[str, yaml.Node] = {}
        failed = False
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            fld = spec.by_key.get(key) if key is not None else None
            if fld is None:
                self._unknown_key(key_node, key, spec)
                continue
            if key in present:  # the first one wins
                first = present[key]
                self.error(key_node, "DJX004", f"字段“{key}”重复出现", f"第 {first.start_mark.line + 1} 行已经有这个字段，删除其中一个")
                continue
            present[key] = value_node
            marks[fld.key] = _mark(value_node)
            value, ok = self.value(value_node, fld, key, marks)
            if not ok:
                failed = failed or fld.required
            elif value is not None and value != ():
                values[key] = value
        for fld in spec.fields:
            if not fld.required or fld.key in values:
                continue
            if fld.key not in present:
                self.error(node, "DJX011", f"缺少必填字段“{fld.key}”（{fld.title}）", f"添加一行 {fld.key}: …")
                failed = True
            elif _is_null(present[fld.key]) or present[fld.key].value == []:
                self.error(present[fld.key], "DJX011", f"必填字段“{fld.key}”（{fld.title}）没有填写", f"在 {fld.key}: 后填写{TYPE_NAMES.get(fld.type, '')}")
                failed = True
        if failed:
            return None
        return spec.record(src=self.at(node), marks=marks, **values)

    def value(self, node: yaml.Node, fld: Field, path: str, marks: dict[str, tuple[int, int]]) -> tuple[Any, bool]:
        """(value, ok). A null value is (None, True): the field counts as not given."""
        if fld.type == "object":
            if _is_null(node):
                return None, True
            rec = self.record(node, fld.spec, f"“{path}”")
            return rec, rec is not None
        if fld.type == "list":
            if _is_null(node):
                return None, True
            items = node.value if isinstance(node, yaml.SequenceNode) else None
            if items is None:
                if isinstance(node, yaml.ScalarNode) and not isinstance(fld.item, Spec):
                    items = [node]  # `hosts: a` means a list of one: what a clerk would expect
                else:
                    self.error(node, "DJX012", f"“{path}”应当是列表，这里是{_shape(node)}", "每项一行，以“- ”开头")
                    return None, False
            out = []
            ok_all = True
            for i, item in enumerate(items):
                sub = f"{path}.{i}"
                marks[intern(sub)] = _mark(item)
                if isinstance(fld.item, Spec):
                    rec = self.record(item, fld.item, f"“{sub}”")
                    ok = rec is not None
                    value = rec
                else:
                    value, ok = self.scalar(item, fld.item, sub)
                if ok and value is not None:
                    out.append(value)
                ok_all = ok_all and ok
            return tuple(out), ok_all
        return self.scalar(node, fld, path)

    def scalar(self, node: yaml.Node, fld: Field, path: str) -> tuple[Any, bool]:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, "DJX012", f"“{path}”应当是{TYPE_NAMES[fld.type]}，这里是{_shape(node)}", _scalar_hint(fld))
            return None, False
        raw = node.value
        plain = not node.style  # libyaml marks plain scalars with "", the Python parser with None
        if plain and raw in _NULLS:
            return None, True
        kind = fld.type
        if kind in ("str", "text"):
            return raw, True
        if kind in ("id", "unit"):
            if not _ID.fullmatch(raw):
                self.error(node, "DJX015", f"“{path}”的编号“{raw}”不合规范", "编号只用小写字母、数字和连字符“-”，如 yining-zhan")
                return None, False
            return (intern(raw) if kind == "unit" else raw), True  # one object per unit id: smaller caches
        if kind == "enum":
            if fld.vocabulary and raw not in fld.choices:
                return raw, True  # the zone may name it in `vocabulary:`; checks/vocabulary.py judges it
            if raw not in fld.choices:
                close = difflib.get_close_matches(raw, fld.choices, n=1, cutoff=0.3)
                hint = f"是不是“{close[0]}”？" if close else ""
                self.error(node, "DJX014", f"“{path}”的值“{raw}”不在允许范围内", f"{hint}可选：{'、'.join(fld.choices)}")
                return None, False
            return fld.choices[fld.choices.index(raw)], True
        if kind == "int":
            if not plain or not _INT.fullmatch(raw):
                self.error(node, "DJX012", f"“{path}”应当是整数，这里是“{raw}”", "只写数字，不加引号和单位")
                return None, False
            value = int(raw)
            if (fld.minimum is not None and value < fld.minimum) or (fld.maximum is not None and value > fld.maximum):
                self.error(node, "DJX012", f"“{path}”的值 {value} 超出范围（{fld.minimum}～{fld.maximum}）", "检查是否多写或少写了位数")
                return None, False
            return value, True
        if kind == "bool":
            if plain and raw in _TRUE:
                return True, True
            if plain and raw in _FALSE:
                return False, True
            self.error(node, "DJX012", f"“{path}”应当是 true 或 false，这里是“{raw}”", "是写 true，否写 false（不写“是/否”“yes/no”）")
            return None, False
        if kind == "date":
            return self._date(node, raw, path)
        if kind == "month":
            match = _MONTH.fullmatch(raw)
            if not match or not 1 <= int(match.group(2)) <= 12:
                self.error(node, "DJX013", f"“{path}”应当是月份 YYYY-MM，这里是“{raw}”", "例如 2024-03")
                return None, False
            return raw, True
        if kind == "monthday":
            match = _MONTHDAY.fullmatch(raw)
            if not match or not _valid_monthday(int(match.group(1)), int(match.group(2))):
                self.error(node, "DJX013", f"“{path}”应当是月-日 MM-DD，这里是“{raw}”", "例如 07-31（2 月最多写到 02-28）")
                return None, False
            return raw, True
        if kind == "period":
            if parse_period(raw) is None:
                self.error(node, "DJX016", f"“{path}”的期次“{raw}”无法识别", "年度写 2024；半年 2024-H1；季度 2024-Q1；月 2024-03；周 2024-W05")
                return None, False
            return raw, True
        raise AssertionError(f"unknown field type {kind}")  # pragma: no cover - the schema is ours

    def _date(self, node: yaml.Node, raw: str, path: str) -> tuple[Any, bool]:
        match = _DATE.fullmatch(raw)
        if not match:
            self.error(node, "DJX013", f"“{path}”应当是日期 YYYY-MM-DD，这里是“{raw}”", "例如 2024-03-15")
            return None, False
        year, month, day = (int(g) for g in match.groups())
        try:
            value = dt.date(year, month, day)
        except ValueError:
            self.error(node, "DJX013", f"“{path}”的日期“{raw}”不存在", "检查月份和日子，如 2 月没有 30 日")
            return None, False
        if not 1990 <= year <= 2100:
            self.error(node, "DJX013", f"“{path}”的年份 {year} 不合理", "检查年份是否写错")
            return None, False
        return value, True

    def _unknown_key(self, key_node: yaml.Node, key: str | None, spec: Spec) -> None:
        if key is None:
            self.error(key_node, "DJX010", "字段名应当是文字", "字段名写成“英文名: 值”")
            return
        close = difflib.get_close_matches(key, list(spec.by_key), n=1, cutoff=0.6)
        hint = f"是不是“{close[0]}”？" if close else f"{spec.title}可用的字段：{'、'.join(spec.by_key)}"
        self.error(key_node, "DJX010", f"未知字段“{key}”", hint)


def _mark(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in _NULLS


def _valid_monthday(month: int, day: int) -> bool:
    try:
        dt.date(2023, month, day)  # a common year: 02-29 is no deadline that exists every year
    except ValueError:
        return False
    return True


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "字段表"
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    return f"“{node.value}”"


def _scalar_hint(fld: Field) -> str:
    if fld.example is not None:
        return f"例如 {fld.key}: {fld.example}"
    return f"写成一个{TYPE_NAMES[fld.type]}"
