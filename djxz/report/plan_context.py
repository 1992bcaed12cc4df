"""The year plan's context (年度协作计划), issued as a 通知 with the plan as its 附件.

Data only: the plan's theme and goals, its items per 五共 category (recurring meetings grouped by kind, with every
month and host), the 承办安排表 (every item with the host the plan file records), the rotation, the leading group.
`templates/plan.md.j2` writes every sentence; see docs/documents.md for its blocks.
"""

from __future__ import annotations

import datetime as dt

from djxz.domain.periods import period_of
from djxz.domain.rotation import SOURCE_NAMES, schedule_for
from djxz.model import PlanItem, Zone
from djxz.report.common import (
    MEETING_KINDS, PLAN, RECORD_KINDS, _duty_slot, _item_month, _item_sort_key, _recorded_block, _unit_block,
    _unit_name, _zone_block, clean, cn_date, cn_month_day, cn_number, recorded_document,
)
from djxz.vocabulary import CATEGORIES


def _host(zone: Zone, item: PlanItem) -> str:
    return _unit_name(zone, item.host, short=True) if item.host else ""


def _entry(zone: Zone, item: PlanItem) -> dict:
    month = _item_month(item)
    return {
        "id": item.id,
        "month": month,
        "day": cn_month_day(item.date) if item.date else "",
        "title": clean(item.title),
        "kind": item.kind,
        "category": item.category,
        "host": _host(zone, item),
        "note": clean(item.note).rstrip("。；;，, "),
    }


def _meeting_groups(zone: Zone, items: list[PlanItem]) -> list[dict]:
    """Recurring meetings of one kind together: how many, in which months, and each one's host in month order."""
    groups = []
    for kind in MEETING_KINDS:
        group = [i for i in items if i.kind == kind]
        if not group:
            continue
        hosts = list(dict.fromkeys(h for h in (_host(zone, i) for i in group) if h))
        groups.append({
            "kind": kind,
            "category": group[0].category,
            "count": len(group),
            "months": [m for m in (_item_month(i) for i in group) if m],
            "hosts": hosts,
            # Hosts taking turns (more than one): the 承办安排表 then says who hosts which month.
            "rotating": len(hosts) > 1,
            "entries": [_entry(zone, i) for i in group],
        })
    return groups


def _rotation(zone: Zone, year: int) -> tuple[list[dict], list[str]]:
    info = zone.info
    schedule = schedule_for(zone)
    if schedule is None or not info.rotations:
        return [], []
    rot = info.rotations[0]
    start_day = dt.date(year, 1, 1)
    # In the founding year the units join on the founding day, not on 1 January: count them from then.
    founded = info.established if info.established and info.established.year == year else start_day
    active = [u for u in rot.order if zone.unit(u) and zone.unit(u).active_on(max(start_day, founded))]
    first = period_of(start_day, schedule.kind)
    slots = [schedule.slot(first)] + schedule.following(first, max(len(active), 1) - 1)
    rows = [
        {
            "period": s.period.label,
            "unit": _unit_name(zone, s.unit),
            "short_name": _unit_name(zone, s.unit, short=True),
            "status": SOURCE_NAMES.get(s.source, s.source),
            "note": clean(s.note),
        }
        for s in slots
        if s is not None and s.unit
    ]
    return rows, [_unit_name(zone, u, short=True) for u in active]


def _person(p) -> dict | None:
    if p is None:
        return None
    return {"name": clean(p.name), "title": clean(p.title)}


def _approved_at(zone: Zone, year: int, issued: dt.date) -> str:
    """The day of the year's joint meeting (联席会议) that discussed the plan, when it is recorded before the issue."""
    meetings = [a for a in zone.activities if a.kind == "联席会议" and a.date.year == year and a.date <= issued]
    return cn_date(min(meetings, key=lambda a: a.date).date) if meetings else ""


def build_plan_context(zone: Zone, year: int, issued: dt.date) -> dict:
    """The year's collaboration plan (年度协作计划) and the notice issuing it (关于印发《…》的通知)."""
    plan = zone.plans.get(year)
    record = recorded_document(zone, RECORD_KINDS[PLAN], str(year))
    issued = record.date if record else issued
    info = zone.info
    slot = _duty_slot(zone, dt.date(year, 1, 1))
    duty_id = plan.duty_unit if plan else (slot.unit if slot else None)
    duty = _unit_block(zone, duty_id, recorded=bool(slot and slot.recorded and slot.unit == duty_id))
    rotation, order = _rotation(zone, year)

    items = sorted(plan.items, key=_item_sort_key) if plan else []
    meetings = _meeting_groups(zone, items)
    measures = []
    for i, cat in enumerate(CATEGORIES, start=1):
        measures.append({
            "name": cat,
            "number_cn": cn_number(i),
            "meetings": [m for m in meetings if m["category"] == cat],
            "entries": [_entry(zone, it) for it in items if it.kind not in MEETING_KINDS and it.category == cat],
        })
    schedule = [_entry(zone, it) for it in items]

    group = info.leading_group
    organisation = {
        "leader": _person(group.leader) if group else None,
        "deputies": [_person(p) for p in group.deputies] if group else [],
        "members": [_person(p) for p in group.members] if group else [],
        "office_unit": _unit_name(zone, info.office.unit) if info.office else "",
        "office_director": _person(info.office.director) if info.office else None,
    }
    signer_id = record.issuer if record and record.issuer else info.lead_unit
    signer = _unit_block(zone, signer_id)
    return {
        "kind": PLAN,
        # The notice's title and the plan's own title are written by the template (blocks `title`, `plan_title`);
        # an issued record's title is the plan's.
        "title": "",
        "plan_title": clean(record.title) if record else "",
        "file_stem": f"{year}年度协作区党建工作协作计划",
        "year": year,
        "zone": _zone_block(zone),
        "duty_unit": duty,
        "lead_unit": _unit_block(zone, info.lead_unit),
        "approved_at": _approved_at(zone, year, issued),
        "theme": clean(plan.theme) if plan and plan.theme else "",
        "goals": [clean(g).rstrip("。；;，, ") for g in plan.goals] if plan else [],
        "has_plan": plan is not None,
        "counts": {
            "items": len(items),
            "meetings": sum(m["count"] for m in meetings),
            "activities": len([i for i in items if i.kind not in MEETING_KINDS]),
        },
        "measures": measures,
        "schedule": schedule,
        "organisation": organisation,
        "rotation": rotation,
        "rotation_order": order,
        "signature": signer["signature"],
        "signer": signer,
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }
