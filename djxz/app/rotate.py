"""Use case: the year-start turnover. Record the year's duty unit, open the year's plan, optionally commit on a branch.

Refuses (nothing written) when the zone has check errors or a file it would write has uncommitted changes. Run twice,
the second run finds the turn recorded and the plan present and changes nothing. Returns results; prints nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from djxz import vcs
from djxz.app.check import load_valid_zone
from djxz.domain.duties import effective_rules, rule_problems
from djxz.domain.periods import Period
from djxz.domain.rotation import RotationSchedule, Slot, schedule_for
from djxz.domain.workdays import WorkdayCalendar
from djxz.domain.yearplan import DraftItem, draft_items
from djxz.edit.rotation_edit import add_turn, new_plan_text
from djxz.errors import DataError, RepoError
from djxz.fsio import write_files, writer_lock
from djxz.load.loader import parse_record
from djxz.model import Rotation, Zone

ZONE_FILE = "zone.yaml"


@dataclass(frozen=True)
class FileChange:
    """One file rotate writes: its path relative to the zone directory, whether it is new, and its new text."""

    path: str
    created: bool
    text: str
    summary: str


@dataclass(frozen=True)
class Passed:
    """A unit of the order that was passed over on the way to this year's unit, and why."""

    unit: str
    reason: str


