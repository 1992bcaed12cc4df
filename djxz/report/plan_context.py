"""The year plan's context (年度协作计划): duty unit, rotation arrangement, recurring meetings, activities."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from djxz.domain.periods import period_of
from djxz.domain.rotation import SOURCE_NAMES, schedule_for
from djxz.model import CATEGORIES, Zone
from djxz.report.common import (
    MEETING_KINDS, PLAN, RECORD_KINDS, _duty_slot, _item_block, _item_sort_key, _item_when, _recorded_block,
    _unit_block, _unit_name, _zone_block, clean, cn_date, heading1, heading2, join, recorded_document,
)

def build_plan_context(zone: Zone, year: int, issued: dt.date) -> dict:
    """The year's collaboration plan (年度协作计划): duty unit, rotation arrangement, recurring meetings, activities."""
    plan = zone.plans.get(year)
    record = recorded_document(zone, RECORD_KINDS[PLAN], str(year))
    issued = record.date if record else issued
    info = zone.info
    slot = _duty_slot(zone, dt.date(year, 1, 1))
    duty_id = plan.duty_unit if plan else (slot.unit if slot else None)
    duty = _unit_block(zone, duty_id, recorded=bool(slot and slot.recorded and slot.unit == duty_id))

    rotation = []
    schedule = schedule_for(zone)
    order_names: list[str] = []
    if schedule is not None and info.rotations:
        rot = info.rotations[0]
        start_day = dt.date(year, 1, 1)
        active = [u for u in rot.order if zone.unit(u) and zone.unit(u).active_on(start_day)]
        order_names = [_unit_name(zone, u, short=True) for u in active]
        first = period_of(start_day, schedule.kind)
        slots = [schedule.slot(first)] + schedule.following(first, max(len(active), 1) - 1)
        for s in slots:
            if s is None or not s.unit:
                continue
            rotation.append({
                "period": s.period.label,
                "unit": _unit_name(zone, s.unit),
                "short_name": _unit_name(zone, s.unit, short=True),
                "status": SOURCE_NAMES.get(s.source, s.source),
                "note": clean(s.note),
            })

    items = sorted(plan.items, key=_item_sort_key) if plan else []
    meetings = []
    for kind in MEETING_KINDS:
        group = [i for i in items if i.kind == kind]
        if not group:
            continue
        when = join(_item_when(i) for i in group)
        hosts = join(dict.fromkeys(_unit_name(zone, i.host, short=True) for i in group if i.host))
        line = f"{kind}{len(group)}次：{when}"
        line += f"（承办：{hosts}）。" if hosts else "。"
        meetings.append({"kind": kind, "count": len(group), "when": when, "hosts": hosts, "line": line,
                         "entries": [_item_block(zone, i) for i in group]})
    activities = [i for i in items if i.kind not in MEETING_KINDS]
    categories = []
    for i, cat in enumerate(CATEGORIES, start=1):
        blocks = [_item_block(zone, it) for it in activities if it.category == cat]
        held = Counter(it.kind for it in items if it.kind in MEETING_KINDS and it.category == cat)
        meetings_text = join(f"{kind}{n}次" for kind, n in held.items())
        if blocks and held:
            lead = f"安排{cat}活动{len(blocks)}项，另有例行会议{sum(held.values())}次（见例行会议）。"
        elif blocks:
            lead = f"安排{cat}活动{len(blocks)}项。"
        elif held:
            lead = f"本年度{cat}主要通过例行会议推进：{meetings_text}。"
        else:
            lead = f"本年度暂未安排{cat}活动，视工作需要适时开展。"
        categories.append({"name": cat, "heading": heading2(i, cat), "entries": blocks, "lead": lead})

    group = info.leading_group

    def person(p) -> str:
        if p is None:
            return ""
        return clean(p.name) + (f"（{clean(p.title)}）" if p.title else "")

    organisation = {
        "leader": person(group.leader) if group else "",
        "deputies": [person(p) for p in group.deputies] if group else [],
        "members": [person(p) for p in group.members] if group else [],
        "office_unit": _unit_name(zone, info.office.unit) if info.office else "",
        "office_director": person(info.office.director) if info.office else "",
    }
    lead = _unit_block(zone, info.lead_unit)
    signer_id = record.issuer if record and record.issuer else info.lead_unit
    signer = _unit_block(zone, signer_id)
    title = clean(record.title) if record else f"{clean(info.name)}{year}年度党建工作联建协作计划"
    intro = (
        f"为推动协作区{year}年度党建工作联建协作有序开展，根据协作区工作方案和联席会议部署，"
        f"制定本计划。{year}年度轮值单位为{duty['name'] or '（未确定）'}。"
    )
    headings = {
        "goals": heading1(1, "目标任务"),
        "organisation": heading1(2, "组织领导和轮值安排"),
        "meetings": heading1(3, "例行会议"),
        "activities": heading1(4, "“五共”协作活动安排"),
        "requirements": heading1(5, "工作要求"),
    }
    requirements = [
        "轮值单位负责本年度活动的具体策划、方案制定、组织实施和保障，牵头单位协调、协助完成轮值工作任务。",
        f"轮值单位每年年初和年中总结通报协作区工作情况，及时编发信息简报，报送协作区领导小组和{clean(info.political_office) or '上级政治处'}。",
        "各成员单位按照计划认真组织、密切配合，活动结束后及时录入活动记录，做到每项情况只报一次。",
    ]
    return {
        "kind": PLAN,
        "title": title,
        "file_stem": f"{year}年度协作区党建工作协作计划",
        "year": year,
        "zone": _zone_block(zone),
        "duty_unit": duty,
        "lead_unit": lead,
        "addressee": "协作区各成员单位",
        "intro": intro,
        "theme": clean(plan.theme) if plan and plan.theme else "",
        "goals": [clean(g) for g in plan.goals] if plan else [],
        "has_plan": plan is not None,
        "headings": headings,
        "organisation": organisation,
        "rotation": rotation,
        "rotation_order": join(order_names),
        "meetings": meetings,
        "categories": categories,
        "requirements": requirements,
        "signature": signer["signature"],
        "signer": signer,
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }

