"""The README and the manual tell the truth: the README's first two commands, the code table in docs/check.md equal to
the checker's CODES, the record examples in docs/records.md valid, every relative link in README.md and docs/ alive."""

from __future__ import annotations

import re

from conftest import ROOT

from djxz.checks import CODES

README = (ROOT / "README.md").read_text(encoding="utf-8")
CHECK_DOC = (ROOT / "docs/check.md").read_text(encoding="utf-8")
RECORDS_DOC = (ROOT / "docs/records.md").read_text(encoding="utf-8")


def expected_table() -> str:
    rows = ["| 代码 | 含义 |", "|---|---|"] + [f"| {code} | {text} |" for code, text in CODES.items()]
    return "\n".join(rows)


def test_readme_code_table_equals_the_checker() -> None:
    assert expected_table() in CHECK_DOC, "docs/check.md 的错误代码表与 djxz.checks.CODES 不一致，应为：\n" + expected_table()


def test_readme_starts_with_exactly_two_commands() -> None:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block and README.index(block.group(0)) < README.index("## ")
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].startswith('pip install -e ".[test]" && djxz ')
    assert commands[1] == "pytest"


def test_readme_yaml_examples_are_valid_records() -> None:
    """Each file-kind example in docs/records.md passes the schema, so the documentation cannot drift from the checker."""
    from djxz.load.loader import kind_of_path, parse_record

    examples = re.findall(r"`data/([^`]+\.yaml)`[^\n]*\n\n```yaml\n(.*?)```", RECORDS_DOC, re.S)
    kinds = {kind_of_path(rel) for rel, _ in examples}
    assert kinds == {"zone", "unit", "plan", "activity", "document"}
    for rel, text in examples:
        record, problems = parse_record(text.encode("utf-8"), rel, kind_of_path(rel))
        assert problems == [] and record is not None, (rel, problems)


def test_readme_is_short_and_the_manual_has_its_pages() -> None:
    """The README is a front page (the two commands, a tour, links); the manual lives in docs/, a page a topic."""
    assert len(README.splitlines()) <= 200
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert {"architecture.md", "records.md", "check.md", "brief.md", "status.md", "reliability.md"} <= pages
    for page in pages:
        assert f"docs/{page}" in README, f"README 的手册目录缺少 docs/{page}"


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_every_relative_link_in_the_readme_and_the_manual_leads_to_a_file() -> None:
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for doc in documents:
        text = doc.read_text(encoding="utf-8")
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # links inside code are examples, not links
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:|#", target):
                continue
            path = (doc.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                broken.append(f"{doc.relative_to(ROOT)} → {target}")
    assert not broken, broken


def test_the_link_check_sees_a_broken_link(tmp_path) -> None:
    """The link pattern finds links, so the test above can fail."""
    assert LINK.findall("见 [手册](docs/nowhere.md) 和 ![图](a.png)") == ["docs/nowhere.md", "a.png"]
