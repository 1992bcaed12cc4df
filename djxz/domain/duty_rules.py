"""Duty rules as data: the seed plan's rules, the options for its two readings, a zone's overrides merged by id, and
what makes a rule impossible to evaluate. Evaluation is in `duties`; the user manual is docs/duties.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, fields
from typing import Iterable

from djxz.model import DutyRule, Source, Zone

DONE = "已完成"
TODO = "待办"
DUE_SOON = "即将到期"
OVERDUE = "逾期"
NOT_APPLICABLE = "不适用"
EXEMPT = "已免除"
STATUSES = (DONE, TODO, DUE_SOON, OVERDUE, EXEMPT, NOT_APPLICABLE)
# Stable machine names of the statuses, for JSON consumers.
STATUS_CODES = {DONE: "done", TODO: "todo", DUE_SOON: "due_soon", OVERDUE: "overdue", EXEMPT: "exempt",
                NOT_APPLICABLE: "not_applicable"}
# What a user reads for an overdue instance whose deadline year has ended: no running day count (docs/duties.md).
UNFINISHED = "未完成"

LEAD = "牵头单位"
DUTY = "轮值单位"
OWNERS = (LEAD, DUTY)

ONCE = "一次"
YEARLY = "每年"
PER_ACTIVITY = "每次活动"
PER_DEPLOYMENT = "每次上级部署"
RECURRENCES = (ONCE, YEARLY, "每半年", "每季度", "每月", PER_ACTIVITY, PER_DEPLOYMENT)
# Duty ③: a superior's deployment is recorded as a document of this kind (docs/duties.md says why not a record type).
DEPLOYMENT_KIND = "上级部署"
# What fulfils duty ③ when the rule names no activity_kind: "主持召开协作区联席会议（或工作调度会）".
DEPLOYMENT_MEETINGS = ("联席会议", "工作调度会")
DEFAULT_DEPLOYMENT_DAYS = 15  # djxz's default: the seed says only "如遇……主持召开"
PERIOD_KINDS = {YEARLY: "year", "每半年": "half", "每季度": "quarter", "每月": "month"}

ARCHIVE_RECORDS = "单位资源和人才"
COVERS = ("本期", "上一期", "本年上半年", "本年下半年")
FIRST_PERIOD = ("照常", "不适用")
DEFAULT_REMIND_DAYS = 14

# The plan's two readings (DOMAIN.md), each a rule option with its default first.
SCOPE_HOSTED = "轮值单位主办"
SCOPE_ALL = "全部活动"
SCOPES = (SCOPE_HOSTED, SCOPE_ALL)
BY_INCOMING = "本年度轮值单位"
BY_OUTGOING = "上一年度轮值单位"
REPORTERS = (BY_INCOMING, BY_OUTGOING)

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
    _builtin(id="deployment-meeting", title="上级部署重大任务后召开联席会议或工作调度会", owner=DUTY,
             recurrence=PER_DEPLOYMENT, due_days=DEFAULT_DEPLOYMENT_DAYS,
             basis="轮值期间，如遇总站统一部署的某项重大党建工作任务，主持召开协作区联席会议（或工作调度会），"
                   "共同学习上级指示精神，研究部署协作工作任务"),
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
    if recurrence == PER_DEPLOYMENT:
        if rule.document_kind is not None or rule.records is not None:
            key = "document_kind" if rule.document_kind is not None else "records"
            out.append(RuleProblem(key, f"{name}是“{PER_DEPLOYMENT}”的职责，只能由活动完成（activity_kind）",
                                   f"删去 {key}；不写 activity_kind 时，联席会议或工作调度会都算完成"))
    elif not given:
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
    if rule.scope not in (None, SCOPE_HOSTED) and recurrence != PER_ACTIVITY:
        out.append(RuleProblem("scope", f"{name}的 scope 只用于“每次活动”的职责", "删去 scope"))
    if rule.report_by not in (None, BY_INCOMING) and rule.covers != "上一期":
        out.append(RuleProblem("report_by", f"{name}的 report_by 只用于报告上一期工作（covers: 上一期）的职责",
                               "删去 report_by，或写 covers: 上一期"))
    if rule.deadline is not None and recurrence == PER_DEPLOYMENT:
        out.append(RuleProblem("deadline", f"{name}是“{PER_DEPLOYMENT}”的职责，不能写固定的截止日期",
                               "用 due_days 写上级部署后多少天内召开"))
    if rule.records is not None and recurrence != ONCE:
        out.append(RuleProblem("recurrence", f"{name}由记录完成（records），只能是“一次”", "把 recurrence 改为 一次"))
    if rule.deadline is not None and rule.due_days is not None:
        out.append(RuleProblem("deadline", f"{name}同时写了 deadline 和 due_days", "固定日期写 deadline，相对天数写 due_days，只写一个"))
    if rule.deadline is not None and recurrence not in (ONCE, YEARLY, PER_DEPLOYMENT):
        out.append(RuleProblem("deadline", f"{name}是“{recurrence}”的职责，不能写固定的截止日期 {rule.deadline}",
                               "每期的截止日期各不相同：删去 deadline（默认本期最后一天），或用 due_days 写本期结束后多少天内"))
    if recurrence == ONCE and rule.deadline is not None and established is not None:
        due = monthday(established.year, rule.deadline)
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
    if (rule.first_due_days is not None or rule.first_period not in (None, "照常")) and recurrence in (ONCE, PER_ACTIVITY, PER_DEPLOYMENT):
        key = "first_due_days" if rule.first_due_days is not None else "first_period"
        out.append(RuleProblem(key, f"{name}是“{recurrence}”的职责，{key} 只用于按期重复的职责", f"删去 {key}"))
    elif rule.first_due_days is not None and rule.first_period == "不适用":
        out.append(RuleProblem("first_due_days", f"{name}写了成立那一期不适用，又写了 first_due_days", "二者只写一个"))
    return out




def usable_rules(zone: Zone) -> list[DutyRule]:
    """The effective rules that can be evaluated (those without problems)."""
    return [r for r in effective_rules(zone) if not rule_problems(r, zone.info.established)]


def monthday(year: int, text: str) -> dt.date | None:
    try:
        return dt.date(year, int(text[:2]), int(text[3:5]))
    except (ValueError, IndexError):
        return None
