"""docs/security.md tells the truth: every test it cites exists (same rules as docs/reliability.md: a bare `[id]` means
the last test cited in the same table row or table; `…[id]` likewise)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

DOC = (ROOT / "docs/security.md").read_text(encoding="utf-8")
FULL = re.compile(r"`(test_\w+\.py)::(\w+)(\[[^\]`]+\])?`")
SHORT = re.compile(r"`…?(\[[^\]`]+\])`")


def cited() -> set[str]:
    out: set[str] = set()
    last = None
    for row in DOC.splitlines():
        if not row.startswith("|"):
            last = None
        for m in re.finditer(f"{FULL.pattern}|{SHORT.pattern}", row):
            if m.group(1):
                last = f"tests/{m.group(1)}::{m.group(2)}"
                out.add(last + (m.group(3) or ""))
            elif last is not None:
                out.add(last + m.group(4))
    return out


def test_every_test_the_security_page_cites_exists() -> None:
    refs = cited()
    files = sorted({r.split("::")[0] for r in refs})
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-o", "addopts=", "-q", "-p", "no:cacheprovider", *files],
                          cwd=ROOT, capture_output=True, text=True)
    collected = set(proc.stdout.split())
    names = {c.split("[")[0] for c in collected}
    missing = sorted(r for r in refs if r not in collected and r not in names)
    assert len(refs) > 40 and not missing, missing


def test_every_security_test_is_cited() -> None:
    """The other direction: a new test of an attack class belongs on the page."""
    refs = {r.split("[")[0] for r in cited()}
    for name in ("test_security_writes.py", "test_security_escape.py", "test_security_input.py"):
        tests = re.findall(r"^def (test_\w+)", (ROOT / "tests" / name).read_text(encoding="utf-8"), re.M)
        assert sorted(t for t in tests if f"tests/{name}::{t}" not in refs) == [], name
