"""The zone's own rules: leading-group sizes, dates in order, rotation sanity, plans and records that agree."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Iterator

from djxz.checks.context import CheckContext
from djxz.domain.numbering import duplicate_numbers, next_document_number
from djxz.domain.periods import KIND_NAMES, parse_period
from djxz.model import ERROR, WARNING, Diagnostic, Zone


def check_leading_group(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX104 (--strict only, a warning): 副组长 and 成员 within the zone's `leading_group_bounds`.

    The seed's "1至3名" reads two ways (DOMAIN.md); by default each unit names at most 3 and the zone at least 1. Sizes
    are the leading group's own business, so this never fails a plain check and never blocks a document.
    """
    group = zone.info.leading_group
    if group is None or not ctx.strict:
        return
    bounds = zone.info.leading_group_bounds
    for path, title, people, low, high in (
        ("deputies", "副组长", group.deputies, bounds.deputies_min, bounds.deputies_max),
        ("members", "成员", group.members, bounds.members_min, bounds.members_max),
    ):
        where = group.at(path)
        hint = f"调整 leading_group.{path} 的人数，或在 zone.yaml 的 leading_group_bounds 中写明本协作区的范围"
        if len(people) < low:
            yield Diagnostic(where, "DJX104", WARNING, f"领导小组{title}有 {len(people)} 名，少于 {low} 名", hint)
        if bounds.per == "全协作区":
            if len(people) > high:
                yield Diagnostic(where, "DJX104", WARNING, f"领导小组{title}共 {len(people)} 名，多于 {high} 名（按全协作区计）", hint)
            continue
        by_unit: dict[str, int] = defaultdict(int)
        for person in people:
            by_unit[person.unit or ""] += 1
        for unit_id, n in sorted(by_unit.items()):
            if n > high:
                name = zone.unit_name(unit_id, short=True) or "未写单位的人员"
                yield Diagnostic(where, "DJX104", WARNING, f"领导小组{title}中{name}有 {n} 名，多于每单位 {high} 名", hint)


