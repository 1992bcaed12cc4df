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
