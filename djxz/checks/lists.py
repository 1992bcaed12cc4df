"""Checks of the three lists and 督办: needs, projects and decisions name records that exist, on dates that fit."""

from __future__ import annotations

import difflib
import posixpath
from typing import Iterable, Iterator

from djxz.checks.context import CheckContext
from djxz.checks.references import unit_ref
from djxz.domain.lists import WITHDRAWN, split_key
from djxz.model import ERROR, Diagnostic, Record, Zone


def _did_you_mean(wanted: str, known: Iterable[str], where: str) -> str:
    close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
    return f"是不是“{close[0]}”？" if close else f"{where}见文件名（去掉 .yaml）"


def _unknown(record: Record, path: str, what: str, wanted: str, known: Iterable[str], where: str) -> Diagnostic:
    return Diagnostic(record.at(path), "DJX121", ERROR, f"{what}“{wanted}”不存在", _did_you_mean(wanted, known, where))


def check_list_files(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX017/105/103: a need or project lives in `<year>/<id>.yaml`, its id starts with its date, ids are unique."""
    seen: dict[str, Record] = {}
    for record, day, field in [*((n, n.date, "date") for n in zone.needs), *((p, p.agreed, "agreed") for p in zone.projects)]:
        stem = posixpath.splitext(posixpath.basename(record.src.path))[0]
        folder = posixpath.basename(posixpath.dirname(record.src.path))
        if record.id != stem:
            yield Diagnostic(record.at("id"), "DJX017", ERROR, f"编号“{record.id}”与文件名“{stem}.yaml”不一致",
                             f"把文件改名为 {record.id}.yaml，或把 id 改为 {stem}")
        if folder != str(day.year):
            yield Diagnostic(record.at(field), "DJX105", ERROR, f"日期 {day} 不在所在的年度目录“{folder}”",
                             f"把文件移到 {day.year}/ 目录，或改正日期")
        elif not record.id.startswith(day.isoformat()):
            yield Diagnostic(record.at("id"), "DJX105", ERROR, f"编号“{record.id}”应以日期 {day} 开头",
                             f"编号写成 {day}-<英文短名>，文件同名")
        first = seen.setdefault(record.id, record)
        if first is not record:
            yield Diagnostic(record.at("id"), "DJX103", ERROR, f"编号“{record.id}”重复", f"已在 {first.src} 使用，换一个编号")


def check_list_units(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX101/102: the unit of a need, the lead and partners of a project, the owner of a decision."""
    for need in zone.needs:
        yield from unit_ref(zone, need, "unit", need.unit, "提出需求的单位", (need.date, need.date))
    for project in zone.projects:
        span = (project.agreed, project.agreed)
        yield from unit_ref(zone, project, "lead", project.lead, "项目牵头单位", span)
        for i, unit_id in enumerate(project.partners):
            yield from unit_ref(zone, project, f"partners.{i}", unit_id, "项目参与单位", span)
    for act in zone.activities:
        for decision in act.decisions:
            yield from unit_ref(zone, decision, "owner", decision.owner, f"督办事项“{decision.id}”的责任单位")


def check_projects(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX121 unknown need, agreement or completing record; DJX122 dates before the agreement; DJX123 withdrawn need."""
    needs = {n.id: n for n in zone.needs}
    documents = {d.id: d for d in zone.documents}
    records = {**zone.activities_by_id, **documents}
    for need in zone.needs:
        if need.needed_by and need.needed_by < need.date:
            yield Diagnostic(need.at("needed_by"), "DJX122", ERROR, f"希望解决的日期 {need.needed_by} 早于提出日期 {need.date}",
                             "改正 needed_by 或 date")
    for project in zone.projects:
        if project.need and project.need not in zone.unreadable_ids:
            need = needs.get(project.need)
            if need is None:
                yield _unknown(project, "need", "项目对应的需求", project.need, needs, "需求编号在 needs/ 目录下，")
            elif need.status == WITHDRAWN:
                yield Diagnostic(project.at("need"), "DJX123", ERROR, f"项目对应的需求“{need.title}”（{need.id}）已撤回",
                                 f"去掉 need，或在 {need.src.path} 中删除“status: 已撤回”")
        if project.agreement and project.agreement not in zone.unreadable_ids:
            if project.agreement not in documents:
                yield _unknown(project, "agreement", "共建协议文件", project.agreement, documents, "文件编号在 documents/ 目录下，")
        if project.due and project.due < project.agreed:
            yield Diagnostic(project.at("due"), "DJX122", ERROR, f"完成期限 {project.due} 早于约定日期 {project.agreed}",
                             "改正 due 或 agreed")
        for i, milestone in enumerate(project.milestones):
            if milestone.due and milestone.due < project.agreed:
                yield Diagnostic(milestone.at("due"), "DJX122", ERROR,
                                 f"里程碑“{milestone.title}”的日期 {milestone.due} 早于项目约定日期 {project.agreed}", "改正里程碑日期")
            done_by = milestone.done_by
            if done_by and done_by not in records and done_by not in zone.unreadable_ids:
                yield _unknown(milestone, "done_by", f"完成里程碑“{milestone.title}”的活动或文件", done_by, records,
                               "活动和文件编号在 activities/、documents/ 目录下，")


def check_decisions(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX124: decision ids unique within their activity; every `resolves` names a decision taken on or before it."""
    for act in zone.activities:
        seen: set[str] = set()
        for decision in act.decisions:
            if decision.id in seen:
                yield Diagnostic(decision.at("id"), "DJX124", ERROR, f"督办事项编号“{decision.id}”在本活动中重复",
                                 "同一活动的事项编号各不相同")
            seen.add(decision.id)
    for record, i, key in _resolves(zone):
        src = record.at(f"resolves.{i}")
        parts = split_key(key)
        if parts is None:
            yield Diagnostic(src, "DJX124", ERROR, f"“{key}”不是“活动编号#事项编号”的形式",
                             "写成如 2026-03-20-fazhan-lianxihui#chuneng")
            continue
        act_id, decision_id = parts
        if act_id in zone.unreadable_ids:
            continue
        act = zone.activity(act_id)
        if act is None:
            yield Diagnostic(src, "DJX124", ERROR, f"办结的督办事项所在的活动“{act_id}”不存在",
                             _did_you_mean(act_id, zone.activities_by_id, "活动编号在 activities/ 目录下，"))
            continue
        ids = [d.id for d in act.decisions]
        if decision_id not in ids:
            where = f"该活动的事项有：{'、'.join(ids)}" if ids else "该活动没有记录 decisions"
            close = difflib.get_close_matches(decision_id, ids, n=1, cutoff=0.6)
            yield Diagnostic(src, "DJX124", ERROR, f"活动“{act_id}”中没有编号为“{decision_id}”的督办事项",
                             f"是不是“{close[0]}”？" if close else where)
        elif record.date < act.date:
            yield Diagnostic(src, "DJX124", ERROR, f"办结记录的日期 {record.date} 早于作出决定的活动（{act.date}）",
                             "办结只能由之后的活动或文件记录")
        elif record is act:
            yield Diagnostic(src, "DJX124", ERROR, "活动不能办结它自己作出的决定", "由之后的活动或文件记录办结")


def _resolves(zone: Zone) -> Iterator[tuple[Record, int, str]]:
    for record in (*zone.activities, *zone.documents):
        for i, key in enumerate(record.resolves):
            yield record, i, key


CHECKS = [check_list_files, check_list_units, check_projects, check_decisions]
