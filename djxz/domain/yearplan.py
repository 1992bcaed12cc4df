"""The draft of a year's plan from the duty rules: the recurring meetings and the deadlines, on official working days. Pure.

Placement, so a clerk can predict it:
- a deadline lands on the last working day on or before it (a duty is never planned after its deadline);
- a meeting lands on the first working day on or after its target day in the period (monthly: the 20th; half-yearly:
  the development meeting on the 15th of the half's third month, the summary-and-deployment meeting on the 25th of its
  last month; quarterly: the 15th of the middle month; yearly: two weeks before the deadline), and never after the
  period's end or the rule's deadline (then: the last working day before); two meetings never share a day (the later
  rule's moves to the next working day when it can).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from djxz.domain.duty_rules import BY_OUTGOING, LEAD, PERIOD_KINDS
from djxz.domain.periods import Period
from djxz.domain.rotation import duty_unit_for
from djxz.domain.workdays import WorkdayCalendar
from djxz.model import DutyRule, Zone

# Which of the five categories a recurring meeting belongs to; everything else is organisation building (组织共建).
MEETING_CATEGORIES = {"发展工作联席会": "发展共谋"}
DEFAULT_CATEGORY = "组织共建"
DEADLINE_KIND = "其他"
_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}
_INDEX_NAMES = {"half": "h", "quarter": "q", "month": ""}


@dataclass(frozen=True)
class DraftItem:
    """One planned item: a meeting (`deadline` None) or a duty's deadline (`deadline` set, `date` the working day)."""

    id: str
    title: str
    kind: str
    category: str
    date: dt.date
    host: str | None
    rule_id: str
    period: Period
    deadline: dt.date | None = None
    note: str | None = None


def rule_deadline(rule: DutyRule, period: Period, established: dt.date | None) -> dt.date:
    """When a periodic duty is due in `period` (the duty rules' own reading of deadline / due_days / first_due_days)."""
    if established is not None and period.contains(established) and rule.first_due_days is not None:
        return established + dt.timedelta(days=rule.first_due_days)
    if rule.deadline:
        try:
            return dt.date(period.year, int(rule.deadline[:2]), int(rule.deadline[3:5]))
        except ValueError:
            return period.end
    if rule.due_days is not None:
        return period.end + dt.timedelta(days=rule.due_days)
    return period.end


def _meeting_target(kind: str, activity_kind: str | None, period: Period, deadline: dt.date) -> dt.date:
    start = period.start
    if kind == "month":
        return start.replace(day=20)
    if kind == "half":
        if activity_kind == "半年总结部署会":
            return start.replace(month=start.month + 5, day=25)
        return start.replace(month=start.month + 2, day=15)
    if kind == "quarter":
        return start.replace(month=start.month + 1, day=15)
    if kind == "year":
        return deadline - dt.timedelta(days=14) if deadline < period.end else dt.date(period.year, 6, 15)
    return start  # pragma: no cover - weeks are not a duty recurrence


def _item_id(year: int, rule_id: str, period: Period) -> str:
    if period.kind == "year":
        return f"{year}-{rule_id}"
    if period.kind == "month":
        return f"{year}-{rule_id}-{period.index:02d}"
    return f"{year}-{rule_id}-{_INDEX_NAMES[period.kind]}{period.index}"


def _suffix(period: Period) -> str:
    if period.kind == "year":
        return ""
    return "（" + period.label.removeprefix(f"{period.year}年") + "）"


def draft_items(zone: Zone, year: int, rules: list[DutyRule], calendar: WorkdayCalendar) -> list[DraftItem]:
    """The plan items of `year` for the periodic rules that name an activity kind or a document kind, in date order."""
    established = zone.info.established
    out: list[DraftItem] = []
    for rule in rules:
        kind = PERIOD_KINDS.get(rule.recurrence or "")
        if kind is None or rule.enabled is False or not (rule.activity_kind or rule.document_kind):
            continue
        for index in range(1, _PER_YEAR[kind] + 1):
            period = Period(kind, year, index)
            if established is not None:
                if period.end < established:
                    continue
                if period.contains(established) and rule.first_period == "不适用":
                    continue
            deadline = rule_deadline(rule, period, established)
            latest = calendar.on_or_before(min(deadline, period.end) if rule.activity_kind else deadline)
            if rule.activity_kind:
                target = calendar.on_or_after(_meeting_target(kind, rule.activity_kind, period, deadline))
                day = target if target <= latest else latest
                note = None
            else:
                day = latest
                note = f"截止日期 {deadline.isoformat()}" + ("" if day == deadline else f"，为休息日，提前到 {day.isoformat()}")
            if day.year != year or (established is not None and day < established):
                continue  # due in another year's plan, or before the zone existed
            if rule.owner == LEAD:
                owner = zone.info.lead_unit or None
            else:
                # report_by 上一年度轮值单位: the unit whose year is reported on owes it, as in `duties` (docs/duties.md)
                outgoing = rule.report_by == BY_OUTGOING and rule.covers == "上一期"
                slot = duty_unit_for(zone, period.next(-1).end if outgoing else day)
                owner = slot.unit if slot is not None else None
            title = (rule.title or rule.id) + _suffix(period)
            out.append(DraftItem(
                id=_item_id(year, rule.id, period),
                title=title,
                kind=rule.activity_kind or DEADLINE_KIND,
                category=MEETING_CATEGORIES.get(rule.activity_kind or "", DEFAULT_CATEGORY),
                date=day,
                host=owner,
                rule_id=rule.id,
                period=period,
                deadline=None if rule.activity_kind else deadline,
                note=note,
            ))
    return sorted(_spread_meetings(out, calendar), key=lambda item: (item.date, item.id))


def _spread_meetings(items: list[DraftItem], calendar: WorkdayCalendar) -> list[DraftItem]:
    """Move a meeting off a day another meeting already has, to the next working day of its period."""
    taken: set[dt.date] = set()
    out = []
    for item in items:  # rule order: the earlier rule keeps its day
        if item.deadline is None:
            day = item.date
            while day in taken:
                nxt = calendar.on_or_after(day + dt.timedelta(days=1))
                if nxt > item.period.end:
                    day = item.date
                    break
                day = nxt
            taken.add(day)
            item = replace(item, date=day)
        out.append(item)
    return out


def deadline_items(zone: Zone, year: int, rules: list[DutyRule], calendar: WorkdayCalendar) -> list[DraftItem]:
    """Only the deadlines of `draft_items`: what a calendar shows besides the planned meetings."""
    return [item for item in draft_items(zone, year, rules, calendar) if item.deadline is not None]
