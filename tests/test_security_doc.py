"""docs/security.md tells the truth: every test it cites exists, and every security test is cited (the citation rules:
tests/doc_citations.py)."""

from __future__ import annotations

import re

from conftest import ROOT
from doc_citations import cited, missing


def test_every_test_the_security_page_cites_exists() -> None:
    refs = cited("security.md")
    assert len(refs) > 40 and not missing(refs), missing(refs)


def test_every_security_test_is_cited() -> None:
    """The other direction: a new test of an attack class belongs on the page."""
    refs = {r.split("[")[0] for r in cited("security.md")}
    for name in ("test_security_writes.py", "test_security_escape.py", "test_security_input.py"):
        tests = re.findall(r"^def (test_\w+)", (ROOT / "tests" / name).read_text(encoding="utf-8"), re.M)
        assert sorted(t for t in tests if f"tests/{name}::{t}" not in refs) == [], name
