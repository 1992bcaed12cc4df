"""Duties: the seed plan's rules as data, a zone's overrides merged by id, and their pure evaluation on a date.

A rule says who owes what and when (owner, what fulfils it, recurrence, deadline); an instance is one rule in one period
(or for one activity). Status is derived from the records, never typed in:

- 已完成  a record fulfils it (an activity of the kind in the period, a document issued for the period, a bulletin that
          lists the activity, every unit's resources and talents); `late` says whether it came after the deadline;
- 逾期    the deadline has passed and nothing fulfils it;
- 即将到期 the deadline is at most `remind_days` (default 14) days away;
- 待办    the deadline is further away;
- 不适用  the rule is disabled, or the period lies before the zone existed (e.g. the report on the year before it).

Records dated after the as-of date are ignored, so a past date shows what was known on that day; the archive duty has no
dates and is judged from the current records.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from typing import Iterable, Iterator

from djxz.domain.periods import Period, parse_period, period_of
from djxz.domain.rotation import duty_unit_for
from djxz.model import Activity, Document, DutyRule, Source, Zone

DONE = "已完成"
TODO = "待办"
DUE_SOON = "即将到期"
OVERDUE = "逾期"
NOT_APPLICABLE = "不适用"
STATUSES = (DONE, TODO, DUE_SOON, OVERDUE, NOT_APPLICABLE)
# Stable machine names of the statuses, for JSON consumers.
STATUS_CODES = {DONE: "done", TODO: "todo", DUE_SOON: "due_soon", OVERDUE: "overdue", NOT_APPLICABLE: "not_applicable"}

LEAD = "牵头单位"
DUTY = "轮值单位"
OWNERS = (LEAD, DUTY)

ONCE = "一次"
YEARLY = "每年"
PER_ACTIVITY = "每次活动"
RECURRENCES = (ONCE, YEARLY, "每半年", "每季度", "每月", PER_ACTIVITY)
PERIOD_KINDS = {YEARLY: "year", "每半年": "half", "每季度": "quarter", "每月": "month"}

ARCHIVE_RECORDS = "单位资源和人才"
COVERS = ("本期", "上一期", "本年上半年", "本年下半年")
FIRST_PERIOD = ("照常", "不适用")
DEFAULT_REMIND_DAYS = 14

FULFILMENT_FIELDS = ("activity_kind", "document_kind", "records")
TIMING_FIELDS = ("deadline", "due_days")
_RULE_FIELDS = tuple(f.name for f in fields(DutyRule) if f.name not in ("src", "marks"))
BUILTIN = Source("")  # a built-in rule has no file


def _builtin(**kw) -> DutyRule:
    return DutyRule(src=BUILTIN, **kw)


DEFAULT_RULES: tuple[DutyRule, ...] = (
    _builtin(id="first-joint-meeting", title="召开协作区第一次联席会议", owner=LEAD, recurrence=ONCE,
             activity_kind="联席会议", due_days=60,
             basis="协作区建立后，牵头主持召开协作区第一次联席会议"),
    _builtin(id="annual-joint-meeting", title="年初召开协作区联席会议", owner=LEAD, recurrence=YEARLY,
             activity_kind="联席会议", deadline="02-28", first_period="不适用",
             basis="每年初组织召开协作区联席会议，牵头谋划协作区年度党建工作"),
    _builtin(id="annual-plan", title="制定年度协作计划", owner=LEAD, recurrence=YEARLY,
             document_kind="年度协作计划", deadline="02-28", first_due_days=60,
             basis="牵头谋划协作区年度党建工作，制定协作计划、方案"),
    _builtin(id="rotation-arrangement", title="制定成员单位轮值安排", owner=LEAD, recurrence=YEARLY,
             document_kind="轮值安排", deadline="02-28", first_due_days=60,
             basis="制定协作计划、方案和成员单位轮值安排"),
    _builtin(id="annual-report", title="年初总结通报上一年工作", owner=DUTY, recurrence=YEARLY,
             document_kind="年度总结通报", covers="上一期", deadline="01-31",
             basis="每年年初和年中，总结通报协作区半年或全年工作情况，提炼做法、交流经验"),
    _builtin(id="half-year-report", title="年中总结通报上半年工作", owner=DUTY, recurrence=YEARLY,
             document_kind="半年总结通报", covers="本年上半年", deadline="07-31",
             basis="每年年初和年中，总结通报协作区半年或全年工作情况，提炼做法、交流经验"),
    _builtin(id="monthly-forum", title="月党建座谈交流", owner=DUTY, recurrence="每月",
             activity_kind="月度党建座谈",
             basis="创新建立月党建座谈交流、半年总结部署、年度党建工作谋划等机制"),
    _builtin(id="development-meeting", title="召开发展工作联席会", owner=DUTY, recurrence="每半年",
             activity_kind="发展工作联席会",
             basis="每半年召开一次发展工作联席会，分享工作经验，会诊热点难点问题，研讨发展思路举措"),
    _builtin(id="summary-meeting", title="半年总结部署", owner=DUTY, recurrence="每半年",
             activity_kind="半年总结部署会",
             basis="创新建立月党建座谈交流、半年总结部署、年度党建工作谋划等机制"),
    _builtin(id="bulletin", title="编发活动信息简报", owner=DUTY, recurrence=PER_ACTIVITY,
             document_kind="信息简报",
             basis="编撰轮值期内组织开展活动的相关信息简报，及时向协作区领导小组和总站政治处报送"),
    _builtin(id="city-plan-report", title="向市委报送轮值年度计划", owner=DUTY, recurrence=YEARLY,
             document_kind="向市委报送计划", deadline="03-31",
             basis="加强与市委的沟通协调，向市委上报协作区轮值年度、阶段性或某项重大政治活动的计划、总结"),
    _builtin(id="city-summary-report", title="向市委报送上一年总结", owner=DUTY, recurrence=YEARLY,
             document_kind="向市委报送总结", covers="上一期", deadline="02-28",
             basis="加强与市委的沟通协调，向市委上报协作区轮值年度、阶段性或某项重大政治活动的计划、总结"),
    _builtin(id="archive", title="建立成员单位党建资源和人才工作档案", owner=LEAD, recurrence=ONCE,
             records=ARCHIVE_RECORDS, due_days=90,
             basis="汇总协作区成员单位各类党建资源、党建专业人才情况，建立专门工作档案"),
)
DEFAULT_IDS = tuple(r.id for r in DEFAULT_RULES)
_DEFAULTS = {r.id: r for r in DEFAULT_RULES}


# -- rules --------------------------------------------------------------------------------------------------------------


def is_builtin(rule_id: str) -> bool:
    return rule_id in _DEFAULTS


def _merge(base: DutyRule, over: DutyRule) -> DutyRule:
    """`over`'s given fields replace `base`'s. What fulfils a duty and when it is due are replaced as a whole:
    an override that says `due_days` drops the built-in `deadline`, one that says `document_kind` drops `activity_kind`."""
    values = {name: getattr(base, name) for name in _RULE_FIELDS}
    given = {name for name in _RULE_FIELDS if getattr(over, name) is not None}
    for group in (FULFILMENT_FIELDS, TIMING_FIELDS):
        if given & set(group):
            values.update(dict.fromkeys(group))
    values.update({name: getattr(over, name) for name in given})
    return DutyRule(src=over.src, marks=over.marks, **values)


def merge_rules(overrides: Iterable[DutyRule]) -> list[DutyRule]:
    """The effective rules: the built-ins in their order, each with the zone's override of the same id applied, then
    the zone's new rules in file order. A repeated id is used once (its first entry); `djxz check` reports the rest."""
    by_id: dict[str, DutyRule] = {}
    for rule in overrides:
        by_id.setdefault(rule.id, rule)
    merged = [_merge(base, by_id[base.id]) if base.id in by_id else base for base in DEFAULT_RULES]
    merged += [rule for rule_id, rule in by_id.items() if rule_id not in _DEFAULTS]
    return merged


