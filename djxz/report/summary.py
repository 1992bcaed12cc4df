"""The half-year and full-year summary report's context (总结通报): figures, comparisons, selections and findings.

Data only: the templates (templates/report.md.j2) hold every sentence. See djxz/report/figures.py for how each figure is
computed; this module gathers them per section of the report, in the order GONGWEN.md gives.
"""

from __future__ import annotations

import datetime as dt

from djxz.domain import duties as duty_rules
from djxz.domain.lists import open_items
from djxz.domain.periods import Period
from djxz.domain.rotation import turns_between
from djxz.model import Activity, Zone
from djxz.report import figures as f
from djxz.report.common import (
    ANNUAL, HALF_YEAR, RECORD_KINDS, _duty_slot, _items_in, _recorded_block, _unit_block, _unit_name, _zone_block,
    clean, cn_date, cn_month_day, join, paragraphs, recorded_document,
)
from djxz.vocabulary import CATEGORIES

NUMERALS = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")
MAX_PRACTICES = 4
MAX_MEASURES = 5
# A practice written "lead phrase：sentence" gives its lead phrase in bold when the phrase is this short.
LEAD_MAX = 16


def build_report_context(zone: Zone, period: Period, issued: dt.date, as_of: dt.date | None = None) -> dict:
    """The half-year (`period.kind == "half"`) or full-year (`"year"`) summary report (总结通报) of `period`.

    `issued` is the report's date; `as_of` the day duties are judged at (the issue date when not given).
    """
    if period.kind not in ("half", "year"):
        raise ValueError(f"a summary report covers a half year or a year, not {period.kind}")
    as_of = as_of or issued
    kind = HALF_YEAR if period.kind == "half" else ANNUAL
    record = recorded_document(zone, RECORD_KINDS[kind], str(period))
    issued = record.date if record else issued
    acts = zone.activities_between(period.start, period.end)
    period_units = [s.unit for s in turns_between(zone, period.start, period.end)]
    duty_ids = list(dict.fromkeys(u for u in period_units if u))
    duty = _unit_block(zone, duty_ids[0] if duty_ids else None)
    # The report is written when the period is over: at mid-year by that year's duty unit, at year start by the new one.
    signer_id = record.issuer if record and record.issuer else None
    if signer_id is None:
        slot = _duty_slot(zone, period.end + dt.timedelta(days=1)) or _duty_slot(zone, period.start)
        signer_id = slot.unit if slot else None
    signer = _unit_block(zone, signer_id)
    label = period.label if kind == HALF_YEAR else f"{period.year}年"
    zone_block = _zone_block(zone)
    named = period.label if kind == HALF_YEAR else f"{period.year}年度"  # how a title and a file name call the period
    title = clean(record.title) if record else f"关于{zone_block['name']}{named}工作情况的通报"

    groups = f.by_category(acts)
    rows = f.participation(zone, acts, period.start, period.end)
    plan = zone.plans.get(period.year)
    planned = _items_in(plan.items, period.start, period.end) if plan else []
    done_items = {a.plan_item for a in zone.activities if a.plan_item}
    yoy = f.compare(zone, acts, f.same_period_a_year_earlier(period))
    mom = f.compare(zone, acts, f.previous_half(period))
    duties = _duties(zone, period, as_of)
    figures = {
        "activities": len(acts),
        "attendance": f.attendance_of(acts),
        "attendance_missing": sum(1 for a in acts if a.attendance is None),
        "units": sum(1 for r in rows if r["hosted"] or r["joined"]),
        "member_units": sum(1 for r in rows if r["member"] and (r["hosted"] or r["joined"])),
        "partner_units": sum(1 for r in rows if not r["member"] and (r["hosted"] or r["joined"])),
        "highlights": sum(1 for a in acts if a.highlight),
        "planned": len(planned),
        "planned_done": sum(1 for i in planned if i.id in done_items),
        "categories_with_work": sum(1 for c in CATEGORIES if groups[c]),
        "by_category": [{"name": c, "count": len(groups[c]), "attendance": f.attendance_of(groups[c])}
                        for c in CATEGORIES if groups[c]],
    }
    return {
        "kind": kind,
        "title": title,
        "file_stem": f"{named}协作区工作情况通报",  # no record text in a file name
        "zone": zone_block,
        "period": {"code": str(period), "kind": period.kind, "label": label, "year": period.year,
                   "start": cn_date(period.start), "end": cn_date(period.end)},
        "duty_unit": duty,
        "duty_units": [_unit_name(zone, u, short=True) for u in duty_ids],
        "duty_unit_names": [_unit_name(zone, u) for u in duty_ids],  # full names, for the first mention (导语)
        "lead_unit": _unit_block(zone, zone.info.lead_unit),
        "plan_theme": clean(plan.theme) if plan and plan.theme else "",
        "numerals": NUMERALS,
        "figures": figures,
        "yoy": yoy,
        "mom": mom,
        "categories": [_category(zone, c, groups[c], yoy) for c in CATEGORIES if groups[c]],
        "practices": _practices(acts),
        "duties": duties,
        "honors": [{"text": clean(h), "activity": clean(a.title), "date": cn_month_day(a.date)}
                   for a in acts for h in a.honors if clean(h)],
        "problems": _problems(zone, acts, rows, yoy, mom, duties, [i for i in planned if i.id not in done_items],
                              period.end),
        "next": _next(zone, period),
        "annex": {
            "activities": [_annex_row(zone, a) for a in acts],
            "duties": duties["rows"],
        },
        "signature": signer["signature"] if signer_id else duty["signature"],
        "signer": signer,
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }


