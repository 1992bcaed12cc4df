"""The tests a page of docs/ cites, and which of them do not exist: docs/reliability.md and docs/security.md each
prove their claims by naming tests, and their tests hold those names to the collected tests.

A citation is `test_file.py::test_name` with an optional `[case]`; a bare `[case]` (or `…[case]`) means a case of the
last test cited in the same table; `…` in a case means any case starting so.
"""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

FULL = re.compile(r"`(test_\w+\.py)::(\w+)(\[[^\]`]+\])?`")
SHORT = re.compile(r"`…?(\[[^\]`]+\])`")


def cited(page: str) -> set[str]:
    """Every test the page cites, as pytest node ids under tests/."""
    out: set[str] = set()
    last = None
    for row in (ROOT / "docs" / page).read_text(encoding="utf-8").splitlines():
        if not row.startswith("|"):
            last = None  # a shorthand refers back within one table only
        for m in re.finditer(f"{FULL.pattern}|{SHORT.pattern}", row):
            if m.group(1):
                last = f"tests/{m.group(1)}::{m.group(2)}"
                out.add(last + (m.group(3) or ""))
            elif last is not None:
                out.add(last + m.group(4))
    return out


def missing(refs: set[str]) -> list[str]:
    """The citations no collected test answers."""
    files = sorted({r.split("::")[0] for r in refs})
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-o", "addopts=", "-q", "-p", "no:cacheprovider",
                           *files], cwd=ROOT, capture_output=True, text=True)
    collected = set(proc.stdout.split())
    names = {c.split("[")[0] for c in collected}

    def exists(ref: str) -> bool:
        if "…" in ref:  # `[before-rename-…]`, `[…]`: every case of the test, or those starting so
            return any(c.startswith(ref.split("…")[0]) for c in collected)
        return ref in collected or ref in names

    return sorted(r for r in refs if not exists(r))
