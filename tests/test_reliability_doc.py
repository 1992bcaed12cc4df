"""docs/reliability.md tells the truth: every test it cites exists (the citation rules: tests/doc_citations.py)."""

from __future__ import annotations

from doc_citations import cited, missing


def test_every_test_the_reliability_table_cites_exists() -> None:
    refs = cited("reliability.md")
    assert len(refs) > 100 and not missing(refs), missing(refs)