def _short(zone: Zone, ids) -> list[str]:
    return [_unit_name(zone, u, short=True) for u in ids]


def _activity(zone: Zone, act: Activity) -> dict:
    """A representative activity as data: the template words it with the verb its kind takes."""
    return {
        "id": act.id,
        "date": cn_month_day(act.date),
        "title": clean(act.title),
        "kind": act.kind,
        "hosts": _short(zone, act.hosts),
        "location": clean(act.location),
        "units": len(act.units),
        "attendance": act.attendance,
        "highlight": act.highlight,
        # A record's own text is quoted only when it states no zone-wide total (one figure per quantity).
        "result": f.without_totals(clean(act.result)).rstrip("。；，"),
    }


def _category(zone: Zone, name: str, acts: list[Activity], yoy: dict | None) -> dict:
    reps = f.representative(acts)
    return {
        "name": name,
        "count": len(acts),
        "attendance": f.attendance_of(acts),
        "compare": yoy["categories"][name] if yoy and yoy["known"] else None,
        "representatives": [_activity(zone, a) for a in reps],
        "others": len(acts) - len(reps),
    }


def _practices(acts: list[Activity]) -> list[dict]:
    """Up to MAX_PRACTICES practices, highlights' first, one per activity, spread over categories where possible."""
    ranked = sorted((a for a in acts if a.practices), key=lambda a: (not a.highlight, not f.has_result(a), a.date, a.id))
    chosen: list[Activity] = []
    for pass_ in (0, 1):
        for a in ranked:
            if len(chosen) >= MAX_PRACTICES or a in chosen:
                continue
            if pass_ == 0 and any(c.category == a.category for c in chosen):
                continue
            chosen.append(a)
    out = []
    for a in sorted(chosen, key=lambda a: (a.date, a.id)):
        text = f.without_totals(paragraphs(a.practices[0])[0] if paragraphs(a.practices[0]) else "")
        if not text:
            continue
        lead, _, rest = text.partition("：")
        if not rest or len(lead) > LEAD_MAX:
            lead, rest = "", text
        out.append({"lead": lead, "text": rest.rstrip("。") , "activity": clean(a.title), "date": cn_month_day(a.date),
                    "category": a.category})
    return out


def _duties(zone: Zone, period: Period, as_of: dt.date) -> dict:
    """The duty unit's own duties due in the period, one group per rule, and the rows of 附件2.

    The lead unit's duties are left out: a duty unit's report does not grade its superior.
    """
    d = duty_rules
    instances = [i for i in d.evaluate(zone, as_of, period.start, period.end)
                 if i.status != d.NOT_APPLICABLE and i.owner_role == d.DUTY]
    groups: dict[str, list] = {}
    for inst in instances:
        groups.setdefault(inst.rule_id, []).append(inst)
    out, rows = [], []
    for rule_id, group in groups.items():
        done = [i for i in group if i.status == d.DONE]
        missed = [i for i in group if i.status == d.OVERDUE]
        exempt = [i for i in group if i.status == d.EXEMPT]
        out.append({
            "rule": rule_id,
            "title": clean(group[0].title),
            "count": len(group),
            "done": len(done),
            "on_time": sum(1 for i in done if not i.late),
            "late": sum(1 for i in done if i.late),
            "missed": len(missed),
            "exempt": len(exempt),
            "open": len(group) - len(done) - len(missed) - len(exempt),
            "missed_periods": [clean(i.period_label) for i in missed],
            # The leading group's 免于 or 顺延 (plans/<year>.yaml adjustments): its reason is cited, not a bare 逾期.
            "reasons": [r for r in dict.fromkeys(_reason(i) for i in group) if r],
            "exempt_reasons": [r for r in dict.fromkeys(_reason(i) for i in exempt) if r],
        })
        for i in group:
            rows.append({"title": clean(i.title), "period": clean(i.period_label),
                         "owner": _unit_name(zone, i.owner, short=True) if i.owner else "",
                         "deadline": cn_date(i.deadline), "status": i.status, "late": i.late,
                         "completed": cn_date(i.completed_on) if i.completed_on else "",
                         "reason": _reason(i)})
    return {"groups": out, "rows": rows, "total": len(instances),
            "missed": sum(g["missed"] for g in out), "late": sum(g["late"] for g in out)}


