"""Checks on duties: rules in zone.yaml that cannot work (DJX115) and, with --strict, duties overdue this year (DJX201)."""

from __future__ import annotations

from typing import Iterator

from djxz.checks import CheckContext
from djxz.model import ERROR, WARNING, Diagnostic, Zone


def check_duty_rules(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX115: every rule of zone.yaml, merged with the built-in rule of its id, can be evaluated; ids are unique."""
    from djxz.domain.duties import merge_rules, rule_problems

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


def check_overdue_duties(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX201 (--strict only, a warning): a duty due this year whose deadline has passed with nothing to show for it.

    Earlier years are closed records: what was missed then stays visible in `djxz status --year`, but no longer fails a
    strict check, so a weekly CI run keeps meaning "something needs doing now".
    """
    if not ctx.strict or not zone.info_ok or zone.info.established is None:
        return
    from djxz.domain.duties import OVERDUE, evaluate_year

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


CHECKS = [check_duty_rules, check_overdue_duties]
