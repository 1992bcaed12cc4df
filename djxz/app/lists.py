"""Use case `djxz lists`: the 需求清单, 资源清单 and 项目清单 (and the 督办 ledger) as rows, JSON or an xlsx 台账.

Prints nothing. Every status is derived (djxz.domain.lists) on `as_of`; `year` keeps the needs raised, the projects
agreed and the decisions taken in that year (resources are the units' current ones).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from djxz.app.check import load_valid_zone
from djxz.app.export import Sheet, write_workbook
from djxz.domain.lists import (
    DECISION_CODES,
    NEED_CODES,
    DecisionState,
    NeedState,
    decision_states,
    last_milestone,
    milestones_done,
    need_states,
    project_done,
)
from djxz.errors import UserError
from djxz.model import Project, Zone

NEED_SHEET, RESOURCE_SHEET, PROJECT_SHEET, DECISION_SHEET = "需求清单", "资源清单", "项目清单", "督办事项"
NEED_HEADERS = ("编号", "提出日期", "提出单位", "需求", "类别", "希望解决日期", "状态", "认领项目", "说明")
RESOURCE_HEADERS = ("单位", "单位类型", "资源或人才", "类别", "名称", "说明或专长")
PROJECT_HEADERS = ("编号", "项目", "“五共”类别", "对应需求", "牵头单位", "参与单位", "约定日期", "完成期限",
                   "共建协议", "里程碑完成", "状态", "成果")
DECISION_HEADERS = ("决定日期", "会议或活动", "事项", "责任单位", "完成期限", "状态", "办结记录", "办结依据")
PROJECT_DONE, PROJECT_RUNNING, PROJECT_LATE = "已完成", "进行中", "逾期"
PROJECT_CODES = {PROJECT_DONE: "done", PROJECT_RUNNING: "running", PROJECT_LATE: "overdue"}


@dataclass(frozen=True)
class ResourceRow:
    unit: str
    group: str  # 资源 or 人才
    kind: str
    name: str
    description: str


@dataclass(frozen=True)
class Lists:
    zone: Zone
    as_of: dt.date
    year: int | None
    needs: tuple[NeedState, ...]
    resources: tuple[ResourceRow, ...]
    projects: tuple[Project, ...]
    decisions: tuple[DecisionState, ...]


def project_status(project: Project, as_of: dt.date) -> str:
    if project_done(project):
        return PROJECT_DONE
    return PROJECT_LATE if project.due and as_of > project.due else PROJECT_RUNNING


def resource_rows(zone: Zone, as_of: dt.date) -> list[ResourceRow]:
    """Every resource and talent of the units in the zone on `as_of`, unit by unit, as written."""
    rows = []
    for unit in zone.units.values():
        if not unit.active_on(as_of):
            continue
        for res in unit.resources:
            rows.append(ResourceRow(unit.id, "资源", res.kind, res.name, (res.description or "").strip()))
        for talent in unit.talents:
            rows.append(ResourceRow(unit.id, "人才", talent.kind, talent.name, "、".join(talent.skills)))
    return rows


def build_lists(zone: Zone, as_of: dt.date, year: int | None = None) -> Lists:
    def in_year(day: dt.date) -> bool:
        return year is None or day.year == year

    needs = tuple(s for s in need_states(zone, as_of) if in_year(s.need.date))
    projects = tuple(p for p in zone.projects if p.agreed <= as_of and in_year(p.agreed))
    decisions = tuple(d for d in decision_states(zone, as_of) if in_year(d.activity.date))
    return Lists(zone, as_of, year, needs, tuple(resource_rows(zone, as_of)), projects, decisions)


def load_lists(root: Path, today: dt.date, as_of: dt.date | None = None, year: int | None = None) -> Lists:
    """Load the zone (refusing one with check errors) and build its lists on `as_of` (default: today)."""
    return build_lists(load_valid_zone(root, today), as_of or today, year)


# ---------------------------------------------------------------- rows shared by text and xlsx

def _names(zone: Zone, ids) -> str:
    return "、".join(zone.unit_name(u, short=True) for u in ids)


def need_rows(lists: Lists) -> list[tuple]:
    zone = lists.zone
    return [(s.need.id, s.need.date, zone.unit_name(s.need.unit, short=True), s.need.title, s.need.kind, s.need.needed_by,
             s.status, "、".join(p.id for p in s.projects) or None, s.need.description.strip())
            for s in lists.needs]


def project_rows(lists: Lists) -> list[tuple]:
    zone = lists.zone
    rows = []
    for p in lists.projects:
        progress = f"{milestones_done(p)}/{len(p.milestones)}" if p.milestones else None
        rows.append((p.id, p.title, p.category, p.need, zone.unit_name(p.lead, short=True), _names(zone, p.partners) or None,
                     p.agreed, p.due, p.agreement, progress, project_status(p, lists.as_of), (p.outcome or "").strip() or None))
    return rows


def decision_rows(lists: Lists) -> list[tuple]:
    zone = lists.zone
    rows = []
    for d in lists.decisions:
        state = f"逾期 {d.days_overdue} 天" if d.days_overdue else d.status
        closed = "、".join(r.id for r in d.resolutions) or None
        evidence = "；".join(r.evidence for r in d.resolutions if r.evidence) or None
        rows.append((d.activity.date, d.activity.title, d.decision.text.strip(), zone.unit_name(d.decision.owner, short=True),
                     d.decision.due, state, closed, evidence))
    return rows


def resource_table(lists: Lists) -> list[tuple]:
    zone = lists.zone
    return [(zone.unit_name(r.unit, short=True), zone.units[r.unit].type, r.group, r.kind, r.name, r.description or None)
            for r in lists.resources]


def sheets(lists: Lists) -> list[Sheet]:
    """The 台账: one sheet a list, plus the 督办 ledger; headers frozen, filters on (write_workbook)."""
    return [
        Sheet(NEED_SHEET, NEED_HEADERS, need_rows(lists), freeze="B2", wrap=("需求", "说明")),
        Sheet(RESOURCE_SHEET, RESOURCE_HEADERS, resource_table(lists), wrap=("说明或专长",)),
        Sheet(PROJECT_SHEET, PROJECT_HEADERS, project_rows(lists), freeze="C2", wrap=("项目", "成果")),
        Sheet(DECISION_SHEET, DECISION_HEADERS, decision_rows(lists), freeze="C2", wrap=("事项", "办结依据")),
    ]


def write_lists_xlsx(lists: Lists, out: Path) -> list[tuple[str, int]]:
    """Write the 台账 atomically, with the same cell handling as `djxz export`; (sheet, rows) for the message."""
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件应以 .xlsx 结尾：{out}")
    if not out.parent.is_dir():
        raise UserError(f"输出目录 {out.parent} 不存在")
    made = sheets(lists)
    write_workbook(made, out)
    return [(s.name, len(s.rows)) for s in made]


# ---------------------------------------------------------------- JSON (docs/lists.schema.json)

def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _unit(zone: Zone, unit_id: str) -> dict:
    return {"id": unit_id, "name": zone.unit_name(unit_id)}


def lists_json(lists: Lists) -> dict:
    zone = lists.zone
    return {
        "schema_version": 1,
        "zone": zone.info.name,
        "as_of": lists.as_of.isoformat(),
        "year": lists.year,
        "needs": [
            {"id": s.need.id, "date": _date(s.need.date), "unit": _unit(zone, s.need.unit), "title": s.need.title,
             "kind": s.need.kind, "needed_by": _date(s.need.needed_by), "description": s.need.description.strip(),
             "status": s.status, "status_code": NEED_CODES[s.status], "projects": [p.id for p in s.projects],
             "path": s.need.src.path}
            for s in lists.needs
        ],
        "resources": [
            {"unit": _unit(zone, r.unit), "group": "resource" if r.group == "资源" else "talent", "kind": r.kind,
             "name": r.name, "description": r.description}
            for r in lists.resources
        ],
        "projects": [_project_json(zone, p, lists.as_of) for p in lists.projects],
        "decisions": [
            {"activity": d.activity.id, "id": d.decision.id, "key": d.key, "date": _date(d.activity.date),
             "text": d.decision.text.strip(), "owner": _unit(zone, d.decision.owner), "due": _date(d.decision.due),
             "status": d.status, "status_code": DECISION_CODES[d.status], "days_overdue": d.days_overdue,
             "resolved_by": [{"id": r.id, "date": _date(r.date), "path": r.path, "evidence": r.evidence}
                             for r in d.resolutions]}
            for d in lists.decisions
        ],
    }


def _project_json(zone: Zone, p: Project, as_of: dt.date) -> dict:
    status = project_status(p, as_of)
    last = last_milestone(p)
    return {
        "id": p.id, "title": p.title, "category": p.category, "need": p.need, "lead": _unit(zone, p.lead),
        "partners": [_unit(zone, u) for u in p.partners], "agreed": _date(p.agreed), "due": _date(p.due),
        "agreement": p.agreement, "outcome": (p.outcome or "").strip() or None,
        "milestones": [{"title": m.title, "due": _date(m.due), "done_by": m.done_by, "last": m is last}
                       for m in p.milestones],
        "status": status, "status_code": PROJECT_CODES[status], "path": p.src.path,
    }