def _reason(instance) -> str:
    adjustment = instance.adjustment
    return clean(adjustment.reason) if adjustment is not None and adjustment.reason else ""


def _problems(zone, acts, rows, yoy, mom, duties, undone, period_end: dt.date) -> dict:
    """存在的问题 as findings; `weakest` is filled only when nothing else is found (never a boilerplate 'no problems')."""
    # The lead unit is the duty unit's superior: a duty unit's report never lists it among the weak.
    rows = [r for r in rows if r["id"] != zone.info.lead_unit]
    idle = [r for r in rows if not r["hosted"] and not r["joined"]]
    no_host = [r for r in rows if r["member"] and not r["hosted"] and r["joined"]]
    partners = [r for r in rows if not r["member"] and not r["hosted"] and r["joined"]]
    falls = []
    for name, cmp_ in (("yoy", yoy), ("mom", mom)):
        if not cmp_ or not cmp_["known"]:
            continue
        for quantity in ("activities", "attendance") if name == "yoy" else ("activities",):
            if cmp_[quantity]["direction"] == "down":
                falls.append({"against": name, "period": cmp_["period"], "quantity": quantity, **cmp_[quantity]})
        # Categories against the same period a year earlier only: a half-on-half fall by category is seasonal noise.
        for cat, c in cmp_["categories"].items() if name == "yoy" else ():
            if c["direction"] == "down":
                falls.append({"against": name, "period": cmp_["period"], "quantity": "category", "name": cat, **c})
    duty_findings = [g for g in duties["groups"] if g["missed"] or g["late"]]
    found = {
        "thin": f.thin_categories(acts),
        "idle_units": _short(zone, (r["id"] for r in idle)),
        "no_host_units": _short(zone, (r["id"] for r in no_host)),
        "partners_no_host": _short(zone, (r["id"] for r in partners)),
        "falls": falls,
        "duties": duty_findings,
        "undone": [{"title": clean(i.title), "host": _unit_name(zone, i.host, short=True) if i.host else ""}
                   for i in undone],
    }
    # One numbered finding (一是…二是…) per kind, in this order; the template words each kind.
    items = [{"kind": "thin", "categories": found["thin"]}] if found["thin"] else []
    items += [{"kind": "falls", "falls": falls}] if falls else []
    for key in ("idle_units", "no_host_units", "partners_no_host"):
        if found[key]:
            items.append({"kind": key, "units": found[key]})
    items += [{"kind": "duties", "duties": duty_findings}] if duty_findings else []
    items += [{"kind": "undone", "items": found["undone"]}] if found["undone"] else []
    decisions = _open_decisions(zone, period_end)
    found["decisions"] = decisions
    items += [{"kind": "decisions", **decisions}] if decisions else []
    found["findings"] = items
    found["any"] = bool(items)
    found["weakest"] = None if items else f.weakest_category(acts)
    return found


def _open_decisions(zone: Zone, end: dt.date) -> dict | None:
    """督办: the meetings' decisions still open at the period's end (djxz.domain.lists), the most overdue first."""
    items = open_items(zone, end)
    if not items.decisions:
        return None
    return {"count": len(items.decisions), "overdue": len(items.overdue),
            "items": [{"text": clean(d.decision.text), "owner": _unit_name(zone, d.decision.owner, short=True),
                       "due": cn_date(d.decision.due) if d.decision.due else ""} for d in items.decisions[:3]]}


def _next(zone: Zone, period: Period) -> dict:
    """下步打算: the next period's plan goals (at most MAX_MEASURES) and how many items it schedules per category."""
    if period.kind == "half" and period.index == 1:
        nxt = period.next()
        plan = zone.plans.get(period.year)
        label = nxt.label
        items = _items_in(plan.items, nxt.start, nxt.end) if plan else []
    else:
        plan = zone.plans.get(period.year + 1)
        label = f"{period.year + 1}年"
        items = list(plan.items) if plan else []
    counts = {c: sum(1 for i in items if i.category == c) for c in CATEGORIES}
    return {
        "label": label,
        "has_plan": plan is not None,
        "theme": clean(plan.theme) if plan and plan.theme else "",
        "goals": [clean(g) for g in plan.goals][:MAX_MEASURES] if plan else [],
        "item_count": len(items),
        "by_category": [{"name": c, "count": n} for c, n in counts.items() if n],
    }


def _annex_row(zone: Zone, act: Activity) -> dict:
    when = cn_month_day(act.date)
    if act.end_date and act.end_date != act.date:
        when += f"—{cn_month_day(act.end_date)}"
    return {
        "date": when,
        "title": clean(act.title),
        "category": act.category,
        "hosts": join(_short(zone, act.hosts)),
        "participants": join(_short(zone, [u for u in act.participants if u not in act.hosts])),
        "attendance": act.attendance,
    }
