"""docs/reliability.md tells the truth: every test it cites exists (a bare `[id]` means the last test cited in the same
table; `[…]` any of its cases)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

DOC = (ROOT / "docs/reliability.md").read_text(encoding="utf-8")
FULL = re.compile(r"`(test_\w+\.py)::(\w+)(\[[^\]`]+\])?`")
SHORT = re.compile(r"`…?(\[[^\]`]+\])`")


def cited() -> set[str]:
    out: set[str] = set()
    last = None
    for row in DOC.splitlines():
        if not row.startswith("|"):
            last = None  # a shorthand refers back within one table only
            continue
        for m in re.finditer(f"{FULL.pattern}|{SHORT.pattern}", row):
            if m.group(1):
                last = f"tests/{m.group(1)}::{m.group(2)}"
                out.add(last + (m.group(3) or ""))
            elif last is not None:
                out.add(last + m.group(4))
    return out


def test_every_test_the_reliability_table_cites_exists() -> None:
    refs = cited()
    files = sorted({r.split("::")[0] for r in refs})
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-o", "addopts=", "-q", "-p", "no:cacheprovider", *files],
                          cwd=ROOT, capture_output=True, text=True)
    collected = set(proc.stdout.split())
    names = {c.split("[")[0] for c in collected}
    def exists(ref: str) -> bool:
        if "…" in ref:  # `[before-rename-…]`, `[…]`: every case of the test, or those starting so
            return any(c.startswith(ref.split("…")[0]) for c in collected)
        return ref in collected or ref in names

    missing = sorted(r for r in refs if not exists(r))
    assert len(refs) > 100 and not missing, missing
