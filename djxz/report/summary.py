"""The half-year and full-year summary report's context (总结通报)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from djxz.domain import duties as duty_rules
from djxz.domain.periods import Period
from djxz.domain.rotation import turns_between
from djxz.model import CATEGORIES, Activity, Zone
from djxz.report.common import (
    ANNUAL, HALF_YEAR, RECORD_KINDS, _activity_block, _duty_slot, _item_block, _item_sort_key, _item_when, _items_in,
    _member_during, _recorded_block, _sort_units, _unit_block, _unit_name, _zone_block, clean, paragraphs, cn_date, cn_month_day,
    heading1, heading2, join, recorded_document,
)

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
    duty = _unit_block(zone, period_units[0] if period_units else None)
    duty_names = join(_unit_name(zone, u) for u in dict.fromkeys(period_units)) or "（未确定）"
    # The report is written when the period is over: at mid-year by that year's duty unit, at year start by the new one.
    report_day = period.end + dt.timedelta(days=1)
    signer_id = record.issuer if record and record.issuer else None
    if signer_id is None:
        slot = _duty_slot(zone, report_day) or _duty_slot(zone, period.start)
        signer_id = slot.unit if slot else None
    signer = _unit_block(zone, signer_id)

    label = period.label if kind == HALF_YEAR else f"{period.year}年度"
    file_stem = f"{label}协作区工作情况通报"
    title = clean(record.title) if record else f"关于{clean(zone.info.name)}{label}工作情况的通报"

    by_cat = {c: [a for a in acts if a.category == c] for c in CATEGORIES}
    attendance = sum(a.attendance for a in acts if a.attendance is not None)
    missing_attendance = sum(1 for a in acts if a.attendance is None)
    involved = {u for a in acts for u in a.units}
    members = [u for u in involved if (zone.unit(u) is None or zone.unit(u).is_member_unit)]
    partners = [u for u in involved if u not in members]
    plan = zone.plans.get(period.year)
    planned = _items_in(plan.items, period.start, period.end) if plan else []
    done_items = {a.plan_item for a in zone.activities if a.plan_item}
    planned_done = [i for i in planned if i.id in done_items]
    highlights = [a for a in acts if a.highlight]

    numbers = {
        "activities": len(acts),
        "attendance": attendance,
        "attendance_missing": missing_attendance,
        "units": len(involved),
        "member_units": len(members),
        "partner_units": len(partners),
        "highlights": len(highlights),
        "planned": len(planned),
        "planned_done": len(planned_done),
    }
    overview = _overview_paragraphs(label, numbers, by_cat)
    category_rows = [
        {
            "name": c,
            "count": len(by_cat[c]),
            "attendance": sum(a.attendance for a in by_cat[c] if a.attendance is not None),
        }
        for c in CATEGORIES
    ]
    category_rows.append({"name": "合计", "count": len(acts), "attendance": attendance})

    categories = []
    for i, cat in enumerate(CATEGORIES, start=1):
        items = [_activity_block(zone, a) for a in by_cat[cat]]
        practices = [
            {"text": p, "activity": clean(a.title), "date": cn_month_day(a.date)}
            for a in by_cat[cat]
            for p in paragraphs("\n".join(a.practices))
        ]
        if items:
            lead = f"{label}开展{cat}活动{len(items)}次。"
        else:
            lead = f"{label}未开展{cat}活动。"
        categories.append({
            "name": cat,
            "heading": heading2(i, cat),
            "count": len(items),
            "lead": lead,
            "activities": items,
            "practices": practices,
        })

    duties = _duties_block(zone, period, as_of)
    units = _units_table(zone, acts, period)
    problems = _problems(zone, period, label, by_cat, planned, done_items, duties, units)
    next_plans = _next_plans(zone, period)

    sections = ["overview", "categories", "duties", "units", "problems", "next"]
    names = {
        "overview": "总体情况",
        "categories": "“五共”工作开展情况",
        "duties": "职责落实情况",
        "units": "各单位参与情况",
        "problems": "存在的问题",
        "next": "下步工作安排",
    }
    headings = {key: heading1(i, names[key]) for i, key in enumerate(sections, start=1)}

    intro = (
        f"{label}（{cn_date(period.start)}至{cn_date(period.end)}），协作区轮值单位为{duty_names}。"
        f"在协作区领导小组的统一领导下，各成员单位围绕组织共建、发展共谋、文化共育、教育共抓、资源共享“五共”措施，"
        f"协同开展党建工作。现将有关情况通报如下。"
    )
    return {
        "kind": kind,
        "title": title,
        "file_stem": file_stem,
        "zone": _zone_block(zone),
        "period": {"code": str(period), "label": label, "start": cn_date(period.start), "end": cn_date(period.end)},
        "duty_unit": duty,
        "duty_units": duty_names,
        "addressee": "协作区各成员单位",
        "intro": intro,
        "headings": headings,
        "overview": {**numbers, "paragraphs": overview, "by_category": category_rows},
        "categories": categories,
        "duties": duties,
        "units": units,
        "problems": problems,
        "next": next_plans,
        "signature": signer["signature"] if signer_id else duty["signature"],
        "signer": signer,
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }



def _overview_paragraphs(label: str, n: dict, by_cat: dict[str, list[Activity]]) -> list[str]:
    if not n["activities"]:
        return [f"{label}，协作区没有活动记录。"]
    parts = "、".join(f"{c}{len(by_cat[c])}次" for c in CATEGORIES if by_cat[c])
    first = f"{label}，协作区共组织开展活动{n['activities']}次，其中{parts}。"
    units = f"参与活动的单位{n['units']}个（成员单位{n['member_units']}个"
    units += f"、共建单位{n['partner_units']}个）" if n["partner_units"] else "）"
    units += f"，累计参加{n['attendance']}人次"
    if n["attendance_missing"]:
        units += f"（另有{n['attendance_missing']}次活动未记录人数）"
    units += "。"
    out = [first, units]
    tail = []
    if n["highlights"]:
        tail.append(f"亮点活动{n['highlights']}项")
    if n["planned"]:
        tail.append(f"年度计划安排在本期的{n['planned']}项事项已开展{n['planned_done']}项")
    if tail:
        out.append("；".join(tail) + "。")
    return out


def _duties_block(zone: Zone, period: Period, as_of: dt.date) -> dict:
    """Duties met and missed: every duty instance due in the period (djxz.domain.duties), judged on `as_of`.

    Instances of one rule are summed up in one line (a monthly forum is six instances in a half year); `met`, `missed`
    and `open` keep every instance for templates that want a table.
    """
    d = duty_rules
    instances = [i for i in d.evaluate(zone, as_of, period.start, period.end) if i.status != d.NOT_APPLICABLE]
    met, missed, open_ = [], [], []
    by_rule: dict[str, list] = {}
    for inst in instances:
        by_rule.setdefault(inst.rule_id, []).append(inst)
        row = {
            "rule": inst.rule_id,
            "title": clean(inst.title),
            "period": clean(inst.period_label),
            "owner": _duty_owner(zone, inst),
            "deadline": cn_date(inst.deadline),
            "status": inst.status,
            "late": inst.late,
            "completed": cn_date(inst.completed_on) if inst.completed_on else "",
        }
        if inst.status == d.DONE:
            met.append(row)
        elif inst.status == d.OVERDUE:
            missed.append(row)
        else:
            open_.append(row)
    lines = []
    for group in by_rule.values():
        first = group[0]
        done = [i for i in group if i.status == d.DONE]
        late = [i for i in done if i.late]
        overdue = [i for i in group if i.status == d.OVERDUE]
        pending = [i for i in group if i.status in (d.TODO, d.DUE_SOON)]
        owners = join(dict.fromkeys(_duty_owner(zone, i) for i in group))
        text = f"{clean(first.title)}（{owners}）："
        if len(group) == 1:
            if done:
                text += "已完成" + (f"，完成于{cn_date(first.completed_on)}，晚于期限" if late and first.completed_on else "")
            elif overdue:
                text += f"逾期未完成（期限{cn_date(first.deadline)}）"
            else:
                text += f"正在办理（期限{cn_date(first.deadline)}）"
        else:
            parts = [f"应完成{len(group)}次", f"已完成{len(done)}次" + (f"（其中逾期完成{len(late)}次）" if late else "")]
            if overdue:
                parts.append(f"逾期未完成{len(overdue)}次（{join(clean(i.period_label) for i in overdue)}）")
            if pending:
                parts.append(f"正在办理{len(pending)}次")
            text += "，".join(parts)
        lines.append(text + "。")
    total = len(instances)
    if total:
        summary = f"本期到期的职责共{total}项，已完成{len(met)}项"
        summary += f"，逾期未完成{len(missed)}项" if missed else "，没有逾期未完成的职责"
        summary += f"，正在办理{len(open_)}项。" if open_ else "。"
    else:
        summary = "本期没有到期的职责。"
    return {"met": met, "missed": missed, "open": open_, "paragraphs": [summary], "lines": lines}


def _duty_owner(zone: Zone, inst) -> str:
    if inst.owner:
        return f"{inst.owner_role}{_unit_name(zone, inst.owner, short=True)}"
    return f"{inst.owner_role}（未确定）"


def _units_table(zone: Zone, acts: list[Activity], period: Period) -> dict:
    hosted: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    for a in acts:
        for u in a.hosts:
            hosted[u] += 1
        for u in a.participants:
            if u not in a.hosts:
                joined[u] += 1
    ids = [u.id for u in zone.member_units() if _member_during(u, period.start, period.end)]
    ids += list(hosted) + list(joined)
    rows, idle = [], []
    for uid in _sort_units(zone, ids):
        unit = zone.unit(uid)
        row = {
            "id": uid,
            "name": _unit_name(zone, uid),
            "short_name": _unit_name(zone, uid, short=True),
            "role": unit.role if unit else "",
            "hosted": hosted[uid],
            "joined": joined[uid],
            "total": hosted[uid] + joined[uid],
        }
        notes = []
        if unit and not unit.is_member_unit:
            notes.append(unit.role)
        if unit and unit.joined and period.start < unit.joined <= period.end:
            notes.append(f"{cn_date(unit.joined)}加入")
        if unit and unit.left and period.start < unit.left <= period.end:
            notes.append(f"{cn_date(unit.left)}退出")
        row["note"] = "，".join(notes)
        rows.append(row)
        if unit and unit.is_member_unit and not row["total"] and not row["note"]:
            idle.append(row["name"])
    return {"rows": rows, "idle": idle}


def _problems(zone, period, label, by_cat, planned, done_items, duties, units) -> list[str]:
    out = []
    missing = [c for c in CATEGORIES if not by_cat[c]]
    if missing:
        out.append(f"“五共”措施推进不够均衡，{label}未开展{join(missing)}类活动。")
    undone = [i for i in planned if i.id not in done_items]
    if undone:
        names = join(f"“{clean(i.title)}”（{_item_when(i)}）" for i in undone)
        out.append(f"年度计划安排在本期的{len(undone)}项事项未见活动记录：{names}。")
    if duties["missed"]:
        counts = Counter(d["title"] for d in duties["missed"])
        names = join(f"{t}{n}项" if n > 1 else t for t, n in counts.items())
        out.append(f"有{len(duties['missed'])}项职责逾期未完成：{names}。")
    if units["idle"]:
        out.append(f"{join(units['idle'])}{label}未参加协作区活动，联建协作的覆盖面还需扩大。")
    if not out:
        out.append("从记录看，本期计划事项均已开展，各项职责按时完成，未发现突出问题。")
    return out


def _next_plans(zone: Zone, period: Period) -> dict:
    """What comes next: the next half year's items of this year's plan, or next year's plan."""
    if period.kind == "half" and period.index == 1:
        nxt = period.next()
        plan = zone.plans.get(period.year)
        label = nxt.label
        items = _items_in(plan.items, nxt.start, nxt.end) if plan else []
        goals: list[str] = []
        theme = ""
    else:
        year = period.year + 1
        plan = zone.plans.get(year)
        label = f"{year}年"
        items = sorted(plan.items, key=_item_sort_key) if plan else []
        goals = [clean(g) for g in plan.goals] if plan else []
        theme = clean(plan.theme) if plan and plan.theme else ""
    blocks = [_item_block(zone, i) for i in items]
    if plan is None:
        lead = f"{label}协作计划尚未制定，请牵头单位及早谋划。"
    elif not blocks:
        lead = f"{label}协作计划中暂无具体安排。"
    else:
        lead = f"{label}，协作区将按照年度协作计划重点做好以下工作："
    by_cat = [
        {"name": c, "heading": heading2(i, c), "entries": [b for b in blocks if b["category"] == c]}
        for i, c in enumerate((c for c in CATEGORIES if any(b["category"] == c for b in blocks)), start=1)
    ]
    return {"label": label, "lead": lead, "theme": theme, "goals": goals, "entries": blocks, "by_category": by_cat}

