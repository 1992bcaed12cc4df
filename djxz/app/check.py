"""Use case: load a zone and run every check. Returns results; prints nothing."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from djxz import vcs
from djxz.checks import CheckContext, run_checks
from djxz.errors import DataError
from djxz.load import cache
from djxz.load.loader import Loaded, load_zone, loaded_from_bytes, since_year, zone_files
from djxz.load.revision import load_version, resolve_versions
from djxz.model import ERROR, Diagnostic, Source, Zone, count_by_severity, sorted_diagnostics


@dataclass(frozen=True)
class CheckResult:
    zone: Zone | None  # None when the whole result came from the cache
    diagnostics: list[Diagnostic]
    files: int = 0

    @property
    def errors(self) -> int:
        return count_by_severity(self.diagnostics)[0]

    @property
    def warnings(self) -> int:
        return count_by_severity(self.diagnostics)[1]

    def exit_code(self, strict: bool) -> int:
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def check_zone(root: Path, today: dt.date, strict: bool = False, use_cache: bool = True, need_zone: bool = False,
               since: int | None = None) -> CheckResult:
    """Every problem of the zone, sorted. An unchanged zone checked on the same day is answered from the cache.

    With `need_zone` the records are loaded too, so a command that builds on the zone skips the checks when the zone is
    known to be as it was; `since` then leaves out the activities and documents of the years before it (a report
    reads only the years it shows). A full check always reads everything.
    """
    files, walk_notes = zone_files(root)
    key = None
    if use_cache:
        key = "|".join((cache.zone_signature(files), cache.code_fingerprint(folders=("checks", "domain")), str(today), str(strict)))
        hit = _from_data(cache.load_result(root, "check", key))
        if hit is not None and _attachments_unchanged(root, hit["attachments"]):
            zone = None
            if need_zone:
                listing = (files, []) if since is None else since_year((files, []), since)
                zone = load_zone(root, listing=listing, fast=True)[0]
            return CheckResult(zone, sorted_diagnostics(walk_notes + hit["diagnostics"]), len(files))
    loaded = Loaded(root, files, [])
    diagnostics = diagnose_loaded(loaded, today, strict)
    zone = loaded.zone
    if key is not None:
        attachments = sorted({rel for act in zone.activities for rel in act.attachments})
        state = [(rel, _exists(root, rel)) for rel in attachments]
        cache.save_result(root, "check", key, _to_data(diagnostics, state))
    return CheckResult(zone, sorted_diagnostics(walk_notes + diagnostics), len(files))


def diagnose(zone: Zone, diagnostics: list[Diagnostic], today: dt.date, strict: bool = False) -> list[Diagnostic]:
    """Load diagnostics plus every check's, sorted, for a zone loaded elsewhere (e.g. from git objects)."""
    diagnostics = diagnostics + run_checks(zone, CheckContext(today=today, strict=strict))
    if not strict:
        diagnostics = [d for d in diagnostics if not d.code.startswith("DJX2")]
    return sorted_diagnostics(diagnostics)


def diagnose_loaded(loaded: Loaded, today: dt.date, strict: bool = False) -> list[Diagnostic]:
    """diagnose() for a zone whose clean files were read without positions: the files the findings cite are read
    again with positions and the checks run again, until every message and position is exact."""
    diagnostics = diagnose(loaded.zone, loaded.diagnostics, today, strict)
    cited = loaded.cited(diagnostics)
    while cited:
        diagnostics = diagnose(*loaded.with_positions(cited), today, strict)
        cited = loaded.cited(diagnostics)
    return diagnostics


def diagnose_blobs(root: Path, blobs: dict[str, bytes], today: dt.date, strict: bool = False) -> tuple[Zone, list[Diagnostic]]:
    """The zone made of these file contents (by path relative to the zone), and every problem of it, exact."""
    loaded = loaded_from_bytes(root, blobs)
    diagnostics = diagnose_loaded(loaded, today, strict)
    return loaded.zone, diagnostics


@dataclass(frozen=True)
class ChangedCheckResult(CheckResult):
    """`check --changed`: `diagnostics` are the problems the change is answerable for; `total` counts all of them."""

    base: str = ""
    base_label: str = ""
    touched: tuple[str, ...] = ()
    total: int = 0


def introduced(now: list[Diagnostic], before: list[Diagnostic], touched: set[str]) -> list[Diagnostic]:
    """Problems in the files a change touched, and problems elsewhere it caused: not there before (code, message, path)."""
    def key(d: Diagnostic) -> tuple:
        return (d.code, d.message, d.src.path if d.src else None)

    old = {key(d) for d in before}
    return [d for d in now if (d.src is not None and d.src.path in touched) or key(d) not in old]


def check_changed(root: Path, today: dt.date, strict: bool = False, base: str | None = None) -> ChangedCheckResult:
    """Check the whole zone; report what the change since `base` (default: the merge base with main) is answerable for."""
    repo, prefix, base_version, _ = resolve_versions(root, base, None)
    current = check_zone(root, today, strict)
    before = diagnose_loaded(load_version(root, repo, prefix, base_version), today, strict)
    start = f"{prefix}/" if prefix else ""
    touched = tuple(p[len(start):] for p in vcs.changed_paths(repo, base_version.rev) if p.startswith(start))
    reported = introduced(current.diagnostics, before, set(touched))
    return ChangedCheckResult(current.zone, reported, current.files, base_version.rev, base_version.label, touched,
                              len(current.diagnostics))


def _to_data(diagnostics: list[Diagnostic], attachments: list[tuple[str, bool]]) -> dict:
    """A check result as plain JSON data: the cache holds data, never objects."""
    return {
        "diagnostics": [[*((d.src.path, d.src.line, d.src.col) if d.src else (None, 0, 0)), d.code, d.severity,
                         d.message, d.hint] for d in diagnostics],
        "attachments": [[rel, existed] for rel, existed in attachments],
    }


def _from_data(value) -> dict | None:
    """The result stored by _to_data, or None when the entry does not have its shape (then check afresh)."""
    try:
        diagnostics = []
        for path, line, col, code, severity, message, hint in value["diagnostics"]:
            if not (all(isinstance(x, str) for x in (code, severity, message, hint)) and type(line) is int
                    and type(col) is int and (path is None or isinstance(path, str))):
                return None
            diagnostics.append(Diagnostic(None if path is None else Source(path, line, col), code, severity, message, hint))
        attachments = [(rel, existed) for rel, existed in value["attachments"]
                       if isinstance(rel, str) and isinstance(existed, bool)]
        if len(attachments) != len(value["attachments"]):
            return None
    except (TypeError, ValueError, KeyError):
        return None
    return {"diagnostics": diagnostics, "attachments": attachments}


def _exists(root: Path, rel: str) -> bool:
    return os.path.exists(os.path.normpath(os.path.join(root, rel)))


def _attachments_unchanged(root: Path, state: list[tuple[str, bool]]) -> bool:
    """Attachments are not YAML, so their presence is checked again on every cached run."""
    return all(_exists(root, rel) == existed for rel, existed in state)


def load_valid_zone(root: Path, today: dt.date, since: int | None = None) -> Zone:
    """The zone for a command that builds on it: refuses (DataError, exit 1) when the zone has errors.

    `since`: the activities and documents of earlier years may be left out (see check_zone).
    """
    result = check_zone(root, today, need_zone=True, since=since)
    errors = [d for d in result.diagnostics if d.severity == ERROR]
    if errors:
        first = errors[0]
        raise DataError(
            f"协作区数据有 {len(errors)} 个错误，请先运行 djxz check 修正。第一个错误：{first.src}: {first.message}",
        )
    return result.zone
