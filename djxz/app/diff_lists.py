"""What a change means for the three lists and 督办: new needs and projects, claims, solved needs, closed decisions.

Compares the derived state (djxz.domain.lists) of two zones, so a reviewer reads "需求 X 由项目 Y 认领" rather than
"project Y: need changed from (none) to X". Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from djxz.domain.lists import CLAIMED, DECISION_DONE, SOLVED, WITHDRAWN, decision_states, need_states
from djxz.model import Source, Zone

NEW_NEED, NEW_PROJECT, CLAIM, SOLVE, WITHDRAW, NEW_DECISION, CLOSE = (
    "need-added", "project-added", "need-claimed", "need-solved", "need-withdrawn", "decision-added", "decision-closed")
NOTE_TITLES = {
    NEW_NEED: "新增需求", NEW_PROJECT: "新增项目", CLAIM: "需求被认领", SOLVE: "需求已解决", WITHDRAW: "需求撤回",
    NEW_DECISION: "新增督办事项", CLOSE: "督办事项办结",
}
# Every resolution counts, whatever its date: the diff compares what the records say, not what is due today.
_END = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class ListNote:
    """One sentence for the reviewer; `code` is stable (JSON), the message is Chinese."""

    code: str
    message: str
    src: Source | None = None


def explain_lists(old: Zone, new: Zone) -> tuple[ListNote, ...]:
    return tuple(_needs_and_projects(old, new)) + tuple(_decisions(old, new))


def _needs_and_projects(old: Zone, new: Zone) -> Iterator[ListNote]:
    before = {s.need.id: s for s in need_states(old)}
    old_projects = {p.id for p in old.projects}
    for state in need_states(new):
        need, was = state.need, before.get(state.need.id)
        asker = new.unit_name(need.unit, short=True)
        if was is None:
            yield ListNote(NEW_NEED, f"{asker}提出需求“{need.title}”（{need.kind}）", need.src)
        if state.status == WITHDRAWN and (was is None or was.status != WITHDRAWN):
            if was is not None:
                yield ListNote(WITHDRAW, f"{asker}撤回需求“{need.title}”", need.at("status"))
            continue
        claimed_before = was is not None and was.status in (CLAIMED, SOLVED)
        if state.status in (CLAIMED, SOLVED) and not claimed_before:
            project = state.projects[0]
            yield ListNote(CLAIM, f"需求“{need.title}”由{new.unit_name(project.lead, short=True)}牵头的项目“{project.title}”认领",
                           project.at("need"))
        if state.status == SOLVED and (was is None or was.status != SOLVED):
            yield ListNote(SOLVE, f"需求“{need.title}”已解决", state.projects[-1].src if state.projects else need.src)
    for project in new.projects:
        if project.id not in old_projects:
            yield ListNote(NEW_PROJECT, f"“{project.title}”（{project.category}，{new.unit_name(project.lead, short=True)}牵头，"
                           f"期限 {project.due}）", project.src)


def _decisions(old: Zone, new: Zone) -> Iterator[ListNote]:
    before = {d.key: d for d in decision_states(old, _END)}
    for state in decision_states(new, _END):
        was = before.get(state.key)
        text = state.decision.text.strip()
        owner = new.unit_name(state.decision.owner, short=True)
        if was is None:
            yield ListNote(NEW_DECISION, f"“{state.activity.title}”决定：{text}（{owner}负责，期限 {state.decision.due}）",
                           state.decision.src)
        if state.status == DECISION_DONE and (was is None or was.status != DECISION_DONE):
            first = state.resolutions[0]
            evidence = f"：{' '.join(first.evidence.split())}" if first.evidence else ""
            yield ListNote(CLOSE, f"督办事项“{text}”（{owner}）由 {first.id} 办结{evidence}", Source(first.path, first.line))
