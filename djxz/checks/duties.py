"""Checks on duties: rules in zone.yaml that cannot work (DJX115), adjustments that name no duty instance (DJX119)
and, with --strict, duties overdue this year (DJX201)."""

from __future__ import annotations

import difflib
from typing import Iterator

from djxz.checks.context import CheckContext
from djxz.domain import duty_rules as dr
from djxz.domain.duties import OVERDUE, evaluate_year
from djxz.domain.periods import KIND_NAMES, parse_period
from djxz.model import ERROR, WARNING, Adjustment, Diagnostic, DutyRule, Zone


def check_duty_rules(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX115: every rule of zone.yaml, merged with the built-in rule of its id, can be evaluated; ids are unique."""
    merge_rules, rule_problems = dr.merge_rules, dr.rule_problems
    if not zone.info_ok:
        return
    seen: dict[str, object] = {}
    for rule in zone.info.duties:
        first = seen.setdefault(rule.id, rule)
        if first is not rule:
            yield Diagnostic(rule.at("id"), "DJX115", ERROR, f"职责规则“{rule.id}”重复（另见 {first.src}）",
                             "同一条规则只写一次，要改的字段写在同一项里")
    for rule in merge_rules(zone.info.duties):
        if not rule.src.path:  # a built-in rule the zone leaves alone: sound by construction (tested)
            continue
        for problem in rule_problems(rule, zone.info.established):
            yield Diagnostic(rule.at(problem.field) if problem.field else rule.src, "DJX115", ERROR,
                             problem.message, problem.hint)


def check_adjustments(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX119: each adjustment in plans/<year>.yaml names a duty rule, one of its instances, and a sound action."""
    if not zone.info_ok:
        return
    rules = {rule.id: rule for rule in dr.effective_rules(zone)}
    seen: dict[tuple[str, str], Adjustment] = {}
    for plan in zone.plans.values():
        for adj in plan.adjustments:
            rule = rules.get(adj.duty)
            if rule is None:
                close = difflib.get_close_matches(adj.duty, list(rules), n=1, cutoff=0.5)
                hint = f"是不是“{close[0]}”？" if close else f"职责规则编号：{'、'.join(rules)}"
                yield Diagnostic(adj.at("duty"), "DJX119", ERROR, f"职责调整中的职责“{adj.duty}”不存在", hint)
                continue
            first = seen.setdefault((adj.duty, adj.period), adj)
            if first is not adj:
                yield Diagnostic(adj.src, "DJX119", ERROR, f"职责“{adj.duty}”的 {adj.period} 已有一条调整（见 {first.src}）",
                                 "同一期只写一条调整")
            problem = _period_problem(zone, rule, adj.period)
            if problem:
                yield Diagnostic(adj.at("period"), "DJX119", ERROR, problem[0], problem[1])
            if adj.action == "顺延" and adj.to is None:
                yield Diagnostic(adj.at("action"), "DJX119", ERROR, "顺延须写明新的截止日期 to",
                                 "添加一行 to: YYYY-MM-DD；不再要求这一期时写 action: 免于")
            if adj.action == "免于" and adj.to is not None:
                yield Diagnostic(adj.at("to"), "DJX119", ERROR, "免于不需要新的截止日期 to",
                                 "删去 to；只是推迟时写 action: 顺延")


def _period_problem(zone: Zone, rule: DutyRule, text: str) -> tuple[str, str] | None:
    """Why `text` names no instance of `rule`, with a fix; None when it does."""
    name = f"职责“{rule.id}”"
    recurrence = rule.recurrence or dr.YEARLY
    if recurrence == dr.PER_ACTIVITY:
        if zone.activity(text) is None:
            return _no_such(f"{name}是“每次活动”的职责，期次应写活动编号，活动“{text}”不存在",
                            text, [a.id for a in zone.activities], "活动编号就是 activities/<年份>/ 下的文件名")
        return None
    if recurrence == dr.PER_DEPLOYMENT:
        ids = [d.id for d in zone.documents_of(dr.DEPLOYMENT_KIND)]
        if text not in ids:
            return _no_such(f"{name}是“每次上级部署”的职责，期次应写上级部署文件的编号，“{text}”不是", text, ids,
                            "上级部署登记在 documents/<年份>/，kind: 上级部署")
        return None
    if recurrence == dr.ONCE and rule.records is not None:
        ids = [u.id for u in zone.member_units()]
        if text not in ids:
            return _no_such(f"{name}按成员单位分别判断，期次应写单位编号，“{text}”不是成员单位", text, ids, "单位编号见 units/")
        return None
    if recurrence == dr.ONCE:
        founded = zone.info.established.isoformat() if zone.info.established else ""
        if text != founded:
            return f"{name}只有一期，期次应写成立日期 {founded}", f"改为 period: '{founded}'"
        return None
    kind = dr.PERIOD_KINDS[recurrence]
    if parse_period(text, kind) is None:
        example = {"year": "2024", "half": "2024-H1", "quarter": "2024-Q1", "month": "2024-03"}[kind]
        return (f"{name}按{KIND_NAMES.get(kind, kind)}计，期次“{text}”不是{KIND_NAMES.get(kind, kind)}期次",
                f"写成 {example} 这样的期次（加引号）")
    return None


def _no_such(message: str, text: str, choices: list[str], fallback: str) -> tuple[str, str]:
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
    return message, f"是不是“{close[0]}”？" if close else fallback


def check_overdue_duties(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX201 (--strict only, a warning): a duty due this year whose deadline has passed with nothing to show for it.

    Earlier years are closed records: what was missed then stays visible in `djxz status --year`, but no longer fails a
    strict check, so a weekly CI run keeps meaning "something needs doing now".
    """
    if not ctx.strict or not zone.info_ok or zone.info.established is None:
        return

    for s in evaluate_year(zone, ctx.today.year, ctx.today):
        if s.status != OVERDUE:
            continue
        who = zone.unit_name(s.owner, short=True) if s.owner else "（无轮值单位）"
        yield Diagnostic(s.src, "DJX201", WARNING,
                         f"{s.owner_role}{who}的职责“{s.title}”（{s.period_label}）已逾期 {s.days_late} 天，截止 {s.deadline}",
                         _hint(s))


def _hint(s) -> str:
    if s.recurrence == "每次活动":
        return "印发文件时在其 activities 中列出这次活动；运行 djxz status 查看全部职责"
    return "完成后把活动或文件登记到 activities/ 或 documents/；运行 djxz status 查看全部职责"


CHECKS = [check_duty_rules, check_adjustments, check_overdue_duties]
