"""Use case `djxz status`: who is on duty, every duty of a year with its status, the year's activity counts. Prints nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from djxz.app.check import load_valid_zone
from djxz.domain.duties import OVERDUE, STATUS_CODES, STATUSES, DutyStatus, count_by_status, evaluate_year
from djxz.domain.lists import DECISION_CODES, DECISION_OVERDUE, DecisionState, open_decisions
from djxz.domain.rotation import duty_unit_for
from djxz.errors import UserError
from djxz.model import Zone
from djxz.vocabulary import CATEGORIES

# Duty ⑤: "向市委上报协作区轮值年度、阶段性或某项重大政治活动的计划、总结"; the last kind holds the stage and
# major-political-event reports.
CITY_REPORT_KINDS = ("向市委报送计划", "向市委报送总结", "向市委报送专项报告")


@dataclass(frozen=True)
class OnDuty:
    unit: str
    period: str
    recorded: bool


@dataclass(frozen=True)
class UnitCount:
    unit: str
    hosted: int  # activities the unit hosted (alone or with others)
    took_part: int  # activities it joined without hosting


@dataclass(frozen=True)
class StatusReport:
    zone: Zone
    as_of: dt.date
    year: int
    unit: str | None
    on_duty: OnDuty | None
    duties: list[DutyStatus]
    categories: dict[str, int]
    units: list[UnitCount] = field(default_factory=list)
    # Documents sent up to the city committee this year (duty ⑤), by kind: plans, summaries, stage/major-event reports.
    city_reports: dict[str, int] = field(default_factory=dict)
    # 督办: decisions still open on as_of (办理中 or 逾期), the most overdue first
    decisions: list[DecisionState] = field(default_factory=list)

    @property
    def overdue_decisions(self) -> list[DecisionState]:
        return [d for d in self.decisions if d.status == DECISION_OVERDUE]

    @property
    def counts(self) -> dict[str, int]:
        return count_by_status(self.duties)

    @property
    def overdue(self) -> int:
        return self.counts[OVERDUE]


def build_status(zone: Zone, as_of: dt.date, year: int | None = None, unit: str | None = None) -> StatusReport:
    """The status of `year` (default: the as-of year) on `as_of`, for one unit's duties and activities when given."""
    year = year or as_of.year
    if unit is not None and unit not in zone.units:
        raise UserError(f"--unit 指定的单位“{unit}”不存在；单位编号见 units/ 目录下的文件名")
    slot = duty_unit_for(zone, as_of if as_of.year == year else dt.date(year, 12, 31))
    on_duty = OnDuty(slot.unit, str(slot.period), slot.recorded) if slot is not None else None
    duties = evaluate_year(zone, year, as_of)
    if unit is not None:
        duties = [d for d in duties if d.owner == unit]
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    activities = [a for a in zone.activities_between(start, end) if unit is None or unit in a.units]
    categories = dict.fromkeys(CATEGORIES, 0)
    hosted: dict[str, int] = {}
    joined: dict[str, int] = {}
    for act in activities:
        categories[act.category] = categories.get(act.category, 0) + 1
        for uid in act.hosts:
            hosted[uid] = hosted.get(uid, 0) + 1
        for uid in act.participants:
            if uid not in act.hosts:
                joined[uid] = joined.get(uid, 0) + 1
    ids = {u.id for u in zone.units.values() if u.is_member_unit and _active_in(u, start, dt.date(year, 12, 31))}
    ids |= set(hosted) | set(joined)
    if unit is not None:
        ids = {unit}
    units = [UnitCount(uid, hosted.get(uid, 0), joined.get(uid, 0)) for uid in sorted(ids)]
    city = dict.fromkeys(CITY_REPORT_KINDS, 0)
    for doc in zone.documents:
        if doc.kind in city and start <= doc.date <= end and (unit is None or doc.issuer == unit):
            city[doc.kind] += 1
    decisions = [d for d in open_decisions(zone, as_of) if unit is None or d.decision.owner == unit]
    return StatusReport(zone, as_of, year, unit, on_duty, duties, categories, units, city_reports=city,
                        decisions=decisions)


