"""The README tells the truth: its first two commands, and a code table equal to the checker's CODES."""

from __future__ import annotations

import re

from conftest import ROOT

from djxz.checks import CODES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def expected_table() -> str:
    rows = ["| 代码 | 含义 |", "|---|---|"] + [f"| {code} | {text} |" for code, text in CODES.items()]
    return "\n".join(rows)


def test_readme_code_table_equals_the_checker() -> None:
    assert expected_table() in README, "README 的错误代码表与 djxz.checks.CODES 不一致，应为：\n" + expected_table()


def test_readme_starts_with_exactly_two_commands() -> None:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block and README.index(block.group(0)) < README.index("## ")
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].startswith('pip install -e ".[test]" && djxz ')
    assert commands[1] == "pytest"


def test_readme_yaml_examples_are_valid_records() -> None:
    """Each file-kind example in the README passes the schema, so the documentation cannot drift from the checker."""
    from djxz.load.loader import kind_of_path, parse_record

    examples = re.findall(r"`data/([^`]+\.yaml)`[^\n]*\n\n```yaml\n(.*?)```", README, re.S)
    kinds = {kind_of_path(rel) for rel, _ in examples}
    assert kinds == {"zone", "unit", "plan", "activity", "document"}
    for rel, text in examples:
        record, problems = parse_record(text.encode("utf-8"), rel, kind_of_path(rel))
        assert problems == [] and record is not None, (rel, problems)
