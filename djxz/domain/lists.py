"""The three lists' derived state and 督办: whether a need is claimed or solved, whether a decision is closed or late.

Nothing here is ever written in a record twice: a need is 已认领 because a project names it, 已解决 because that
project is done; a decision is 已办结 because a later record `resolves` it. Pure functions over the zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from djxz.model import Activity, Decision, Document, Need, Project, Zone

OPEN, CLAIMED, SOLVED, WITHDRAWN = "开放", "已认领", "已解决", "已撤回"
DECISION_OPEN, DECISION_DONE, DECISION_OVERDUE = "办理中", "已办结", "逾期"
DECISION_STATUSES = (DECISION_OPEN, DECISION_OVERDUE, DECISION_DONE)
DECISION_CODES = {DECISION_OPEN: "open", DECISION_OVERDUE: "overdue", DECISION_DONE: "done"}
NEED_CODES = {OPEN: "open", CLAIMED: "claimed", SOLVED: "solved", WITHDRAWN: "withdrawn"}


def decision_key(activity_id: str, decision_id: str) -> str:
    """How a later record names a decision: `<activity-id>#<decision-id>`."""
    return f"{activity_id}#{decision_id}"


def split_key(key: str) -> tuple[str, str] | None:
    """(`activity-id`, `decision-id`) of a `resolves` entry, or None when it is not of that shape."""
    activity_id, sep, decision_id = key.partition("#")
    if not sep or not activity_id or not decision_id:
        return None
    return activity_id.strip(), decision_id.strip()


# ---------------------------------------------------------------- projects and needs

def last_milestone(project: Project):
    """The milestone due last (the last written among equal dates), or None."""
    if not project.milestones:
        return None
    return max(enumerate(project.milestones), key=lambda im: (im[1].due or dt.date.min, im[0]))[1]


def project_done(project: Project) -> bool:
    """Done when its outcome is written, or when its last milestone names the record that completed it."""
    if project.outcome and project.outcome.strip():
        return True
    last = last_milestone(project)
    return bool(last is not None and last.done_by)


def milestones_done(project: Project) -> int:
    return sum(1 for m in project.milestones if m.done_by)


def project_open(project: Project, as_of: dt.date) -> bool:
    """Agreed by `as_of` and not done: what counts as a unit's load."""
    return project.agreed <= as_of and not project_done(project)


@dataclass(frozen=True)
class NeedState:
    need: Need
    status: str
    projects: tuple[Project, ...]  # the projects that name it, in agreed-date order

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def need_state(need: Need, projects: tuple[Project, ...]) -> NeedState:
    """Withdrawn when written so; else solved when a project naming it is done, claimed when one names it, else open.

    A status written on the record is honoured when the projects cannot say more (e.g. solved outside the zone).
    """
    mine = tuple(p for p in projects if p.need == need.id)
    if need.status == WITHDRAWN:
        return NeedState(need, WITHDRAWN, mine)
    if any(project_done(p) for p in mine):
        return NeedState(need, SOLVED, mine)
    if mine:
        return NeedState(need, CLAIMED if need.status != SOLVED else SOLVED, mine)
    return NeedState(need, need.status or OPEN, mine)


def need_states(zone: Zone, as_of: dt.date | None = None) -> list[NeedState]:
    """Every need raised by `as_of` (all when None) with its state, counting the projects agreed by then."""
    projects = tuple(p for p in zone.projects if as_of is None or p.agreed <= as_of)
    return [need_state(n, projects) for n in zone.needs if as_of is None or n.date <= as_of]


# ---------------------------------------------------------------- decisions (督办)

@dataclass(frozen=True)
class Resolution:
    """A later record that says a decision is done, and what shows it."""

    id: str
    date: dt.date
    path: str
    line: int
    evidence: str


@dataclass(frozen=True)
class DecisionState:
    activity: Activity
    decision: Decision
    status: str
    resolutions: tuple[Resolution, ...]
    days_overdue: int  # days past due on as_of (0 unless 逾期)

    @property
    def key(self) -> str:
        return decision_key(self.activity.id, self.decision.id)

    @property
    def closed_on(self) -> dt.date | None:
        return self.resolutions[0].date if self.resolutions else None


def resolvers(zone: Zone) -> Iterator[tuple[Activity | Document, str]]:
    """Every (record, `resolves` entry) in the zone, activities then documents."""
    for record in (*zone.activities, *zone.documents):
        for key in record.resolves:
            yield record, key


def decision_states(zone: Zone, as_of: dt.date) -> list[DecisionState]:
    """Every decision taken by `as_of`, with its state on that day, in the order the meetings were held."""
    closed: dict[str, list[Resolution]] = {}
    for record, key in resolvers(zone):
        if record.date > as_of:
            continue
        parts = split_key(key)
        if parts is None:
            continue
        line = record.at("resolves").line
        closed.setdefault(decision_key(*parts), []).append(
            Resolution(record.id, record.date, record.src.path, line, (record.evidence or "").strip()))
    out = []
    for act in zone.activities:
        if act.date > as_of:
            continue
        for decision in act.decisions:
            done = sorted(closed.get(decision_key(act.id, decision.id), ()), key=lambda r: (r.date, r.id))
            done = [r for r in done if r.date >= act.date]
            late = (as_of - decision.due).days if decision.due and not done and as_of > decision.due else 0
            status = DECISION_DONE if done else DECISION_OVERDUE if late else DECISION_OPEN
            out.append(DecisionState(act, decision, status, tuple(done), late))
    return out


def open_decisions(zone: Zone, as_of: dt.date) -> list[DecisionState]:
    """Decisions still open on `as_of` (办理中 or 逾期), the most overdue first, then by due date."""
    pending = [d for d in decision_states(zone, as_of) if d.status != DECISION_DONE]
    return sorted(pending, key=lambda d: (-d.days_overdue, d.decision.due or dt.date.max, d.key))


@dataclass(frozen=True)
class OpenItems:
    """What a report of a period says is still open at its end: decisions (by owner) and needs no one has met."""

    as_of: dt.date
    decisions: tuple[DecisionState, ...]
    overdue: tuple[DecisionState, ...]
    needs: tuple[NeedState, ...]


def open_items(zone: Zone, end: dt.date) -> OpenItems:
    """Open and overdue decisions and open needs as of `end` (a report's period end): for 存在的问题 and 下步打算."""
    pending = open_decisions(zone, end)
    needs = tuple(s for s in need_states(zone, end) if s.is_open)
    return OpenItems(end, tuple(pending), tuple(d for d in pending if d.status == DECISION_OVERDUE), needs)
