"""Duties evaluated on a date: each rule's instances (one per period, activity, deployment or unit) and their status.

A rule (see `duty_rules`) says who owes what and when; an instance is one rule in one period (or for one activity, one
superior's deployment, one unit's archive entry). Status is derived from the records, never typed in:

- 已完成  a record fulfils it (an activity of the kind in the period, a document issued for the period, a bulletin that
          lists the activity, the unit's resources and talents); `late` says whether it came after the deadline;
- 逾期    the deadline has passed and nothing fulfils it; once the deadline's year has ended the instance is `closed`
          and a user reads 未完成 with its deadline, not a day count that keeps growing;
- 即将到期 the deadline is at most `remind_days` (default 14) days away;
- 待办    the deadline is further away;
- 已免除  the leading group exempted it (an adjustment 免于 in plans/<year>.yaml); 顺延 moves the deadline instead;
- 不适用  the rule is disabled, or the period lies before the zone existed (e.g. the report on the year before it).

Records dated after the as-of date are ignored, so a past date shows what was known on that day; the archive duty has no
dates and is judged from the current records, one instance per member unit from the day it joined.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Iterable, Iterator

from djxz.domain.duty_rules import (  # noqa: F401 - re-exported: callers read the rules' vocabulary from here
    ARCHIVE_RECORDS, BUILTIN, BY_INCOMING, BY_OUTGOING, COVERS, DEFAULT_DEPLOYMENT_DAYS, DEFAULT_IDS,
    DEFAULT_REMIND_DAYS, DEFAULT_RULES, DEPLOYMENT_KIND, DEPLOYMENT_MEETINGS, DONE, DUE_SOON, DUTY, EXEMPT,
    FIRST_PERIOD, FULFILMENT_FIELDS, LEAD, NOT_APPLICABLE, ONCE, OVERDUE, OWNERS, PER_ACTIVITY, PER_DEPLOYMENT,
    PERIOD_KINDS, RECURRENCES, REPORTERS, SCOPE_ALL, SCOPE_HOSTED, SCOPES, STATUS_CODES, STATUSES, TIMING_FIELDS,
    TODO, UNFINISHED, YEARLY, RuleProblem, effective_rules, is_builtin, merge_rules, monthday, rule_problems,
    usable_rules,
)
from djxz.domain.periods import Period, parse_period, period_of
from djxz.domain.rotation import duty_unit_for
from djxz.model import Activity, Adjustment, Document, DutyRule, Source, Zone

# -- instances ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A record that fulfils a duty, and where it is: `path` relative to the zone directory, 1-based `line`."""

    path: str
    line: int
    id: str
    date: dt.date | None = None

    @property
    def src(self) -> Source:
        return Source(self.path, self.line)


@dataclass(frozen=True)
class DutyStatus:
    """One duty instance on the as-of date."""

    rule_id: str
    title: str
    owner_role: str  # 牵头单位 or 轮值单位
    owner: str | None  # the unit id; None when nobody is on duty then
    recurrence: str
    period: str  # 2024, 2024-H1, 2024-03, the founding date for a one-time duty, the activity id for a per-activity one
    period_label: str  # what a user reads: 2024年上半年, 成立后, 2024-03-15 联片党课
    window_start: dt.date
    window_end: dt.date
    deadline: dt.date
    status: str
    days_left: int | None = None  # 待办 / 即将到期
    days_late: int | None = None  # 逾期 (as of today) or 已完成 late (when it was done)
    late: bool = False  # 已完成 after the deadline
    completed_on: dt.date | None = None
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    requirement: str = ""  # what fulfils it, in words: 活动：月度党建座谈
    src: Source = Source("zone.yaml")  # where a diagnostic about this instance points
    # 逾期 in a year that has ended: a user reads 未完成 (with the deadline), and days_late is None.
    closed: bool = False
    # The leading group's 免于 or 顺延 of this instance (its reason is what reports cite), and the deadline before a 顺延.
    adjustment: Adjustment | None = None
    original_deadline: dt.date | None = None

    @property
    def due(self) -> dt.date:
        """The deadline the rule gives, before any 顺延: which year's list the instance belongs to."""
        return self.original_deadline or self.deadline

    @property
    def status_code(self) -> str:
        return STATUS_CODES[self.status]

    def sort_key(self) -> tuple:
        return (self.deadline, DEFAULT_IDS.index(self.rule_id) if is_builtin(self.rule_id) else len(DEFAULT_IDS),
                self.rule_id, self.period)


