"""What each document says, as plain data: one context builder per document, feeding the Markdown and the DOCX template.

Pure functions over the zone's records. Every string is final text (Chinese dates, names, numbered headings), single-line
and free of control characters, so templates only lay it out. Nothing here knows Markdown or Word.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from typing import Iterable

from djxz.domain import duties as duty_rules
from djxz.domain.lists import open_items
from djxz.domain.periods import Period, period_of
from djxz.domain.rotation import SOURCE_NAMES, duty_unit_for, schedule_for, turns_between
from djxz.model import CATEGORIES, Activity, Document, PlanItem, Unit, Zone

HALF_YEAR = "half_year"
ANNUAL = "annual"
PLAN = "plan"
BULLETIN = "bulletin"

BULLETIN_KIND = "信息简报"
RECORD_KINDS = {HALF_YEAR: "半年总结通报", ANNUAL: "年度总结通报", PLAN: "年度协作计划", BULLETIN: BULLETIN_KIND}

# Meetings the plan schedules again and again (DOMAIN.md, "Recurring meetings"); every other item is an activity.
MEETING_KINDS = ("月度党建座谈", "半年总结部署会", "年度工作谋划会", "发展工作联席会", "联席会议", "工作调度会")

_DIGITS = "零一二三四五六七八九"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


# -- text helpers -------------------------------------------------------------------------------------------------------

def clean(text: object) -> str:
    """One line of text: control characters dropped, runs of whitespace (tabs, newlines) made one space."""
    if text is None:
        return ""
    value = _CONTROL.sub("", str(text).replace("\t", " "))
    return re.sub(r"\s*\n\s*", " ", value).strip()


def paragraphs(text: str | None) -> list[str]:
    """A record's free text as paragraphs: one per non-empty line (how clerks write multi-line YAML text)."""
    if not text:
        return []
    out = []
    for line in str(text).splitlines():
        line = clean(line)
        if line:
            out.append(line)
    return out


def cn_date(day: dt.date) -> str:
    """GB/T 9704: Arabic numerals, no leading zeros: 2024年7月15日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (heading numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def heading1(n: int, text: str) -> str:
    return f"{cn_number(n)}、{text}"


def heading2(n: int, text: str) -> str:
    return f"（{cn_number(n)}）{text}"


def join(names: Iterable[str], sep: str = "、") -> str:
    return sep.join(n for n in names if n)


def display_width(text: str) -> float:
    """Width in full-width characters: CJK and full-width count 1, everything else ½ (for right-indents by 字)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


# -- shared pieces ------------------------------------------------------------------------------------------------------

def _unit_name(zone: Zone, unit_id: str | None, short: bool = False) -> str:
    return clean(zone.unit_name(unit_id, short=short))


def _signature_name(unit: Unit | None, fallback: str) -> str:
    """A party document is signed by the party committee; the unit's own name when its committee is not recorded."""
    if unit is None:
        return clean(fallback)
    if unit.party_org and unit.party_org.name:
        return clean(unit.party_org.name)
    return clean(unit.name)


def _zone_block(zone: Zone) -> dict:
    info = zone.info
    return {
        "name": clean(info.name),
        "short_name": clean(info.short_name or info.name),
        "lead_unit": _unit_name(zone, info.lead_unit),
        "city_committee": clean(info.city_committee),
        "political_office": clean(info.political_office),
    }


def _unit_block(zone: Zone, unit_id: str | None, recorded: bool | None = None) -> dict:
    unit = zone.unit(unit_id or "")
    return {
        "id": unit_id or "",
        "name": _unit_name(zone, unit_id),
        "short_name": _unit_name(zone, unit_id, short=True),
        "signature": _signature_name(unit, unit_id or ""),
        "recorded": recorded,
    }


def _duty_slot(zone: Zone, day: dt.date):
    return duty_unit_for(zone, day)


def recorded_document(zone: Zone, kind: str, period: str | None = None) -> Document | None:
    """The issued document of a kind for a period (the latest when there are several), or None."""
    found = [d for d in zone.documents_of(kind) if period is None or d.period == period]
    return max(found, key=lambda d: (d.date, d.id)) if found else None