def effective_rules(zone: Zone) -> list[DutyRule]:
    return merge_rules(zone.info.duties)


@dataclass(frozen=True)
class RuleProblem:
    """Why a rule cannot be evaluated: `field` locates it in the rule (`rule.at(field)`), "" for the whole rule."""

    field: str
    message: str
    hint: str = ""


def rule_problems(rule: DutyRule, established: dt.date | None = None) -> list[RuleProblem]:
    """Everything wrong with one effective (merged) rule. A rule with problems is left out of the evaluation."""
    out: list[RuleProblem] = []
    name = f"职责规则“{rule.id}”"
    if not is_builtin(rule.id):
        missing = [key for key in ("title", "owner", "recurrence") if getattr(rule, key) is None]
        if missing:
            close = difflib.get_close_matches(rule.id, DEFAULT_IDS, n=1, cutoff=0.6)
            hint = (f"是不是内置规则“{close[0]}”？覆盖内置规则时 id 要写对" if close else
                    f"内置规则的 id：{'、'.join(DEFAULT_IDS)}；新规则须写明 title、owner、recurrence")
            out.append(RuleProblem("id", f"{name}不是内置规则，作为新规则又缺少 {'、'.join(missing)}", hint))
            return out
    recurrence = rule.recurrence or ""
    given = [key for key in FULFILMENT_FIELDS if getattr(rule, key) is not None]
    if not given:
        if not any(key in rule.marks for key in FULFILMENT_FIELDS):  # a value that did not load is reported already
            out.append(RuleProblem("", f"{name}没有写明由什么完成",
                                   "写 activity_kind（哪类活动）、document_kind（哪类文件）或 records（哪些记录）其中一项"))
    elif rule.records is not None and len(given) > 1:
        out.append(RuleProblem("records", f"{name}的 records 不能和 activity_kind、document_kind 同时写", "只保留一种完成方式"))
    elif recurrence == PER_ACTIVITY and rule.document_kind is None:
        out.append(RuleProblem("recurrence", f"{name}是“每次活动”的职责，须写 document_kind：每次活动后印发哪类文件",
                               "activity_kind 在这里只用来筛选哪些活动需要这份文件"))
    elif recurrence != PER_ACTIVITY and len(given) > 1:
        out.append(RuleProblem("document_kind", f"{name}同时写了 activity_kind 和 document_kind，无法判断由哪一项完成",
                               "只保留一项；“每次活动”的职责才同时写两项"))
    if rule.records is not None and recurrence != ONCE:
        out.append(RuleProblem("recurrence", f"{name}由记录完成（records），只能是“一次”", "把 recurrence 改为 一次"))
    if rule.deadline is not None and rule.due_days is not None:
        out.append(RuleProblem("deadline", f"{name}同时写了 deadline 和 due_days", "固定日期写 deadline，相对天数写 due_days，只写一个"))
    if rule.deadline is not None and recurrence not in (ONCE, YEARLY):
        out.append(RuleProblem("deadline", f"{name}是“{recurrence}”的职责，不能写固定的截止日期 {rule.deadline}",
                               "每期的截止日期各不相同：删去 deadline（默认本期最后一天），或用 due_days 写本期结束后多少天内"))
    if recurrence == ONCE and rule.deadline is not None and established is not None:
        due = _monthday(established.year, rule.deadline)
        if due is not None and due < established:
            out.append(RuleProblem("deadline", f"{name}的截止日期 {due} 早于协作区成立日期 {established}",
                                   "“一次”的职责按成立当年计算截止日期；或改用 due_days 写成立后多少天内"))
    if rule.covers not in (None, "本期"):
        if rule.document_kind is None or recurrence == PER_ACTIVITY:
            out.append(RuleProblem("covers", f"{name}的 covers 只用于由文件按期完成的职责", "删去 covers"))
        elif recurrence == ONCE:
            out.append(RuleProblem("covers", f"{name}是“一次”的职责，没有“{rule.covers}”", "删去 covers"))
        elif rule.covers.startswith("本年") and recurrence != YEARLY:
            out.append(RuleProblem("covers", f"{name}的 covers“{rule.covers}”只用于“每年”的职责", "改用 本期 或 上一期"))
    if (rule.first_due_days is not None or rule.first_period not in (None, "照常")) and recurrence in (ONCE, PER_ACTIVITY):
        key = "first_due_days" if rule.first_due_days is not None else "first_period"
        out.append(RuleProblem(key, f"{name}是“{recurrence}”的职责，{key} 只用于按期重复的职责", f"删去 {key}"))
    elif rule.first_due_days is not None and rule.first_period == "不适用":
        out.append(RuleProblem("first_due_days", f"{name}写了成立那一期不适用，又写了 first_due_days", "二者只写一个"))
    return out


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


