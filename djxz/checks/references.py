"""Checks that every unit named anywhere exists, and was in the zone on the day it is named for."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Iterator

from djxz.checks.context import CheckContext
from djxz.domain.people import iter_people
from djxz.domain.periods import parse_period
from djxz.model import ERROR, Diagnostic, Record, Source, Zone


def _unknown(zone: Zone, src: Source, unit_id: str, where: str) -> Diagnostic:
    close = difflib.get_close_matches(unit_id, list(zone.units), n=1, cutoff=0.6)
    hint = f"是不是“{close[0]}”？" if close else "单位编号见 units/ 目录下的文件名"
    return Diagnostic(src, "DJX101", ERROR, f"{where}引用的单位“{unit_id}”不存在", hint)


def _ref(zone: Zone, record: Record, path: str, unit_id: str | None, where: str,
         on: tuple[dt.date, dt.date] | None = None, member_only: bool = False) -> Iterator[Diagnostic]:
    """One reference: the unit exists, is a member unit when required, and was in the zone during `on` (a date range)."""
    if not unit_id or unit_id in zone.unreadable_ids:
        return
    unit = zone.units.get(unit_id)
    if unit is None:
        yield _unknown(zone, record.at(path), unit_id, where)
        return
    if member_only and not unit.is_member_unit:
        yield Diagnostic(record.at(path), "DJX102", ERROR, f"{where}的“{unit.name}”是共建单位，不是成员单位",
                         "只有成员单位参加轮值、担任牵头单位")
        return
    if on and not (unit.active_on(on[0]) or unit.active_on(on[1])):
        start, end = on
        when = str(start) if start == end else f"{start} 至 {end}"
        span = f"（加入 {unit.joined}{'，退出 ' + str(unit.left) if unit.left else ''}）"
        yield Diagnostic(record.at(path), "DJX102", ERROR, f"{where}的“{unit.name}”在 {when} 不是协作区成员{span}",
                         "检查日期或单位是否写错")


unit_ref = _ref  # the same check for the records of djxz.checks.lists


def check_zone_references(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX101/102 in zone.yaml: lead unit, office, people, rotations."""
    info = zone.info
    if not zone.info_ok:
        return
    yield from _ref(zone, info, "lead_unit", info.lead_unit, "牵头单位", member_only=True)
    if info.office:
        yield from _ref(zone, info.office, "unit", info.office.unit, "办公室所在单位")
    for _, person in iter_people(info):
        yield from _ref(zone, person, "unit", person.unit, f"{person.name}的所在单位")
    for rotation in info.rotations:
        for i, unit_id in enumerate(rotation.order):
            yield from _ref(zone, rotation, f"order.{i}", unit_id, "轮值顺序", member_only=True)
        turns = ((rotation.anchor,) if rotation.anchor else ()) + rotation.turns
        for turn in turns:
            period = parse_period(turn.period)
            span = (period.start, period.end) if period else None
            yield from _ref(zone, turn, "unit", turn.unit, f"{turn.period} 期轮值", span, member_only=True)
        for override in rotation.overrides:
            yield from _ref(zone, override, "unit", override.unit, "轮值调整", member_only=True)


def check_record_references(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX101/102 in plans, activities and documents, each on its own date."""
    for year, plan in zone.plans.items():
        span = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        yield from _ref(zone, plan, "duty_unit", plan.duty_unit, f"{year} 年计划的轮值单位", span, member_only=True)
        for item in plan.items:
            yield from _ref(zone, item, "host", item.host, f"计划事项“{item.title}”的承办单位", item.span() or span)
    units = zone.units
    for act in zone.activities:
        span = start, end = (act.date, act.end_date or act.date)
        for key, ids, where in (("hosts", act.hosts, "主办单位"), ("participants", act.participants, "参加单位")):
            for i, unit_id in enumerate(ids):
                unit = units.get(unit_id)
                if unit is not None and (unit.active_on(start) or unit.active_on(end)):
                    continue  # what _ref would pass, without a generator per reference (80,000 in a large zone)
                yield from _ref(zone, act, f"{key}.{i}", unit_id, where, span)
    for doc in zone.documents:
        yield from _ref(zone, doc, "issuer", doc.issuer, "印发单位", (doc.date, doc.date))


CHECKS = [check_zone_references, check_record_references]
