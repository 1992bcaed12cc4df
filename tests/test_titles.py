"""Long titles break between words into balanced lines (GB/T 9704 7.3.1), with the example zone's long names.

Each case lists, by hand, the words no line may start or end inside; the breaks found must fall outside all of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE_TODAY, run_cli
from docx import Document

from djxz.report.titles import break_title, display_width

NAMES = ("伊犁河谷协作区", "昭苏边境管理站", "察布查尔边境管理站", "都拉塔口岸边境检查站", "昭苏站", "都拉塔检查站", "协作区")

CASES = [
    ("关于伊犁河谷基层党建工作联建协作区2026年上半年工作情况的通报",
     ["关于", "伊犁河谷", "基层", "党建", "工作", "联建", "协作区", "2026年", "上半年", "情况", "的通报"]),
    ("关于印发《伊犁河谷基层党建工作联建协作区2026年度党建工作协作计划》的通知",
     ["印发", "《伊犁河谷", "基层", "党建", "协作区", "2026年度", "协作", "计划》", "的通知"]),
    ("伊犁河谷基层党建工作联建协作区2026年协作计划", ["伊犁河谷", "基层", "协作区", "2026年", "协作", "计划"]),
    ("“情暖边关行”慰问演出走进都拉塔口岸边境检查站和霍城执勤点",
     ["“情暖边关行”", "慰问", "演出", "都拉塔口岸边境检查站", "霍城", "执勤点"]),
    ("关于报送伊犁河谷基层党建工作联建协作区2025年度工作总结的报告",
     ["报送", "伊犁河谷", "协作区", "2025年度", "工作", "总结", "的报告"]),
]


def _inside(title: str, cut: int, word: str) -> bool:
    """True when position `cut` (a line break before title[cut]) falls strictly inside an occurrence of `word`."""
    start = title.find(word)
    while start >= 0:
        if start < cut < start + len(word):
            return True
        start = title.find(word, start + 1)
    return False


@pytest.mark.parametrize("title,words", CASES)
def test_lines_keep_words_whole_and_are_balanced(title: str, words: list[str]) -> None:
    lines = break_title(title, NAMES)
    assert "".join(lines) == title
    assert len(lines) >= 2
    widths = [display_width(line) for line in lines]
    assert max(widths) <= 20  # 二号 in the type area
    cuts = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    for cut in cuts:
        bad = [w for w in words if _inside(title, cut, w)]
        assert not bad, f"{lines} cuts inside {bad}"
    # Balanced: with two lines the shorter holds at least half of the longer (no 20 + 2 split), and no hourglass.
    assert min(widths) >= max(widths) / 2, lines
    assert not any(widths[i] < widths[i - 1] and widths[i] < widths[i + 1] for i in range(1, len(widths) - 1))


def test_a_short_title_is_one_line() -> None:
    assert break_title("协作区篮球比赛在昭苏举行", NAMES) == ["协作区篮球比赛在昭苏举行"]


def test_a_quote_counts_full_width() -> None:
    # 19 characters and two curly quotes are 21 full-width cells in a CJK font: too long for one line.
    title = "昭苏站承办协作区联片党课“守好祖国西大门”"
    assert display_width(title) == 21
    lines = break_title(title, NAMES)
    assert len(lines) == 2 and not lines[1].startswith("”") and lines[1].endswith("”")


def test_the_docx_title_carries_the_breaks(example_zone: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
    code, _, err = run_cli("brief", "--plan", "--year", "2026", "--zone", str(example_zone), "--out", str(tmp_path),
                           "--format", "docx")
    assert code == 0, err
    doc = Document(str(next(tmp_path.glob("*.docx"))))
    # The notice's title, then the plan's own (its attachment): each broken between whole words.
    notice, title = [p for p in doc.paragraphs if p.style.name == "公文标题"]
    assert notice.text.replace("\n", "") == "关于印发《伊犁河谷基层党建工作联建协作区2026年协作计划》的通知"
    assert "\n" in notice.text
    # The plan's recorded title, 22 wide: the break falls between 联建 and 协作区, 12 and 10 wide.
    assert title.text == "伊犁河谷基层党建工作联建\n协作区2026年协作计划"