@dataclass
class _Index:
    """The zone's activities and documents by kind, in date order, and bulletin-like references by activity id."""

    acts: dict[str, list[Activity]]
    act_dates: dict[str, list[dt.date]]
    docs: dict[str, list[Document]]
    refs: dict[str, list[tuple[Document, int]]]

    @classmethod
    def of(cls, zone: Zone, as_of: dt.date) -> "_Index":
        acts: dict[str, list[Activity]] = defaultdict(list)
        docs: dict[str, list[Document]] = defaultdict(list)
        refs: dict[str, list[tuple[Document, int]]] = defaultdict(list)
        for act in zone.activities:  # the loader keeps them in date order
            if act.date <= as_of:
                acts[act.kind].append(act)
        for doc in zone.documents:
            if doc.date <= as_of:
                docs[doc.kind].append(doc)
                for i, act_id in enumerate(doc.activities):
                    refs[act_id].append((doc, i))
        dates = {kind: [a.date for a in items] for kind, items in acts.items()}
        return cls(acts, dates, docs, refs)

    def activities(self, kind: str, start: dt.date, end: dt.date | None) -> list[Activity]:
        items, dates = self.acts.get(kind, []), self.act_dates.get(kind, [])
        lo = bisect.bisect_left(dates, start)
        hi = bisect.bisect_right(dates, end) if end else len(items)
        return items[lo:hi]


def _requirement(rule: DutyRule, covered: Period | None) -> str:
    if rule.records is not None:
        return "记录：该单位至少一项党建资源和一名人才"
    if rule.recurrence == PER_ACTIVITY:
        return f"文件：{rule.document_kind}（activities 中列出本次活动）"
    if rule.recurrence == PER_DEPLOYMENT:
        return f"活动：{'或'.join(_deployment_kinds(rule))}（上级部署之后召开）"
    if rule.activity_kind is not None:
        return f"活动：{rule.activity_kind}"
    if covered is not None:
        return f"文件：{rule.document_kind}（period: {covered}）"
    return f"文件：{rule.document_kind}"


def _deployment_kinds(rule: DutyRule) -> tuple[str, ...]:
    return (rule.activity_kind,) if rule.activity_kind else DEPLOYMENT_MEETINGS


def adjustments_by_instance(zone: Zone) -> dict[tuple[str, str], Adjustment]:
    """Every plan's adjustments by (duty id, period); the first one of a pair counts (`djxz check` reports the rest)."""
    out: dict[tuple[str, str], Adjustment] = {}
    for plan in zone.plans.values():
        for adj in plan.adjustments:
            out.setdefault((adj.duty, adj.period), adj)
    return out


def _covered(rule: DutyRule, period: Period) -> Period:
    covers = rule.covers or "本期"
    if covers == "上一期":
        return period.next(-1)
    if covers == "本年上半年":
        return Period("half", period.year, 1)
    if covers == "本年下半年":
        return Period("half", period.year, 2)
    return period