def _activity_block(zone: Zone, act: Activity) -> dict:
    hosts = [_unit_name(zone, u, short=True) for u in act.hosts]
    others = [_unit_name(zone, u, short=True) for u in act.participants if u not in act.hosts]
    when = cn_month_day(act.date)
    if act.end_date and act.end_date != act.date:
        when += f"至{cn_month_day(act.end_date) if act.end_date.year == act.date.year else cn_date(act.end_date)}"
    line = f"{when}，{join(hosts)}"
    if act.location:
        line += f"在{clean(act.location)}"
    line += f"组织{clean(act.title)}"
    if others:
        line += f"，{join(others)}参加"
    if act.attendance is not None:
        line += f"，共{act.attendance}人"
    line += "。"
    return {
        "id": act.id,
        "date": cn_date(act.date),
        "when": when,
        "title": clean(act.title),
        "category": act.category,
        "kind": act.kind,
        "hosts": join(hosts),
        "participants": join(others),
        "units": len(act.units),
        "attendance": act.attendance,
        "location": clean(act.location),
        "summary": paragraphs(act.summary),
        "practices": paragraphs("\n".join(act.practices)),
        "highlight": act.highlight,
        "line": line,
    }


def _item_when(item: PlanItem) -> str:
    if item.date:
        return cn_month_day(item.date)
    if item.month:
        return f"{int(item.month[5:7])}月"
    return "全年"


def _item_sort_key(item: PlanItem) -> tuple:
    if item.date:
        return (item.date.month, item.date.day, item.id)
    if item.month:
        return (int(item.month[5:7]), 99, item.id)
    return (13, 0, item.id)


def _item_month(item: PlanItem) -> int | None:
    if item.date:
        return item.date.month
    if item.month:
        return int(item.month[5:7])
    return None


def _item_block(zone: Zone, item: PlanItem) -> dict:
    host = _unit_name(zone, item.host, short=True) if item.host else ""
    extra = [f"{host}承办"] if host else []
    if item.note:
        extra.append(clean(item.note))
    line = f"{_item_when(item)}，{clean(item.title)}" + (f"（{'；'.join(extra)}）" if extra else "") + "。"
    return {
        "id": item.id,
        "when": _item_when(item),
        "title": clean(item.title),
        "kind": item.kind,
        "category": item.category,
        "host": host,
        "note": clean(item.note),
        "line": line,
    }


def _items_in(items: Iterable[PlanItem], start: dt.date, end: dt.date) -> list[PlanItem]:
    """Plan items dated (or, without a date, in a month) that falls in [start, end]; undated items are left out."""
    out = []
    for item in items:
        if item.date:
            inside = start <= item.date <= end
        elif item.month:
            first = dt.date(int(item.month[:4]), int(item.month[5:7]), 1)
            inside = start <= first <= end
        else:
            inside = False
        if inside:
            out.append(item)
    return sorted(out, key=_item_sort_key)


def _sort_units(zone: Zone, ids: Iterable[str]) -> list[str]:
    """Lead unit first, then the duty rotation's order, then the rest by id; partners (共建单位) last."""
    order = {uid: i for i, uid in enumerate(zone.info.rotations[0].order)} if zone.info.rotations else {}

    def key(uid: str) -> tuple:
        unit = zone.unit(uid)
        partner = unit is not None and not unit.is_member_unit
        return (partner, uid != zone.info.lead_unit, order.get(uid, len(order)), uid)

    return sorted(set(ids), key=key)


def _member_during(unit: Unit, start: dt.date, end: dt.date) -> bool:
    if unit.joined and unit.joined > end:
        return False
    return not (unit.left and unit.left <= start)


# -- summary reports (half-year and annual) ----------------------------------------------------------------------------

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


def _recorded_block(record: Document | None) -> dict | None:
    if record is None:
        return None
    return {"id": record.id, "title": clean(record.title), "date": cn_date(record.date), "path": record.src.path}


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
    # 已免除 instances are left out here; `inst.adjustment.reason` is there for a report that cites them (issue 13).
    instances = [i for i in d.evaluate(zone, as_of, period.start, period.end) if i.status not in (d.NOT_APPLICABLE, d.EXEMPT)]
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
    out += _open_decisions(zone, period.end)
    if not out:
        out.append("从记录看，本期计划事项均已开展，各项职责按时完成，未发现突出问题。")
    return out