def check_lead_and_office(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX112: the office sits at the lead unit."""
    info = zone.info
    if info.office and info.lead_unit and info.office.unit != info.lead_unit:
        yield Diagnostic(info.office.at("unit"), "DJX112", ERROR, "领导小组办公室应设在牵头单位",
                         f"把 office.unit 改为 {info.lead_unit}")


def check_dates_in_order(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX106 (end before start), DJX111 (left before joined), DJX114 (activity in the future), DJX120 (documents)."""
    for act in zone.activities:
        if act.end_date and act.end_date < act.date:
            yield Diagnostic(act.at("end_date"), "DJX106", ERROR, f"结束日期 {act.end_date} 早于开始日期 {act.date}", "改正 end_date")
        if act.date > ctx.today:
            yield Diagnostic(act.at("date"), "DJX114", WARNING, f"活动日期 {act.date} 晚于今天（{ctx.today}）",
                             "活动记录应在活动举办后填写；计划中的活动写在 plans/ 的年度计划里")
    if zone.holidays:
        for day in zone.holidays.days:
            if day.end_date and day.end_date < day.date:
                yield Diagnostic(day.at("end_date"), "DJX106", ERROR, f"结束日期 {day.end_date} 早于开始日期 {day.date}", "改正 end_date")
    for unit in zone.units.values():
        if unit.left and unit.joined and unit.left <= unit.joined:
            yield Diagnostic(unit.at("left"), "DJX111", ERROR, f"退出日期 {unit.left} 不晚于加入日期 {unit.joined}", "改正 joined 或 left")
    yield from _documents_in_order(zone)


# Documents written ahead of their period by nature: a plan (年度协作计划, 轮值安排, 向市委报送计划, a zone's own 计划/方案).
_AHEAD_KINDS = ("年度协作计划", "轮值安排", "向市委报送计划")


def _is_plan(kind: str) -> bool:
    return kind in _AHEAD_KINDS or "计划" in kind or "方案" in kind


def _documents_in_order(zone: Zone) -> Iterator[Diagnostic]:
    """DJX120: a bulletin comes after every activity it reports; a document after its period began (plans excepted)."""
    for doc in zone.documents:
        if doc.kind == "信息简报":
            for i, act_id in enumerate(doc.activities):
                act = zone.activity(act_id)
                if act is not None and act.date > doc.date:
                    yield Diagnostic(doc.at(f"activities.{i}"), "DJX120", ERROR,
                                     f"信息简报的日期 {doc.date} 早于其所报的活动“{act.title}”（{act.date}）",
                                     "简报在活动之后印发：改正简报的 date，或核对所列的活动编号")
        period = parse_period(doc.period) if doc.period else None
        if period is not None and doc.date < period.start and not _is_plan(doc.kind):
            yield Diagnostic(doc.at("date"), "DJX120", ERROR,
                             f"{doc.kind}的印发日期 {doc.date} 早于其所属期间 {period.label}（{period.start} 起）",
                             "总结、报告在所属期间开始之后印发：改正 date 或 period；计划类文件可以提前印发")


def check_rotations(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX107: each rotation is consistent: unique name, periods of its kind, one unit a period, sound overrides."""
    names: set[str] = set()
    for rotation in zone.info.rotations:
        if rotation.name in names:
            yield Diagnostic(rotation.at("name"), "DJX107", ERROR, f"轮值名称“{rotation.name}”重复", "每个轮值安排用不同的 name")
        names.add(rotation.name)
        seen_units: set[str] = set()
        for i, unit_id in enumerate(rotation.order):
            if unit_id in seen_units:
                yield Diagnostic(rotation.at(f"order.{i}"), "DJX107", ERROR, f"轮值顺序中“{unit_id}”出现了两次", "每个单位在顺序中只出现一次")
            seen_units.add(unit_id)
        kind_name = KIND_NAMES.get(rotation.period, rotation.period)
        turns = ((rotation.anchor,) if rotation.anchor else ()) + rotation.turns
        for turn in turns:
            if parse_period(turn.period, rotation.period) is None:
                yield Diagnostic(turn.at("period"), "DJX107", ERROR, f"期次“{turn.period}”不是{kind_name}期次",
                                 f"该轮值按{kind_name}轮换，期次写法见 README")
        seen_periods: dict[str, object] = {}
        for turn in rotation.turns:
            first = seen_periods.setdefault(turn.period, turn)
            if first is not turn:
                yield Diagnostic(turn.at("period"), "DJX107", ERROR, f"{turn.period} 期有两条轮值记录",
                                 f"每期只能有一个轮值单位；已在 {first.src} 记录")
        for override in rotation.overrides:
            yield from _check_override(override, rotation.period, kind_name)


def _check_override(override, period_kind: str, kind_name: str) -> Iterator[Diagnostic]:
    for i, text in enumerate(override.periods):
        if parse_period(text, period_kind) is None:
            yield Diagnostic(override.at(f"periods.{i}"), "DJX107", ERROR, f"期次“{text}”不是{kind_name}期次", "改正期次写法")
    need = {"swap": (2, False), "skip": (1, True), "assign": (1, True)}[override.kind]
    if len(override.periods) != need[0]:
        yield Diagnostic(override.at("periods"), "DJX107", ERROR,
                         f"{override.kind} 调整需要 {need[0]} 个期次，这里有 {len(override.periods)} 个",
                         "swap 写两个互换的期次；skip、assign 写一个期次")
    if need[1] and not override.unit:
        yield Diagnostic(override.src, "DJX107", ERROR, f"{override.kind} 调整需要写明单位 unit", "添加 unit: <单位编号>")


def check_plans(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX108: a plan's duty unit is the recorded turn of its year; its items fall in its year."""
    duty = zone.info.rotations[0] if zone.info.rotations else None
    recorded = {t.period: t for t in duty.turns} if duty and duty.period == "year" else {}
    for year, plan in zone.plans.items():
        turn = recorded.get(str(year))
        if turn and turn.unit != plan.duty_unit:
            yield Diagnostic(plan.at("duty_unit"), "DJX108", ERROR,
                             f"{year} 年计划的轮值单位是“{plan.duty_unit}”，轮值记录是“{turn.unit}”",
                             f"二者应一致：改正计划，或核对 {turn.src} 的轮值记录")
        for item in plan.items:
            when = item.date.year if item.date else int(item.month[:4]) if item.month else year
            if when != year:
                yield Diagnostic(item.at("date" if item.date else "month"), "DJX108", ERROR,
                                 f"计划事项“{item.title}”的时间不在 {year} 年", "改正日期，或把事项移到对应年度的计划")


def check_links(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX109: an activity's plan item and a document's activities exist."""
    items = {item.id for plan in zone.plans.values() for item in plan.items}
    for act in zone.activities:
        if act.plan_item and act.plan_item not in items:
            yield Diagnostic(act.at("plan_item"), "DJX109", ERROR, f"计划事项“{act.plan_item}”不存在",
                             f"计划事项编号见 plans/{act.date.year}.yaml 的 items")
    for doc in zone.documents:
        for i, act_id in enumerate(doc.activities):
            if zone.activity(act_id) is None and act_id not in zone.unreadable_ids:
                yield Diagnostic(doc.at(f"activities.{i}"), "DJX109", ERROR, f"活动“{act_id}”不存在",
                                 "活动编号就是 activities/<年份>/ 下的文件名（不含 .yaml）")


def check_bulletin_numbers(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX110: every bulletin has a number, unique within its year (two merged pull requests can collide)."""
    by_number: dict[tuple[int, int], list] = defaultdict(list)
    for doc in zone.documents_of("信息简报"):
        if doc.number is None:
            yield Diagnostic(doc.src, "DJX110", ERROR, "信息简报缺少期号 number", "添加 number: <本年度的期号>")
            continue
        by_number[(doc.date.year, doc.number)].append(doc)
    for (year, number), docs in sorted(by_number.items()):
        for doc in docs[1:]:
            taken = max(n for (y, n) in by_number if y == year) + 1
            yield Diagnostic(doc.at("number"), "DJX110", ERROR, f"{year} 年第 {number} 期信息简报重复（另见 {docs[0].src}）",
                             f"期号一经印发不再改变：后印发的一期应改为第 {taken} 期")


def check_document_numbers(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX125: a 发文字号 (伊协〔2026〕3号) belongs to one document of its year (two merged pull requests can collide)."""
    for year, number, docs in duplicate_numbers(zone):
        free = next_document_number(zone, year)
        for doc in docs[1:]:
            yield Diagnostic(doc.at("number"), "DJX125", ERROR,
                             f"{year} 年的发文字号序号 {number} 重复（另见 {docs[0].src}）",
                             f"发文字号一经印发不再改变：后印发的文件应改为 {free} 号")


def check_attachments(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX113: attachments exist inside the zone directory."""
    root = Path(zone.root)
    for act in zone.activities:
        for i, rel in enumerate(act.attachments):
            target = os.path.normpath(root / rel)
            inside = target.startswith(os.path.normpath(root) + os.sep)
            if not inside or not os.path.exists(target):
                why = "不在协作区目录内" if not inside else "不存在"
                yield Diagnostic(act.at(f"attachments.{i}"), "DJX113", ERROR, f"附件“{rel}”{why}",
                                 "附件路径相对于协作区目录（zone.yaml 所在目录），如 attachments/2024/照片.jpg")


def check_members_in_rotation(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX202 (--strict only, a warning): a member unit (not the lead unit, not left) that is in no rotation's order."""
    if not ctx.strict or not zone.info_ok or not zone.info.rotations:
        return
    ordered = {uid for rotation in zone.info.rotations for uid in rotation.order}
    for unit in sorted(zone.units.values(), key=lambda u: u.id):
        if unit.role != "成员单位" or unit.id == zone.info.lead_unit or unit.id in ordered:
            continue
        if unit.left is not None and unit.left <= ctx.today:
            continue
        yield Diagnostic(unit.at("role"), "DJX202", WARNING, f"成员单位“{unit.short_name or unit.name}”不在任何轮值顺序中",
                         f"在 zone.yaml 的 rotations 的 order 中加入 {unit.id}（或运行 djxz new unit 时用 --rotation append）；"
                         "不参加轮值的合作方应写 role: 共建单位")


CHECKS = [
    check_leading_group,
    check_lead_and_office,
    check_dates_in_order,
    check_rotations,
    check_plans,
    check_links,
    check_bulletin_numbers,
    check_document_numbers,
    check_attachments,
    check_members_in_rotation,
]