class _Evaluator:
    def __init__(self, zone: Zone, as_of: dt.date):
        self.zone = zone
        self.info = zone.info
        self.as_of = as_of
        self.established: dt.date = zone.info.established  # type: ignore[assignment]
        self.index = _Index.of(zone, as_of)
        self.adjustments = adjustments_by_instance(zone)
        self._duty: dict[dt.date, str | None] = {}

    def duty_unit(self, day: dt.date) -> str | None:
        if day not in self._duty:
            slot = duty_unit_for(self.zone, day)
            self._duty[day] = slot.unit if slot is not None else None
        return self._duty[day]

    def owner(self, rule: DutyRule, day: dt.date) -> str | None:
        return (self.info.lead_unit or None) if rule.owner == LEAD else self.duty_unit(day)

    def anchor(self, year: int) -> Source:
        plan = self.zone.plans.get(year)
        return plan.src if plan is not None else Source("zone.yaml")

    # -- the three kinds of recurrence ---------------------------------------------------------------------------------

    def instances(self, rule: DutyRule, end: dt.date, start: dt.date | None = None) -> Iterator[DutyStatus]:
        if rule.recurrence == ONCE and rule.records is not None:
            yield from self.per_unit(rule)
        elif rule.recurrence == ONCE:
            yield self.once(rule)
        elif rule.recurrence == PER_ACTIVITY:
            yield from self.per_activity(rule, start, end)
        elif rule.recurrence == PER_DEPLOYMENT:
            yield from self.per_deployment(rule)
        else:
            kind = PERIOD_KINDS[rule.recurrence or YEARLY]
            period, last = period_of(self.established, kind), period_of(end, kind)
            while period <= last:
                yield self.periodic(rule, period)
                period = period.next()

    @staticmethod
    def once_deadline(rule: DutyRule, since: dt.date) -> dt.date:
        if rule.due_days is not None:
            return since + dt.timedelta(days=rule.due_days)
        if rule.deadline is not None:
            return monthday(since.year, rule.deadline) or dt.date(since.year, 12, 31)
        return dt.date(since.year, 12, 31)

    def once(self, rule: DutyRule) -> DutyStatus:
        est = self.established
        deadline = self.once_deadline(rule, est)
        base = DutyStatus(rule.id, rule.title or rule.id, rule.owner or LEAD, self.owner(rule, deadline), ONCE,
                          est.isoformat(), "成立后", est, deadline, deadline, TODO, requirement=_requirement(rule, None),
                          src=self.anchor(est.year))
        return self.judge(rule, base, self.evidence(rule, est, None, None))

    def per_unit(self, rule: DutyRule) -> Iterator[DutyStatus]:
        """The archive duty: one instance per member unit, due `due_days` after it joined (or after the founding)."""
        for unit in sorted(self.zone.member_units(), key=lambda u: u.id):
            since = max(unit.joined or self.established, self.established)
            if since > self.as_of or (unit.left and unit.left <= since):
                continue
            deadline = self.once_deadline(rule, since)
            name = unit.short_name or unit.name
            label = f"{name}（成立后）" if since == self.established else f"{name}（{since} 加入后）"
            base = DutyStatus(rule.id, rule.title or rule.id, rule.owner or LEAD, self.owner(rule, deadline), ONCE,
                              unit.id, label, since, deadline, deadline, TODO, requirement=_requirement(rule, None),
                              src=unit.src)
            yield self.judge_unit_records(rule, base, unit)

    def periodic(self, rule: DutyRule, period: Period) -> DutyStatus:
        est = self.established
        first = period.contains(est)
        start = max(period.start, est)
        if first and rule.first_due_days is not None:
            deadline = est + dt.timedelta(days=rule.first_due_days)
        elif rule.deadline is not None:
            deadline = monthday(period.year, rule.deadline) or period.end
        elif rule.due_days is not None:
            deadline = period.end + dt.timedelta(days=rule.due_days)
        else:
            deadline = period.end
        owner_day = deadline if start <= deadline <= period.end else period.end
        covered = _covered(rule, period)
        if rule.report_by == BY_OUTGOING and covered != period:
            owner_day = covered.end  # the unit whose year is reported on writes the report
        label = period.label if covered == period else f"{period.label}（报{covered.label}）"
        base = DutyStatus(rule.id, rule.title or rule.id, rule.owner or LEAD, self.owner(rule, owner_day),
                          rule.recurrence or YEARLY, str(period), label, start, period.end, deadline, TODO,
                          requirement=_requirement(rule, covered), src=self.anchor(deadline.year))
        if first and rule.first_period == "不适用":
            return replace(base, status=NOT_APPLICABLE, note="协作区成立的那一期不适用")
        if covered.end < est:
            return replace(base, status=NOT_APPLICABLE, note=f"所报告的{covered.label}早于协作区成立")
        if deadline < est:
            return replace(base, status=NOT_APPLICABLE, note=f"截止日期 {deadline} 早于协作区成立")
        adj = self.adjustments.get((rule.id, str(period)))
        # A postponed meeting is held after its own period: count it up to the new deadline.
        end = max(period.end, adj.to) if adj is not None and adj.action == "顺延" and adj.to else period.end
        return self.judge(rule, base, self.evidence(rule, start, end, covered))

    def per_activity(self, rule: DutyRule, start: dt.date | None = None, end: dt.date | None = None) -> Iterator[DutyStatus]:
        within = rule.due_days if rule.due_days is not None else self.info.bulletin.within_days
        # Only activities whose deadline can fall in [start, end]: a ten-year zone has tens of thousands. The window
        # on the start date is wide (a multi-day activity is due from its last day); the deadline test is exact.
        first = max(self.established, start - dt.timedelta(days=within + 366)) if start else self.established
        last = min(self.as_of, end) if end else self.as_of
        acts = self.zone.activities  # sorted by date
        for act in acts[bisect.bisect_left(acts, first, key=attrgetter("date")):]:
            if act.date > last:
                break
            if start is not None and (act.end_date or act.date) + dt.timedelta(days=within) < start:
                continue  # due before the window: evaluate() would leave it out
            if rule.activity_kind is not None and act.kind != rule.activity_kind:
                continue
            owner = self.owner(rule, act.date)
            if owner is None or (rule.scope != SCOPE_ALL and owner not in act.hosts):
                continue
            finished = act.end_date or act.date
            deadline = finished + dt.timedelta(days=within)
            base = DutyStatus(rule.id, rule.title or rule.id, rule.owner or DUTY, owner, PER_ACTIVITY, act.id,
                              f"{act.date} {act.title}", act.date, deadline, deadline, TODO,
                              requirement=_requirement(rule, None), src=act.src)
            found = [(doc, i) for doc, i in self.index.refs.get(act.id, ()) if doc.kind == rule.document_kind]
            evidence = [(doc.date, Evidence(doc.src.path, doc.at(f"activities.{i}").line, doc.id, doc.date))
                        for doc, i in found]
            yield self.judge(rule, base, evidence)

    def per_deployment(self, rule: DutyRule) -> Iterator[DutyStatus]:
        """Duty ③: each superior's deployment (a document of kind 上级部署) asks the duty unit for a meeting within
        `due_days` (djxz's default 15). Any meeting of the kinds on or after the deployment's day fulfils it."""
        within = rule.due_days if rule.due_days is not None else DEFAULT_DEPLOYMENT_DAYS
        kinds = _deployment_kinds(rule)
        for doc in self.index.docs.get(DEPLOYMENT_KIND, ()):
            if doc.date < self.established:
                continue
            deadline = doc.date + dt.timedelta(days=within)
            base = DutyStatus(rule.id, rule.title or rule.id, rule.owner or DUTY, self.owner(rule, doc.date),
                              PER_DEPLOYMENT, doc.id, f"{doc.date} {doc.title}", doc.date, deadline, deadline, TODO,
                              requirement=_requirement(rule, None), src=doc.src)
            found = [(a.date, Evidence(a.src.path, a.src.line, a.id, a.date))
                     for kind in kinds for a in self.index.activities(kind, doc.date, None)]
            yield self.judge(rule, base, found)

    # -- evidence and judgement ----------------------------------------------------------------------------------------

    def evidence(self, rule: DutyRule, start: dt.date, end: dt.date | None,
                 covered: Period | None) -> list[tuple[dt.date, Evidence]]:
        """Records that fulfil the rule in [start, end] (end None: any time after start), in date order."""
        if rule.activity_kind is not None:
            return [(a.date, Evidence(a.src.path, a.src.line, a.id, a.date))
                    for a in self.index.activities(rule.activity_kind, start, end)]
        out = []
        for doc in self.index.docs.get(rule.document_kind or "", ()):
            if covered is not None and doc.period:
                fits = parse_period(doc.period) == covered
            else:
                fits = start <= doc.date and (end is None or doc.date <= end)
            if fits:
                out.append((doc.date, Evidence(doc.src.path, doc.src.line, doc.id, doc.date)))
        return out

    def adjusted(self, base: DutyStatus) -> DutyStatus:
        """The instance with the leading group's adjustment attached; a 顺延 moves its deadline."""
        adj = self.adjustments.get((base.rule_id, base.period))
        if adj is None:
            return base
        if adj.action == "顺延" and adj.to is not None:
            return replace(base, adjustment=adj, original_deadline=base.deadline, deadline=adj.to)
        return replace(base, adjustment=adj)

    def judge(self, rule: DutyRule, base: DutyStatus, found: list[tuple[dt.date, Evidence]]) -> DutyStatus:
        if rule.enabled is False:
            return replace(base, status=NOT_APPLICABLE, note="本协作区已停用这条职责")
        base = self.adjusted(base)
        deadline = base.deadline
        if found:
            found.sort(key=lambda pair: (pair[0], pair[1].path))
            on_time = [ev for day, ev in found if day <= deadline]
            done_on = found[0][0]
            late = done_on > deadline
            return replace(base, status=DONE, completed_on=done_on, late=late,
                           days_late=(done_on - deadline).days if late else None,
                           evidence=tuple(on_time) if on_time else (found[0][1],))
        return self.open_status(rule, base)

    def open_status(self, rule: DutyRule, base: DutyStatus, note: str = "") -> DutyStatus:
        adj = base.adjustment
        if adj is not None and adj.action == "免于":
            return replace(base, status=EXEMPT, note=f"{adj.approved_by}批准免于：{adj.reason}")
        if adj is not None:
            note = "；".join(filter(None, (f"{adj.approved_by}批准顺延至 {base.deadline}：{adj.reason}", note)))
        if self.as_of > base.deadline:
            if self.as_of.year > base.deadline.year:  # the year has ended: a record, not a running count
                return replace(base, status=OVERDUE, closed=True, note=note)
            return replace(base, status=OVERDUE, days_late=(self.as_of - base.deadline).days, note=note)
        left = (base.deadline - self.as_of).days
        remind = rule.remind_days if rule.remind_days is not None else DEFAULT_REMIND_DAYS
        return replace(base, status=DUE_SOON if left <= remind else TODO, days_left=left, note=note)

    def judge_unit_records(self, rule: DutyRule, base: DutyStatus, unit) -> DutyStatus:
        if rule.enabled is False:
            return replace(base, status=NOT_APPLICABLE, note="本协作区已停用这条职责")
        base = self.adjusted(base)
        lacks = [name for name, items in (("党建资源", unit.resources), ("人才", unit.talents)) if not items]
        if not lacks:
            evidence = (Evidence(unit.src.path, unit.at("resources").line, unit.id),)
            return replace(base, status=DONE, evidence=evidence, note="按现有单位记录判断")
        return self.open_status(rule, base, f"尚缺：{'、'.join(lacks)}")


def evaluate(zone: Zone, as_of: dt.date, start: dt.date | None = None, end: dt.date | None = None) -> list[DutyStatus]:
    """Every duty instance whose deadline lies in [start, end], judged on `as_of`, sorted by deadline.

    `start` defaults to the first day of the founding year (so the founding year's 不适用 duties are listed too), `end`
    to the last day of the as-of year. For a half-year report, pass the half's first and last day. Rules with problems
    (see `rule_problems`) are left out; `djxz check` reports them.
    """
    established = zone.info.established
    if established is None or not zone.info_ok:
        return []
    end = end or dt.date(as_of.year, 12, 31)
    start = start or dt.date(established.year, 1, 1)
    if end < start:
        return []
    ev = _Evaluator(zone, as_of)
    out = [inst for rule in usable_rules(zone) for inst in ev.instances(rule, end, start) if start <= inst.due <= end]
    return sorted(out, key=DutyStatus.sort_key)


def evaluate_year(zone: Zone, year: int, as_of: dt.date) -> list[DutyStatus]:
    """The instances whose deadline falls in `year`."""
    return evaluate(zone, as_of, dt.date(year, 1, 1), dt.date(year, 12, 31))


def count_by_status(statuses: Iterable[DutyStatus]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        counts[s.status] += 1
    return counts