def _open_decisions(zone: Zone, end: dt.date) -> list[str]:
    """督办: the decisions of the zone's meetings still open at the period's end (djxz.domain.lists)."""
    items = open_items(zone, end)
    if not items.decisions:
        return []
    late = f"，其中{len(items.overdue)}项已逾期" if items.overdue else ""
    shown = join(f"“{clean(d.decision.text)}”（{_unit_name(zone, d.decision.owner, short=True)}，{cn_date(d.decision.due)}前）"
                 for d in items.decisions[:3] if d.decision.due)
    more = "等" if len(items.decisions) > 3 else ""
    return [f"会议确定的督办事项尚有{len(items.decisions)}项未办结{late}：{shown}{more}，需跟踪督办、按期办结。"]


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


# -- the year plan ------------------------------------------------------------------------------------------------------

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
        # In the founding year the units join on the founding day, not on 1 January: count them from then.
        founded = info.established if info.established and info.established.year == year else start_day
        active = [u for u in rot.order if zone.unit(u) and zone.unit(u).active_on(max(start_day, founded))]
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


# -- bulletins ----------------------------------------------------------------------------------------------------------

def recorded_bulletin(zone: Zone, activity_id: str) -> Document | None:
    """The issued bulletin (信息简报) that covers an activity (the earliest, if it was covered twice)."""
    found = [d for d in zone.documents_of(BULLETIN_KIND) if activity_id in d.activities]
    return min(found, key=lambda d: (d.date, d.number or 0, d.id)) if found else None


def next_bulletin_number(zone: Zone, year: int) -> int:
    """The next free number of a year: one past the highest issued, so a number is never reused, not even a gap's."""
    numbers = [d.number for d in zone.documents_of(BULLETIN_KIND) if d.date.year == year and d.number]
    return max(numbers, default=0) + 1


def build_bulletin_context(
    zone: Zone,
    activities: list[Activity],
    number: int,
    issued: dt.date,
    provisional: bool = False,
    record: Document | None = None,
) -> dict:
    """A numbered bulletin (信息简报) on one or more activities. `record` is its document record once issued."""
    info = zone.info
    settings = info.bulletin
    slot = _duty_slot(zone, issued)
    compiler_id = record.issuer if record and record.issuer else (slot.unit if slot else info.lead_unit)
    compiler = _unit_block(zone, compiler_id)
    blocks = [_activity_block(zone, a) for a in sorted(activities, key=lambda a: (a.date, a.id))]
    if record is not None:
        title = clean(record.title)
    elif len(blocks) == 1:
        title = blocks[0]["title"]
    else:
        title = f"{blocks[0]['title']}等{len(blocks)}项活动" if blocks else ""
    for i, b in enumerate(blocks, start=1):
        b["heading"] = heading1(i, b["title"]) if len(blocks) > 1 else ""
    report_to = [clean(x) for x in settings.report_to] or ["协作区领导小组", clean(info.political_office)]
    send_to = [clean(x) for x in settings.send_to]
    distribute_to = [clean(x) for x in settings.distribute_to] or ["协作区各成员单位"]

    def line(label: str, names: list[str]) -> str:
        names = [n for n in names if n]
        return f"{label}：{join(names, '，')}。" if names else ""

    year = issued.year
    number_text = f"第{number}期" + ("（期号待定）" if provisional else "")
    stem = f"{year}年第{number}期信息简报" + ("（期号待定）" if provisional else "")
    return {
        "kind": BULLETIN,
        "title": title,
        "file_stem": stem,
        "zone": _zone_block(zone),
        "masthead": {
            "name": clean(settings.name) or "党建协作区工作简报",
            "number": number,
            "year": year,
            "number_text": number_text,
            "compiler": f"{clean(info.short_name or info.name)}轮值单位（{compiler['short_name']}）编",
            "date": cn_date(issued),
        },
        "provisional": provisional,
        "compiler": compiler,
        "activities": blocks,
        "multiple": len(blocks) > 1,
        "footer": {
            "report_to": line("报", report_to),
            "send_to": line("送", send_to),
            "distribute_to": line("发", distribute_to),
            "copies": settings.copies,
            "copies_text": f"（共印{settings.copies}份）" if settings.copies else "",
        },
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }
