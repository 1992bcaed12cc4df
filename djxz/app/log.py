"""Use case: the history of one record: every commit that touched its file, who made it, when, and which fields changed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from djxz import vcs
from djxz.app.diff import FieldChange, compare_records
from djxz.errors import UserError
from djxz.load.loader import kind_of_path, load_zone, parse_record, read_bytes, zone_files
from djxz.load.schema import FILE_SPECS

ADDED, CHANGED, REMOVED, UNREADABLE = "新增", "修改", "删除", "无法读取"


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: str
    email: str
    date: str
    subject: str
    action: str
    path: str
    old_path: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class History:
    path: str
    entries: tuple[LogEntry, ...]


def resolve_record_path(root: Path, target: str, cwd: Path | None = None) -> str:
    """A record's file, relative to the zone directory, from a path (to the cwd or the zone) or a record id."""
    cwd = cwd or Path.cwd()
    root = root.resolve()
    if target.endswith(".yaml") or "/" in target or os.sep in target:
        candidates = []
        for base in (cwd, root):
            full = Path(os.path.normpath(base / target))
            try:
                rel = full.relative_to(root).as_posix()
            except ValueError:
                continue
            if kind_of_path(rel) is not None:
                candidates.append((not full.exists(), rel))
        if not candidates:
            raise UserError(f"“{target}”不是协作区 {root} 的记录文件（应在 units/、plans/、activities/<年份>/、documents/<年份>/ 下，或是 zone.yaml）")
        return min(candidates)[1]
    if target == "zone":
        return "zone.yaml"
    listing = zone_files(root)
    named = [zf for zf in listing[0] if zf.kind != "zone" and zf.rel.rpartition("/")[2] == f"{target}.yaml"]
    if len(named) == 1:  # a record's file is named by its id (DJX017): read that one file to be sure
        data, _problem = read_bytes(named[0], root)
        record = parse_record(data, named[0].rel, named[0].kind)[0] if data is not None else None
        if target in (getattr(record, "id", None), str(getattr(record, "year", ""))):
            return named[0].rel
    zone, _ = load_zone(root, listing=listing, fast=True)  # a zone with misnamed files: look for the id in every record
    found = zone.units.get(target) or zone.activity(target)
    if found is None:
        found = next((d for d in zone.documents if d.id == target), None)
    if found is None and re.fullmatch(r"[0-9]{1,4}", target):
        found = zone.plans.get(int(target))
    if found is None:
        raise UserError(f"找不到编号为“{target}”的记录：请写单位、活动、文件的编号，计划的年度，或记录文件的路径（已删除的记录请写路径）")
    return found.src.path


def record_history(root: Path, target: str, cwd: Path | None = None) -> History:
    """Newest first: one entry per commit that touched the record's file, with its field-level changes."""
    rel = resolve_record_path(root, target, cwd)
    repo = vcs.repo_root(root)
    prefix = vcs.relative_to_repo(repo, root)
    repo_path = f"{prefix}/{rel}" if prefix else rel
    commits = vcs.path_log(repo, repo_path)
    names = []
    for c in commits:
        names += [f"{c.commit}:{c.path}", f"{c.commit}^:{c.old_path}"]
    blobs = vcs.read_blobs(repo, names)
    start = f"{prefix}/" if prefix else ""

    def parsed(name: str, path: str):
        data = blobs.get(name)
        if data is None:
            return None, False
        zone_rel = path[len(start):] if path.startswith(start) else path
        kind = kind_of_path(zone_rel) or kind_of_path(rel)
        if kind is None:
            return None, True
        record, _ = parse_record(data, zone_rel, kind)
        return record, True

    entries = []
    for c in commits:
        new, new_exists = parsed(f"{c.commit}:{c.path}", c.path)
        old, old_exists = parsed(f"{c.commit}^:{c.old_path}", c.old_path)
        changes: tuple[FieldChange, ...] = ()
        if not new_exists:
            action = REMOVED
        elif not old_exists:
            action = ADDED
        elif new is None or old is None:
            action = UNREADABLE if new is None else CHANGED
        else:
            action = CHANGED
            kind = kind_of_path(rel)
            changes = tuple(compare_records(old, new, FILE_SPECS[kind])) if kind else ()
        entries.append(LogEntry(c.commit, c.author, c.email, c.date, c.subject, action,
                                c.path[len(start):] if c.path.startswith(start) else c.path,
                                c.old_path[len(start):] if c.old_path.startswith(start) else c.old_path, changes))
    return History(rel, tuple(entries))
