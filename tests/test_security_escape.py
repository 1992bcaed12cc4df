"""Record text reaches every output only through its escaper (djxz/escape.py): the attack classes of issue 15.

Each test writes hostile text into a record the way a pull request would (YAML escapes `\\e`, `\\x9b`, `\\u202e`, `\\n`
inside double quotes), runs the real command and reads its output back as the consumer would: GitHub's workflow-command
parser (one command a line), a terminal (no raw control characters), a Markdown table (its row count), a spreadsheet
(cell types via openpyxl) and a calendar (lines and folding via icalendar).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import MINI_ZONE, run_cli, write_zone
from gitrepo import commit_all, make_repo

from djxz import escape

# What a hostile record may hold: ESC sequences (title change, colours, OSC 8 links), a C1 CSI, bidi overrides.
ESC_TITLE = r"\e]0;pwned\a\e[31m红字\x9b2J\u202e反转\u2066"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _zone_with(tmp_path: Path, **changes: str) -> Path:
    files = dict(MINI_ZONE)
    files.update(changes)
    return write_zone(tmp_path / "zone", files)


ALPHA_HOSTILE = MINI_ZONE["units/alpha.yaml"].replace("name: 甲站党委", f'name: "甲站{ESC_TITLE}"').replace(
    "type: 站所", f'type: "站所{ESC_TITLE}"')


# -- pure functions ---------------------------------------------------------------------------------------------------

def test_github_escapes_follow_the_documented_rules() -> None:
    assert escape.gh_data("50%\r\n::error::x") == "50%25%0D%0A::error::x"
    assert escape.gh_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_terminal_shows_every_control_character_visibly() -> None:
    assert escape.terminal("a\x1b[31mb\x9bc\u202ed\x07\n") == "a\\e[31mb\\x9bc\\u202ed\\x07\\n"
    assert escape.terminal("一\n二\t三", keep_newlines=True) == "一\n二\t三"


def test_markdown_cell_and_inline() -> None:
    assert escape.md_cell("a | b\n| forged | row |") == "a \\| b \\| forged \\| row \\|"
    assert escape.md_inline("[点我](http://x) `代码` <b>") == "\\[点我\\](http://x) \\`代码\\` \\<b\\>"
    assert escape.md_inline("一行\n# 标题\n1. 列表") == "一行\n\\# 标题\n\\1. 列表"
    assert escape.md_code("a``b") == "```a``b```"


def test_xlsx_guard_covers_formula_prefixes() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1"):
        assert escape.xlsx_needs_guard(text), text
    assert not escape.xlsx_needs_guard("活动") and not escape.xlsx_needs_guard(5)


# -- check --format github: no forged annotation ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["x\n::notice::伪造的提示.yaml", "x,line=1,title=伪造::伪造.yaml", "x%0A::error::y.yaml"])
def test_a_file_name_cannot_forge_a_workflow_command(tmp_path: Path, name: str) -> None:
    root = _zone_with(tmp_path, **{f"units/{name}": MINI_ZONE["units/alpha.yaml"].replace("id: alpha", "id: alpha2")})
    code, out, err = run_cli("check", "--format", "github", "--zone", str(root), cwd=root)
    assert code == 1, err
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert commands and all(re.match(r"::(error|warning) file=[^,:\n]*(,line=[0-9]+,col=[0-9]+)?,title=DJX[0-9]+::", c)
                            for c in commands), out
    assert not any(line.startswith("::notice") or line.startswith("::error::") for line in out.splitlines()), out


# -- terminals ----------------------------------------------------------------------------------------------------------

def test_check_never_echoes_control_characters(tmp_path: Path) -> None:
    root = _zone_with(tmp_path, **{"units/alpha.yaml": ALPHA_HOSTILE})
    code, out, err = run_cli("check", "--zone", str(root))
    assert code == 1 and "DJX014" in out, out
    assert not RAW_CONTROLS.search(out + err), repr(out)
    assert "\\e]0;pwned" in out and "\\x9b" in out and "\\u202e" in out


def test_who_and_status_never_echo_control_characters(tmp_path: Path) -> None:
    alpha = MINI_ZONE["units/alpha.yaml"].replace("name: 甲站党委", f'name: "甲站{ESC_TITLE}"')
    root = _zone_with(tmp_path, **{"units/alpha.yaml": alpha})
    for args in (["who", "--date", "2023-06-01"], ["status", "--year", "2024"]):
        code, out, err = run_cli(*args, "--zone", str(root))
        assert code == 0, err
        assert not RAW_CONTROLS.search(out + err), (args, repr(out))


def test_diff_text_never_echoes_control_characters(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    act = repo / "data/activities/2024/2024-03-15-dangke.yaml"
    act.write_text(act.read_text(encoding="utf-8").replace("title: 联片党课", f'title: "联片党课{ESC_TITLE}"'), encoding="utf-8")
    commit_all(repo, "A hostile title")
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--zone", str(repo / "data"), cwd=repo)
    assert code == 0, err
    assert "联片党课" in out and not RAW_CONTROLS.search(out + err), repr(out)


# -- Markdown ---------------------------------------------------------------------------------------------------------

FORGED = r'"联片党课 | 伪造 |\n| 新增 | `evil` | 伪造的行 | `x` |\n<img src=x onerror=alert(1)> [点我](http://evil)"'


def test_diff_markdown_keeps_one_row_per_change(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    act = repo / "data/activities/2024/2024-04-01-forged.yaml"
    text = MINI_ZONE["activities/2024/2024-03-15-dangke.yaml"]
    text = text.replace("2024-03-15-dangke", "2024-04-01-forged").replace("2024-03-15", "2024-04-01")
    act.write_text(re.sub(r"(?m)^        ", "", text).replace("title: 联片党课", f"title: {FORGED}"), encoding="utf-8")
    commit_all(repo, "A forged row")
    code, out, err = run_cli("diff", "HEAD~1", "HEAD", "--format", "md", "--zone", str(repo / "data"), cwd=repo)
    assert code == 0, err
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == 3, out  # the header, its rule and the one added activity: no forged row
    assert "<img" not in out.replace("\\<img", "") and "](http" not in out.replace("\\](http", "")


def test_report_tables_keep_one_row_per_activity(tmp_path: Path) -> None:
    act = MINI_ZONE["activities/2024/2024-03-15-dangke.yaml"].replace(
        "title: 联片党课", 'title: "联片党课 | 伪造 | 9 | 9 | 9 |\\n| 伪造活动 | 1"')
    root = _zone_with(tmp_path, **{"activities/2024/2024-03-15-dangke.yaml": act})
    (root / "out").mkdir()
    code, _, err = run_cli("brief", "--annual", "--year", "2024", "--format", "md", "--no-charts", "--zone", str(root))
    assert code == 0, err
    text = next((root / "out").glob("*.md")).read_text(encoding="utf-8")
    assert "| 伪造活动 |" not in text and "\n| 伪造活动" not in text
    table = [line for line in text.splitlines() if line.startswith("| ") and "伪造" in line]
    # The activity's row in 附件1 and its bulletin duty's row in 附件2: seven cells each, the title inside one.
    assert len(table) == 2 and all(len(re.findall(r"(?<!\\)\|", row)) == 8 for row in table), table


# -- xlsx -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil.example/","点我")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-2+3"])
def test_export_writes_formula_like_text_as_text(tmp_path: Path, title: str) -> None:
    from openpyxl import load_workbook

    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    act = MINI_ZONE["activities/2024/2024-03-15-dangke.yaml"].replace("title: 联片党课", f'title: "{quoted}"')
    root = _zone_with(tmp_path, **{"activities/2024/2024-03-15-dangke.yaml": act})
    code, _, err = run_cli("export", "--year", "2024", "--out", str(tmp_path / "x.xlsx"), "--zone", str(root))
    assert code == 0, err
    book = load_workbook(tmp_path / "x.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == title]
    assert cells, "the title is exported"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert all(c.hyperlink is None for ws in book.worksheets for row in ws.iter_rows() for c in row)


# -- .ics -------------------------------------------------------------------------------------------------------------

def test_calendar_text_is_escaped_and_folded(tmp_path: Path) -> None:
    long_name = "甲站" + "很长的单位名称" * 12
    alpha = MINI_ZONE["units/alpha.yaml"].replace(
        "name: 甲站党委", f'name: "{long_name}\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:伪造;a,b\\e\\x01"')
    root = _zone_with(tmp_path, **{"units/alpha.yaml": alpha})
    code, out, err = run_cli("calendar", "--year", "2023", "--output", "-", "--zone", str(root))
    assert code == 0, err
    data = out.encode("utf-8")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == out.count("UID:")
    assert not any(line.startswith(b"SUMMARY:\xe4\xbc\xaa") for line in lines)  # no forged SUMMARY line
    assert b"\x1b" not in data and b"\x01" not in data
    from icalendar import Calendar

    summaries = [str(e.get("summary")) for e in Calendar.from_ical(data).walk("VEVENT")]
    assert any(s.startswith("轮值单位：" + long_name) and "\nEND:VEVENT\n" in s and "伪造;a,b" in s for s in summaries)


PRINTED = [("a.yaml:1:1: 错误[DJX101] 坏\x1b[31m红\u202e反", "red"), ("𠮷 [bold]not markup[/bold]", None), ("", "yellow")]


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("tab", [False, True])
def test_print_lines_writes_what_rich_would(terminal: bool, tab: bool) -> None:
    """check prints many lines straight to a pipe or file (a rich call per line cost a tenth of a large zone's check):
    the text must be what rich writes, control characters escaped the same way. On a terminal, and for a line with a
    tab (rich expands it by display width), rich itself writes."""
    from djxz.cli.output import console, print_lines

    lines = [(PRINTED[0][0] + "\t表", "red"), *PRINTED[1:]] if tab else PRINTED
    made, reference = console(), console()
    for con in (made, reference):
        con.file = io.StringIO()
        con._force_terminal = terminal
    straight = not terminal and not tab
    if straight:
        made.print = None  # the straight path must not call rich
    print_lines(made, lines)
    for text, style in lines:
        reference.print(text, style=style, markup=False)
    assert made.file.getvalue() == reference.file.getvalue()
    assert "\x1b[31m" not in made.file.getvalue() and "\\e[31m" in made.file.getvalue()