def _active_in(unit, start: dt.date, end: dt.date) -> bool:
    return (unit.joined is None or unit.joined <= end) and (unit.left is None or unit.left > start)


def load_status(root: Path, today: dt.date, as_of: dt.date | None = None, year: int | None = None,
                unit: str | None = None) -> StatusReport:
    """Load the zone (refusing one with check errors, checked on `today`) and build its status on `as_of`."""
    return build_status(load_valid_zone(root, today), as_of or today, year, unit)


def _unit_ref(zone: Zone, unit_id: str | None) -> dict | None:
    if not unit_id:
        return None
    return {"id": unit_id, "name": zone.unit_name(unit_id), "short_name": zone.unit_name(unit_id, short=True)}


def duty_json(zone: Zone, d: DutyStatus) -> dict:
    return {
        "rule": d.rule_id,
        "title": d.title,
        "owner_role": d.owner_role,
        "owner": _unit_ref(zone, d.owner),
        "recurrence": d.recurrence,
        "period": d.period,
        "period_label": d.period_label,
        "window": {"start": d.window_start.isoformat(), "end": d.window_end.isoformat()},
        "deadline": d.deadline.isoformat(),
        "status": d.status,
        "status_code": d.status_code,
        "days_left": d.days_left,
        "days_late": d.days_late,
        "late": d.late,
        "completed_on": d.completed_on.isoformat() if d.completed_on else None,
        "evidence": [
            {"path": e.path, "line": e.line, "id": e.id, "date": e.date.isoformat() if e.date else None}
            for e in d.evidence
        ],
        "note": d.note,
        "requirement": d.requirement,
        "closed": d.closed,
        "adjustment": d.adjustment.action if d.adjustment else None,
        "reason": d.adjustment.reason if d.adjustment else None,
        "approved_by": d.adjustment.approved_by if d.adjustment else None,
        "original_deadline": d.original_deadline.isoformat() if d.original_deadline else None,
    }


def status_json(report: StatusReport) -> dict:
    """The documented shape of `djxz status --format json` (docs/status.schema.json). Keys are sorted when printed."""
    zone = report.zone
    counts = report.counts
    return {
        "schema_version": 1,
        "zone": zone.info.name,
        "as_of": report.as_of.isoformat(),
        "year": report.year,
        "unit": report.unit,
        "lead_unit": _unit_ref(zone, zone.info.lead_unit),
        "on_duty": (
            {**_unit_ref(zone, report.on_duty.unit), "period": report.on_duty.period, "recorded": report.on_duty.recorded}
            if report.on_duty else None
        ),
        "summary": {STATUS_CODES[s]: counts[s] for s in STATUSES},
        "duties": [duty_json(zone, d) for d in report.duties],
        "categories": [{"category": c, "activities": n} for c, n in report.categories.items()],
        "units": [
            {**_unit_ref(zone, u.unit), "hosted": u.hosted, "took_part": u.took_part} for u in report.units
        ],
        "city_reports": dict(report.city_reports),
        "decisions": [decision_json(zone, d) for d in report.decisions],
    }


def decision_json(zone: Zone, d: DecisionState) -> dict:
    return {
        "key": d.key,
        "activity": d.activity.id,
        "activity_title": d.activity.title,
        "decided_on": d.activity.date.isoformat(),
        "id": d.decision.id,
        "text": d.decision.text.strip(),
        "owner": _unit_ref(zone, d.decision.owner),
        "due": d.decision.due.isoformat() if d.decision.due else None,
        "status": d.status,
        "status_code": DECISION_CODES[d.status],
        "days_overdue": d.days_overdue,
        "path": d.decision.src.path,
        "line": d.decision.src.line,
    }
