"""Use case: load a zone and run every check. Returns results; prints nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from djxz.model import ERROR, Diagnostic, Zone, count_by_severity, sorted_diagnostics


@dataclass(frozen=True)
class CheckResult:
    zone: Zone
    diagnostics: list[Diagnostic]

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


def check_zone(root: Path, today: dt.date, strict: bool = False) -> CheckResult:
    from djxz.checks import CheckContext, run_checks
    from djxz.load.loader import load_zone

    zone, diagnostics = load_zone(root)
    diagnostics += run_checks(zone, CheckContext(today=today, strict=strict))
    if not strict:
        diagnostics = [d for d in diagnostics if not d.code.startswith("DJX2")]
    return CheckResult(zone, sorted_diagnostics(diagnostics))


def load_valid_zone(root: Path, today: dt.date) -> Zone:
    """The zone for a command that builds on it: refuses (DataError, exit 1) when the zone has errors."""
    from djxz.errors import DataError

    result = check_zone(root, today)
    if result.errors:
        first = next(d for d in result.diagnostics if d.severity == ERROR)
        raise DataError(
            f"协作区数据有 {result.errors} 个错误，请先运行 djxz check 修正。第一个错误：{first.src}: {first.message}",
        )
    return result.zone