@dataclass
class RotateResult:
    zone: Zone
    year: int
    rotation: Rotation
    slot: Slot
    previous: Slot | None
    passed: list[Passed]
    turn_was_recorded: bool
    plan_existed: bool
    items: list[DraftItem] = field(default_factory=list)
    changes: list[FileChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    branch: str | None = None
    commit: str | None = None
    repo: Path | None = None
    pull_request: str | None = None

    @property
    def already_done(self) -> bool:
        return not self.changes

    def to_json(self, root: Path) -> dict:
        """The stable shape of `djxz rotate --format json` (documented in README)."""
        unit = self.zone.units.get(self.slot.unit or "")
        return {
            "schema_version": 1,
            "year": self.year,
            "rotation": self.rotation.name,
            "duty_unit": {"id": self.slot.unit, "name": unit.name if unit else self.slot.unit},
            "how": "recorded" if self.turn_was_recorded else self.slot.source,
            "previous": {"period": str(self.previous.period), "unit": self.previous.unit} if self.previous else None,
            "passed_over": [{"unit": p.unit, "reason": p.reason} for p in self.passed],
            "already_done": self.already_done,
            "dry_run": self.dry_run,
            "written": self.written,
            "changes": [{"path": _display(root, c.path), "action": "created" if c.created else "modified",
                         "summary": c.summary} for c in self.changes],
            "plan_items": [{"id": i.id, "title": i.title, "kind": i.kind, "date": i.date.isoformat(), "host": i.host,
                            "deadline": i.deadline.isoformat() if i.deadline else None} for i in self.items],
            "warnings": list(self.warnings),
            "branch": self.branch,
            "commit": self.commit,
            "pull_request": self.pull_request,
        }


def _display(root: Path, rel: str) -> str:
    return (Path(root) / rel).as_posix()


def rotate(root: Path, today: dt.date, year: int | None = None, dry_run: bool = False, commit: bool = False,
           branch: str | None = None, force: bool = False) -> RotateResult:
    root = Path(root)
    year = year if year is not None else today.year
    zone = load_valid_zone(root, today)
    rotation, schedule = _duty_rotation(zone)
    period = Period("year", year)
    slot = schedule.slot(period)
    if slot is None or slot.unit is None:
        raise DataError(f"无法确定 {year} 年的轮值单位：轮值从 {schedule.first} 年开始，或当年没有可以轮值的成员单位")
    previous = schedule.slot(period.next(-1))
    result = RotateResult(
        zone=zone, year=year, rotation=rotation, slot=slot, previous=previous,
        passed=_passed_over(zone, schedule, previous, slot),
        turn_was_recorded=slot.recorded, plan_existed=(root / "plans" / f"{year}.yaml").exists(),
        dry_run=dry_run,
    )
    plan = zone.plans.get(year)
    if plan is not None and plan.duty_unit != slot.unit:
        raise DataError(f"{plan.src.path} 的轮值单位是“{plan.duty_unit}”，按轮值 {year} 年应为“{slot.unit}”：请先核对计划或轮值记录")
    _plan_changes(root, zone, result)
    if result.already_done:
        return result
    repo = _refuse_if_dirty(root, result.changes, need_repo=commit)
    result.repo = repo
    if dry_run:
        return result
    with writer_lock(root):  # one writer at a time: a rotate and an import never interleave
        if not commit:
            _write(root, result.changes)
            result.written = True
            return result
        return _write_and_commit(root, repo, result, branch, force)


def _write_and_commit(root: Path, repo: Path, result: RotateResult, branch: str | None, force: bool) -> RotateResult:
    year = result.year
    busy = vcs.busy_reason(repo)
    if busy:
        raise RepoError(f"{busy}。没有修改任何文件，也没有新建分支")
    name = branch or f"rotate/{year}"
    start = vcs.current_branch(repo)
    exists = vcs.branch_exists(repo, name)
    if exists and not force:
        raise RepoError(f"分支 {name} 已经存在，djxz 不会在已有分支上追加提交：请先合并或删除它，用 --branch 换一个分支名，"
                        "或加 --force 在这个分支上提交")
    paths = [root / c.path for c in result.changes]
    before = {p: (p.read_bytes() if p.exists() else None) for p in paths}
    new_folders = sorted({d for p in paths for d in p.parents if not d.exists()}, key=lambda d: -len(d.parts))
    made_branch = False
    try:
        if start != name and exists:  # --force: commit on the branch that is there
            vcs.switch_branch(repo, name)
        elif start != name:
            vcs.create_branch(repo, name)
            made_branch = True
        result.branch = name
        _write(root, result.changes)
        result.written = True
        result.commit = vcs.commit_paths(repo, paths, commit_message(result))
    except BaseException:
        # The repository goes back to how it was: the files, the index, the branch checked out, no new branch.
        _undo(repo, before, new_folders, start if start != name else None, name if made_branch else None)
        result.written = False
        raise
    result.pull_request = pull_request_text(result, repo, root)
    return result


def _undo(repo: Path, before: dict[Path, bytes | None], new_folders: list[Path], back_to: str | None,
          made_branch: str | None) -> None:
    """Best effort: each step is tried even when one before it failed; the error that stopped rotate is the one shown."""
    steps = [lambda: vcs.unstage(repo, list(before))]
    steps.append(lambda: write_files({p: old for p, old in before.items() if old is not None and p.exists() and p.read_bytes() != old}))
    steps += [lambda p=p: p.unlink() for p, old in before.items() if old is None and p.exists()]
    steps += [lambda d=d: d.rmdir() for d in new_folders]  # deepest first; a folder that is not empty stays
    if back_to is not None:
        steps.append(lambda: vcs.switch_branch(repo, back_to))
    if made_branch is not None:
        steps.append(lambda: vcs.delete_branch(repo, made_branch))
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001
            pass


def _duty_rotation(zone: Zone) -> tuple[Rotation, RotationSchedule]:
    if not zone.info.rotations:
        raise DataError("zone.yaml 中没有轮值安排（rotations），无法交接轮值")
    rotation = zone.info.rotations[0]
    if rotation.period != "year":
        raise DataError(f"第一个轮值安排“{rotation.name}”不是按年度轮值（period: {rotation.period}），djxz rotate 只交接年度轮值单位")
    return rotation, schedule_for(zone, rotation)


def _passed_over(zone: Zone, schedule: RotationSchedule, previous: Slot | None, slot: Slot) -> list[Passed]:
    """Units between last year's and this year's in the order that did not serve, with the reason a reviewer needs."""
    order = schedule.order
    if slot.recorded or previous is None or previous.unit not in order or slot.unit not in order:
        return []
    if slot.override is not None and slot.override.kind in ("assign", "swap"):
        return []
    out = []
    i = (order.index(previous.unit) + 1) % len(order)
    while order[i] != slot.unit and order[i] != previous.unit:
        uid = order[i]
        unit = zone.units.get(uid)
        if slot.override is not None and slot.override.kind == "skip" and slot.override.unit == uid:
            reason = f"轮值调整：{slot.override.reason}"
        elif unit is None:
            reason = "单位不存在"
        elif unit.left and unit.left <= slot.end:
            reason = f"已于 {unit.left.isoformat()} 退出协作区"
        elif unit.joined and unit.joined > slot.start:
            reason = f"{unit.joined.isoformat()} 才加入协作区"
        elif not unit.is_member_unit:
            reason = "是共建单位，不参加轮值"
        else:
            reason = "本期不轮值"
        out.append(Passed(uid, reason))
        i = (i + 1) % len(order)
    return out


def _plan_changes(root: Path, zone: Zone, result: RotateResult) -> None:
    year, slot = result.year, result.slot
    name = zone.unit_name(slot.unit)
    if not result.turn_was_recorded:
        path = root / ZONE_FILE
        old = path.read_bytes().decode("utf-8")
        note = slot.note if slot.override is not None else None
        new = add_turn(old, result.rotation.name, str(year), slot.unit, note)
        if new != old:
            result.changes.append(FileChange(ZONE_FILE, False, new, f"轮值记录增加 {year} 年：{name}"))
    if not result.plan_existed:
        calendar = WorkdayCalendar(zone.holidays)
        rules = [r for r in effective_rules(zone) if not rule_problems(r, zone.info.established)]

        result.items = draft_items(zone, year, rules, calendar)
        result.warnings = calendar.warnings([year])
        comments = [f"{year}年度协作计划：djxz rotate 依据职责规则生成的草案，会议和截止日期已排在工作日。",
                    "请补充年度主题（theme）、目标任务（goals）和具体活动，日期可按实际调整。"]
        if result.warnings:
            comments.append(f"注意：{year} 年的节假日安排尚未收录，日期只避开了周末，请核对后再印发。")
        text = new_plan_text(year, slot.unit, result.items, comments)
        _must_read_back(text, f"plans/{year}.yaml")
        meetings = sum(1 for i in result.items if i.deadline is None)
        result.changes.append(FileChange(
            f"plans/{year}.yaml", True, text,
            f"新建 {year} 年度协作计划：{meetings} 次会议、{len(result.items) - meetings} 个截止日期，轮值单位 {name}"))


def _must_read_back(text: str, rel: str) -> None:
    record, diags = parse_record(text.encode("utf-8"), rel, "plan")
    if record is None or any(d.severity == "error" for d in diags):  # a bug of ours, never the user's data
        first = next((d for d in diags if d.severity == "error"), None)
        raise RuntimeError(f"generated {rel} does not load: {first}")


def _refuse_if_dirty(root: Path, changes: list[FileChange], need_repo: bool) -> Path | None:
    repo = vcs.find_repo(root)
    if repo is None:
        if need_repo:
            raise RepoError(f"协作区目录 {root} 不在 git 仓库中，无法 --commit；去掉 --commit 只写文件，或先用 git init 建立仓库")
        return None
    dirty = vcs.dirty_paths(repo, [root / c.path for c in changes])
    if dirty:
        raise RepoError(f"以下文件有未提交的修改，为免覆盖，没有写入任何内容：{'、'.join(dirty)}。请先提交或撤销这些修改再运行 djxz rotate")
    return repo


def _write(root: Path, changes: list[FileChange]) -> None:
    """zone.yaml and the new plan together: both written, or (disk full, Ctrl-C) neither."""
    write_files({root / change.path: change.text for change in changes}, root=root)


def commit_message(result: RotateResult) -> str:
    name = result.zone.unit_name(result.slot.unit)
    lines = [f"{result.year} 年轮值交接：{name}任轮值单位", ""]
    lines += [f"- {c.summary}" for c in result.changes]
    lines += ["", "由 djxz rotate 生成。"]
    return "\n".join(lines)


def pull_request_text(result: RotateResult, repo: Path, root: Path) -> str:
    """The pull-request description, Chinese Markdown, for the office to paste or a forge to read."""
    zone, year = result.zone, result.year
    name = zone.unit_name(result.slot.unit)
    lines = [f"## {year} 年轮值交接：{name}", ""]
    if result.turn_was_recorded:
        lines.append(f"- {year} 年的轮值单位已有记录：**{name}**。")
    else:
        how = {"anchor": "轮值起点（anchor）", "projected": "按轮值顺序推算"}.get(result.slot.source, "")
        if result.slot.override is not None:
            how = f"轮值调整（{result.slot.override.reason}）"
        prev = f"，接替 {result.previous.period.label}的{zone.unit_name(result.previous.unit)}" if result.previous else ""
        lines.append(f"- 轮值单位：**{name}**（`{result.slot.unit}`），依据：{how}{prev}。")
    for p in result.passed:
        lines.append(f"- 按顺序跳过：{zone.unit_name(p.unit)}（{p.reason}）。")
    if result.items:
        meetings = [i for i in result.items if i.deadline is None]
        deadlines = [i for i in result.items if i.deadline is not None]
        lines.append(f"- 新建 {year} 年度协作计划：{len(meetings)} 次会议、{len(deadlines)} 个截止日期，均排在工作日。")
    lines += ["", "### 修改的文件", ""]
    for c in result.changes:
        rel = (root / c.path).resolve().relative_to(repo).as_posix()
        lines.append(f"- `{rel}`：{c.summary}")
    if result.items:
        lines += ["", "### 计划中的会议和截止日期", "", "| 日期 | 事项 | 承办单位 |", "|---|---|---|"]
        for item in result.items:
            title = item.title + ("（截止）" if item.deadline else "")
            lines.append(f"| {item.date.isoformat()} | {title} | {zone.unit_name(item.host) if item.host else '—'} |")
    if result.warnings:
        lines += ["", "### 请注意", ""] + [f"- {w}" for w in result.warnings]
    lines += ["", "### 审核要点", "", f"- [ ] {year} 年轮值单位无误", "- [ ] 计划日期与单位实际安排不冲突",
              "- [ ] `djxz check` 通过"]
    return "\n".join(lines) + "\n"
