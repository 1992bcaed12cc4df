"""Use case: an iCalendar (.ics) of a year's duty periods, planned meetings and duty deadlines, with stable UIDs.

A UID names what the event is (a rotation period, a plan item id), never when it was exported, so importing a newer file
into Outlook or a phone calendar updates the events instead of adding copies. A duty deadline has the id of the plan item
`djxz rotate` writes for it, so it appears once whether the plan lists it or not, on the plan's date when it does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from djxz.app.check import load_valid_zone
from djxz.domain.duties import adjustments_by_instance, effective_rules, rule_problems
from djxz.domain.rotation import turns_between
from djxz.domain.workdays import WorkdayCalendar
from djxz.domain.yearplan import deadline_items
from djxz.escape import ics_text
from djxz.fsio import atomic_write
from djxz.model import Zone

DUTY = "duty"
PLANNED = "planned"
DEADLINE = "deadline"
KIND_NAMES = {DUTY: "轮值", PLANNED: "计划事项", DEADLINE: "截止日期"}
DEADLINE_ALARM_DAYS = 3
PRODID = "-//djxz//党建协作区日历//ZH"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: `end` is the last day (inclusive); the file writes DTEND as the day after."""

    uid: str
    kind: str
    summary: str
    start: dt.date
    end: dt.date
    description: str = ""
    category: str | None = None

    def to_json(self) -> dict:
        return {"uid": self.uid, "kind": self.kind, "summary": self.summary, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "category": self.category, "description": self.description}


@dataclass(frozen=True)
class CalendarResult:
    zone: Zone
    year: int
    events: list[CalendarEvent]
    ics: bytes
    warnings: list[str]

    def count(self, kind: str) -> int:
        return sum(1 for e in self.events if e.kind == kind)


def zone_key(zone: Zone) -> str:
    """The zone's part of every UID: its lead unit and founding date, both stable for the life of a zone."""
    info = zone.info
    founded = info.established.strftime("%Y%m%d") if info.established else "0"
    return f"{info.lead_unit or 'zone'}-{founded}"


def events_for(zone: Zone, year: int) -> tuple[list[CalendarEvent], list[str]]:
    """The events of `year`, in date order, and warnings about the working-day calendar used for deadlines."""
    key = zone_key(zone)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    events: list[CalendarEvent] = []
    for rotation in zone.info.rotations:
        for slot in turns_between(zone, start, end, rotation.name):
            events.append(CalendarEvent(
                uid=f"rotation-{rotation.name}-{slot.period}@{key}.djxz",
                kind=DUTY,
                summary=f"{rotation.title}：{zone.unit_name(slot.unit)}",
                start=slot.start, end=slot.end,
                description=_lines(
                    f"{slot.period.label}{rotation.title}：{zone.unit_name(slot.unit)}",
                    "已记录" if slot.recorded else "按轮值顺序推算，尚未记录",
                    slot.note,
                ),
            ))
    calendar = WorkdayCalendar(zone.holidays)
    rules = [r for r in effective_rules(zone) if not rule_problems(r, zone.info.established)]
    deadlines, postponed, exempted = _adjusted(deadline_items(zone, year, rules, calendar), zone)
    plan = zone.plans.get(year)
    for item in plan.items if plan else ():
        when = item.span()
        if when is None:
            continue
        rule_item = deadlines.pop(item.id, None)  # the plan lists this deadline: its date, as the office set it
        if item.id in exempted:
            continue
        if item.id in postponed:
            when = (rule_item.date, rule_item.date)  # postponed by the leading group: the new deadline, not the plan's
        title = item.title if item.date else f"{item.title}（本月内）"
        events.append(CalendarEvent(
            uid=f"plan-{item.id}@{key}.djxz",
            kind=DEADLINE if rule_item else PLANNED,
            summary=f"【截止】{title}" if rule_item else title,
            start=when[0], end=when[1],
            description=_lines(
                f"{'责任' if rule_item else '承办'}单位：{zone.unit_name(item.host)}" if item.host else None,
                None if rule_item else f"形式：{item.kind}；类别：{item.category}",
                item.note,
                postponed.get(item.id),
                f"计划事项编号：{item.id}",
            ),
            category=item.category,
        ))
    for item in deadlines.values():
        events.append(CalendarEvent(
            uid=f"plan-{item.id}@{key}.djxz",
            kind=DEADLINE,
            summary=f"【截止】{item.title}",
            start=item.date, end=item.date,
            description=_lines(
                f"责任单位：{zone.unit_name(item.host)}" if item.host else None,
                item.note,
                f"职责规则：{item.rule_id}",
            ),
            category=item.category,
        ))
    events.sort(key=lambda e: (e.start, e.kind != DUTY, e.uid))
    return events, calendar.warnings([year])


def _adjusted(items: list, zone: Zone) -> tuple[dict, dict[str, str], set[str]]:
    """The deadlines as the leading group adjusted them (plans' `adjustments`): {id: item} with each 顺延 moved to its
    new date, {id: why} of those moved, and the ids exempted (免于: no deadline, not even the plan's)."""
    adjustments = adjustments_by_instance(zone)
    deadlines, postponed, exempted = {}, {}, set()
    for item in items:
        adj = adjustments.get((item.rule_id, str(item.period)))
        if adj is not None and adj.action == "顺延" and adj.to is not None:
            postponed[item.id] = f"经{adj.approved_by}批准顺延至 {adj.to.isoformat()}（原因：{adj.reason}）"
            item = replace(item, date=adj.to, note=_lines(item.note, postponed[item.id]))
        elif adj is not None:
            exempted.add(item.id)
            continue
        deadlines[item.id] = item
    return deadlines, postponed, exempted


def _lines(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def to_ics(zone: Zone, year: int, events: list[CalendarEvent], stamp: dt.date) -> bytes:
    """The .ics bytes. DTSTAMP is `stamp` at midnight UTC, so one day's exports are byte-identical."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", ics_text(f"{zone.info.short_name or zone.info.name}{year}年"))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamped = dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.timezone.utc)
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamped)
        ev.add("summary", ics_text(e.summary))
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end + dt.timedelta(days=1))
        if e.description:
            ev.add("description", ics_text(e.description))
        if e.category:
            ev.add("categories", [ics_text(e.category)])
        ev.add("transp", "TRANSPARENT")  # all-day reminders must not show people as busy
        if e.kind == DEADLINE:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", ics_text(e.summary))
            alarm.add("trigger", dt.timedelta(days=-DEADLINE_ALARM_DAYS))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


def build_calendar(root: Path, today: dt.date, year: int | None = None) -> CalendarResult:
    year = year if year is not None else today.year
    zone = load_valid_zone(Path(root), today)
    events, warnings = events_for(zone, year)
    return CalendarResult(zone, year, events, to_ics(zone, year, events, today), warnings)


def write_calendar(result: CalendarResult, path: Path) -> None:
    atomic_write(Path(path), result.ics)
