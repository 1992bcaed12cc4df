"""DJX116-DJX118: one record per identity: a unit id, a plan year, a unit's name and short name, each in one file only.

Records arrive by pull request from many units; two merged requests can each add `units/x.yaml` and `units/x-new.yaml`
with one id, or a second plan for a year. The loader keeps the first and sets the other aside (Zone.shadowed); here
both places are named, so the reviewer sees which two files clash.
"""

from __future__ import annotations

from typing import Iterator

from djxz.checks.context import CheckContext
from djxz.model import ERROR, Diagnostic, Plan, Unit, Zone


def check_duplicate_units_and_plans(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX116 (unit id) and DJX117 (plan year): a second file for an identity already taken."""
    for record in zone.shadowed:
        if isinstance(record, Unit):
            first = zone.units.get(record.id)
            yield Diagnostic(record.at("id"), "DJX116", ERROR,
                             f"单位编号“{record.id}”与 {first.at('id') if first else '另一个文件'} 重复，这个文件没有被读取",
                             "一个单位只用一个文件：合并两个文件，或给新单位换一个编号（文件名同时改）")
        elif isinstance(record, Plan):
            first = zone.plans.get(record.year)
            yield Diagnostic(record.at("year"), "DJX117", ERROR,
                             f"{record.year} 年已有年度计划 {first.at('year') if first else ''}，这一份没有被读取",
                             "一个年度只保留一份计划：把两份的事项合并到 plans/<年份>.yaml，删除另一份")


def check_duplicate_unit_names(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX118: no two units share a full name or a short name (documents and tables name units by them)."""
    seen: dict[tuple[str, str], Unit] = {}
    for unit in sorted(zone.units.values(), key=lambda u: (u.src.path, u.src.line)):
        for field, label in (("name", "全称"), ("short_name", "简称")):
            value = " ".join(getattr(unit, field).split())
            if not value:
                continue
            first = seen.setdefault((field, value), unit)
            if first is not unit:
                yield Diagnostic(unit.at(field), "DJX118", ERROR,
                                 f"单位{label}“{value}”与 {first.at(field)}（{first.id}）相同",
                                 f"每个单位的{label}应当不同：核对是否重复建了单位，或写出能区分两者的{label}")


CHECKS = [check_duplicate_units_and_plans, check_duplicate_unit_names]