def _monthday(year: int, text: str) -> dt.date | None:
    try:
        return dt.date(year, int(text[:2]), int(text[3:5]))
    except (ValueError, IndexError):
        return None


def _requirement(rule: DutyRule, covered: Period | None) -> str:
    if rule.records is not None:
        return "记录：每个成员单位至少一项党建资源和一名人才"
    if rule.recurrence == PER_ACTIVITY:
        return f"文件：{rule.document_kind}（activities 中列出本次活动）"
    if rule.activity_kind is not None:
        return f"活动：{rule.activity_kind}"
    if covered is not None:
        return f"文件：{rule.document_kind}（period: {covered}）"
    return f"文件：{rule.document_kind}"


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
        if rule.recurrence == ONCE:
            yield self.once(rule)
        elif rule.recurrence == PER_ACTIVITY:
            yield from self.per_activity(rule, start, end)
        else:
            kind = PERIOD_KINDS[rule.recurrence or YEARLY]
            period, last = period_of(self.established, kind), period_of(end, kind)
            while period <= last:
                yield self.periodic(rule, period)
                period = period.next()

    def once(self, rule: DutyRule) -> DutyStatus:
        est = self.established
        if rule.due_days is not None:
            deadline = est + dt.timedelta(days=rule.due_days)
        elif rule.deadline is not None:
            deadline = _monthday(est.year, rule.deadline) or dt.date(est.year, 12, 31)
        else:
            deadline = dt.date(est.year, 12, 31)
        base = DutyStatus(rule.id, rule.title or rule.id, rule.owner or LEAD, self.owner(rule, deadline), ONCE,
                          est.isoformat(), "成立后", est, deadline, deadline, TODO, requirement=_requirement(rule, None),
                          src=self.anchor(est.year))
        if rule.records is not None:
            return self.judge_records(rule, base)
        return self.judge(rule, base, self.evidence(rule, est, None, None))

    def periodic(self, rule: DutyRule, period: Period) -> DutyStatus:
        est = self.established
        first = period.contains(est)
        start = max(period.start, est)
        if first and rule.first_due_days is not None:
            deadline = est + dt.timedelta(days=rule.first_due_days)
        elif rule.deadline is not None:
            deadline = _monthday(period.year, rule.deadline) or period.end
        elif rule.due_days is not None:
            deadline = period.end + dt.timedelta(days=rule.due_days)
        else:
            deadline = period.end
        owner_day = deadline if start <= deadline <= period.end else period.end
        covered = _covered(rule, period)
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
        return self.judge(rule, base, self.evidence(rule, start, period.end, covered))

    def per_activity(self, rule: DutyRule, start: dt.date | None = None, end: dt.date | None = None) -> Iterator[DutyStatus]:
        within = rule.due_days if rule.due_days is not None else self.info.bulletin.within_days
        # Only activities whose deadline can fall in [start, end]: a ten-year zone has tens of thousands.
        first = max(self.established, start - dt.timedelta(days=within + 366)) if start else self.established
        last = min(self.as_of, end) if end else self.as_of
        for act in self.zone.activities:
            if act.date > last or act.date < first:
                continue
            if rule.activity_kind is not None and act.kind != rule.activity_kind:
                continue
            owner = self.owner(rule, act.date)
            if owner is None or owner not in act.hosts:
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

    def judge(self, rule: DutyRule, base: DutyStatus, found: list[tuple[dt.date, Evidence]]) -> DutyStatus:
        if rule.enabled is False:
            return replace(base, status=NOT_APPLICABLE, note="本协作区已停用这条职责")
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
        if self.as_of > base.deadline:
            return replace(base, status=OVERDUE, days_late=(self.as_of - base.deadline).days, note=note)
        left = (base.deadline - self.as_of).days
        remind = rule.remind_days if rule.remind_days is not None else DEFAULT_REMIND_DAYS
        return replace(base, status=DUE_SOON if left <= remind else TODO, days_left=left, note=note)

    def judge_records(self, rule: DutyRule, base: DutyStatus) -> DutyStatus:
        if rule.enabled is False:
            return replace(base, status=NOT_APPLICABLE, note="本协作区已停用这条职责")
        evidence: list[Evidence] = []
        missing: list[str] = []
        for unit in sorted(self.zone.member_units(self.as_of), key=lambda u: u.id):
            lacks = [name for name, items in (("党建资源", unit.resources), ("人才", unit.talents)) if not items]
            if lacks:
                missing.append(f"{unit.short_name or unit.name}（{'、'.join(lacks)}）")
            else:
                evidence.append(Evidence(unit.src.path, unit.at("resources").line, unit.id))
        if not missing:
            return replace(base, status=DONE, evidence=tuple(evidence), note="按现有单位记录判断")
        return self.open_status(rule, replace(base, evidence=tuple(evidence)), "尚缺：" + "；".join(missing))


def usable_rules(zone: Zone) -> list[DutyRule]:
    """The effective rules that can be evaluated (those without problems)."""
    return [r for r in effective_rules(zone) if not rule_problems(r, zone.info.established)]


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
    out = [inst for rule in usable_rules(zone) for inst in ev.instances(rule, end, start) if start <= inst.deadline <= end]
    return sorted(out, key=DutyStatus.sort_key)


def evaluate_year(zone: Zone, year: int, as_of: dt.date) -> list[DutyStatus]:
    """The instances whose deadline falls in `year`."""
    return evaluate(zone, as_of, dt.date(year, 1, 1), dt.date(year, 12, 31))


def count_by_status(statuses: Iterable[DutyStatus]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        counts[s.status] += 1
    return counts
