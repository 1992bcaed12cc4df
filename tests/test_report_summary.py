"""The summary report (总结通报): figures, comparisons and findings on a hand-built zone, the one-figure rule, the length
limits on data/ and on a zone three times as big, and MD and DOCX carrying the same headings.

The hand-built zone is tests/report_zone.py plus SUMMARY_EXTRA. Worked by hand for 2024 H1 (judged on 2024-07-15):
- 2024 H1 has 3 activities: 3-05 座谈 (组织共建, beta hosts, alpha + lead join, 20 people), 3-15 党课 (组织共建, beta
  hosts, alpha + gamma join, 60 people) and 5-20 书画展 (文化共育, alpha hosts, partner joins, no count) -> 3 activities,
  80 人次 with 1 activity uncounted.
- 2023 H1 (同比) has the 3 activities of SUMMARY_EXTRA: 组织共建 30, 发展共谋 12, 教育共抓 25 -> 3 activities, 67 人次.
  So 活动 3 vs 3: 持平; 人次 80 vs 67: +13; 组织共建 2 vs 1: +1; 发展共谋 0 vs 1: -1; 文化共育 1 vs 0: +1;
  教育共抓 0 vs 1: -1; 资源共享 0 vs 0: 持平.
- 2023 H2 (环比): the zone existed (established 2023-03-01), no activities -> 3 vs 0: +3.
- Units in 2024 H1: beta hosted 2, alpha hosted 1 and joined 2, gamma (joined 2024-03-01) only joined 1, partner only
  joined 1, lead only joined 1 but is the lead unit, never listed as weak. So: 只参加未主办 = 丙站; 共建单位未主办 = 测大;
  nobody idle.
- Thin categories: 发展共谋, 教育共抓, 资源共享 have 0 of 3.
- Falls (同比 only for categories; 环比 only for the total): 发展共谋 -1, 教育共抓 -1.
- Plan items due in H1: forum-03 (linked by the 座谈), 联片党课 (the 党课 record does not link it), 上半年发展工作联席会
  -> 2 undone.
- Monthly forum of the duty unit (beta): 6 due, 1 held (March), 5 missed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, run_cli
from report_zone import load, write_report_zone

from djxz.domain.periods import Period
from djxz.report import context as c
from djxz.report import figures
from djxz.report.mdblocks import blocks, heading_sequence

JULY = dt.date(2024, 7, 15)
CJK = re.compile(r"[\u4e00-\u9fff]")

SUMMARY_EXTRA = {
    "activities/2023/2023-04-10-zuotan.yaml": """\
        id: 2023-04-10-zuotan
        date: 2023-04-10
        title: 4月份党建座谈会
        category: 组织共建
        kind: 月度党建座谈
        hosts: [alpha]
        participants: [beta]
        attendance: 30
        summary: 座谈。
        """,
    "activities/2023/2023-05-10-fazhan.yaml": """\
        id: 2023-05-10-fazhan
        date: 2023-05-10
        title: 发展工作联席会
        category: 发展共谋
        kind: 发展工作联席会
        hosts: [alpha]
        participants: [beta, lead]
        attendance: 12
        summary: 会诊难题。
        """,
    "activities/2023/2023-06-10-jiaoyu.yaml": """\
        id: 2023-06-10-jiaoyu
        date: 2023-06-10
        title: 廉政教育
        category: 教育共抓
        kind: 教育
        hosts: [beta]
        attendance: 25
        summary: 警示教育。
        """,
    # The 党课 record states a zone-wide total (5) that is not the computed one (3), and names a 先进.
    "activities/2024/2024-03-15-dangke.yaml": """\
        id: 2024-03-15-dangke
        date: 2024-03-15
        title: 联片党课
        category: 组织共建
        kind: 联片党课
        hosts: [beta]
        participants: [alpha, gamma]
        attendance: 60
        summary: 乙站主讲联片党课。截至目前协作区开展活动5次，参加500人次。
        result: 协作区上半年开展活动5次。课后形成学习体会12篇。
        honors:
          - 甲站党支部积极组织党员参学
        """,
}


@pytest.fixture
def zone(tmp_path: Path):
    return load(write_report_zone(tmp_path / "zone", SUMMARY_EXTRA))


def render_md(zone_root: Path, out: Path, *args: str) -> str:
    code, _, err = run_cli("brief", *args, "--zone", str(zone_root), "--out", str(out), "--format", "md")
    assert code == 0, err
    return next(out.glob("*.md")).read_text(encoding="utf-8")


def body_hanzi(markdown: str) -> int:
    """汉字 of the body before the first 附件 (the 附件说明 line)."""
    return len(CJK.findall(markdown.split("\n附件：")[0]))


def test_figures_and_comparisons_equal_the_hand_worked_answers(zone) -> None:
    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    f = ctx["figures"]
    assert (f["activities"], f["attendance"], f["attendance_missing"]) == (3, 80, 1)
    assert (f["units"], f["member_units"], f["partner_units"]) == (5, 4, 1)
    assert [(r["name"], r["count"]) for r in f["by_category"]] == [("组织共建", 2), ("文化共育", 1)]
    yoy, mom = ctx["yoy"], ctx["mom"]
    assert yoy["known"] and yoy["period"] == "2023年上半年"
    assert (yoy["activities"]["direction"], yoy["attendance"]["direction"], yoy["attendance"]["diff"]) == ("same", "up", 13)
    assert {k: (v["direction"], v["diff"]) for k, v in yoy["categories"].items()} == {
        "组织共建": ("up", 1), "发展共谋": ("down", 1), "文化共育": ("up", 1), "教育共抓": ("down", 1), "资源共享": ("same", 0),
    }
    assert mom["known"] and (mom["activities"]["before"], mom["activities"]["direction"]) == (0, "up")


def test_problems_equal_the_hand_worked_findings(zone) -> None:
    p = c.build_report_context(zone, Period("half", 2024, 1), JULY)["problems"]
    assert [t["name"] for t in p["thin"]] == ["发展共谋", "教育共抓", "资源共享"]
    assert p["idle_units"] == []
    assert p["no_host_units"] == ["丙站"]  # the lead unit also hosted nothing, and is not listed
    assert p["partners_no_host"] == ["测大"]
    assert [(x["name"], x["diff"]) for x in p["falls"]] == [("发展共谋", 1), ("教育共抓", 1)]
    assert [u["title"] for u in p["undone"]] == ["联片党课", "上半年发展工作联席会"]
    forum = next(d for d in p["duties"] if d["rule"] == "monthly-forum")
    assert (forum["count"], forum["done"], forum["missed"]) == (6, 1, 5)
    assert [x["kind"] for x in p["findings"]] == [
        "thin", "falls", "no_host_units", "partners_no_host", "duties", "undone",
    ]
    assert p["weakest"] is None


def test_the_markdown_states_the_findings_and_one_total(zone, tmp_path: Path) -> None:
    md = render_md(Path(zone.root), tmp_path / "out", "--half-year", "--year", "2024", "--half", "1")
    assert "共开展协作活动3次，参加80人次" in md
    # The record's own totals (5 activities, 500 人次) never appear: one figure per quantity.
    assert "开展活动5次" not in md and "500人次" not in md
    assert "课后形成学习体会12篇" in md  # the rest of the result is quoted
    assert "活动次数与上年同期持平，参加人次比上年同期增加13人次；活动次数比2023年下半年增加3次" in md
    assert "丙站2024年上半年只参加、未主办协作区活动" in md
    assert "总站机关" not in md.split("、存在的问题")[1].split("## ")[0]
    assert "月党建座谈交流6次，按期完成1次，5次未完成" in md
    assert "## 四、表扬" in md and "甲站党支部积极组织党员参学" in md  # after 二、经验做法 and 三、职责落实
    assert "未发现突出问题" not in md
    assert "牵头单位：已完成" not in md


def test_first_period_says_there_is_nothing_to_compare(tmp_path: Path) -> None:
    zone = load(write_report_zone(tmp_path / "zone"))  # no 2023 records at all
    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    assert ctx["yoy"]["known"] is False
    md = render_md(Path(zone.root), tmp_path / "out", "--half-year", "--year", "2024", "--half", "1")
    assert "2023年上半年同期协作区尚无活动记录，本期数据暂无同比" in md


def test_nothing_weak_still_names_a_measurable_weak_point() -> None:
    from djxz.model import Activity

    acts = [Activity(id=f"a{i}", date=dt.date(2024, 1, 1 + i), category=cat)
            for i, cat in enumerate(["组织共建", "组织共建", "发展共谋", "文化共育", "教育共抓", "资源共享"])]
    # 发展共谋 is the first of the categories with the fewest (1 of 6 = 17%).
    assert figures.weakest_category(acts) == {"name": "发展共谋", "count": 1, "share": 17}
    assert figures.thin_categories(acts) == []


def test_representatives_highlights_then_results_then_size_and_stable() -> None:
    from djxz.model import Activity

    def act(i, **kw):
        return Activity(id=f"a{i}", date=dt.date(2024, 1, i), category="组织共建", **kw)

    acts = [act(1, attendance=500), act(2, attendance=10, highlight=True), act(3, attendance=5, result="形成意见3条。"),
            act(4, attendance=400), act(5, attendance=20, result="协作区开展活动9次。")]
    chosen = figures.representative(acts)
    # highlight a2, result a3, then the largest a1 (a5's result states a total, so it counts as no result); date order.
    assert [a.id for a in chosen] == ["a1", "a2", "a3"]
    assert [a.id for a in figures.representative(list(reversed(acts)))] == ["a1", "a2", "a3"]


def test_states_total_catches_zone_totals_only() -> None:
    assert figures.states_total("协作区开展活动19次")
    assert figures.states_total("累计参加1809人次")
    assert figures.states_total("编发简报8期")
    assert not figures.states_total("68名护边员骨干完成3天培训")
    assert figures.without_totals("会议通报上半年开展活动19次。部署了下半年工作。") == "部署了下半年工作。"


# -- the example zone ---------------------------------------------------------------------------------------------------

def test_example_half_year_and_annual_bodies_are_short_and_complete(tmp_path: Path) -> None:
    half = render_md(EXAMPLE, tmp_path / "h", "--half-year", "--year", "2026", "--half", "1")
    annual = render_md(EXAMPLE, tmp_path / "a", "--annual", "--year", "2025")
    assert body_hanzi(half) < 3000
    assert body_hanzi(annual) < 4500
    assert "伊犁河谷" in half.splitlines()[0] and "伊犁河谷" in annual.splitlines()[0]
    assert "比上年同期减少2次" in half.split("## 一、")[0]  # 21 in 2026 H1 against 23 in 2025 H1
    for text, count in ((half, 21), (annual, 44)):
        annex = text.split("\n附件1\n")[-1].split("\n附件2\n")[0]  # 附件1's table
        assert len(re.findall(r"^\| \d+ \|", annex, re.M)) == count
        assert "未发现突出问题" not in text
    # The 6-24 meeting's record says 19 activities on that day; only the computed 21 is printed.
    assert "19次" not in half and "共开展协作活动21次" in half


def _tripled(tmp_path: Path) -> Path:
    """The example zone with every activity recorded three times (new ids): three times as many activities."""
    root = tmp_path / "data"
    shutil.copytree(EXAMPLE, root)
    for path in sorted((root / "activities").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        for suffix in ("b", "c"):
            copy = path.with_name(f"{path.stem}-{suffix}.yaml")
            copy.write_text(re.sub(r"^id: (.+)$", rf"id: \1-{suffix}", text, count=1, flags=re.M), encoding="utf-8")
    return root


def test_a_zone_three_times_as_big_stays_within_the_limits(tmp_path: Path) -> None:
    root = _tripled(tmp_path)
    half = render_md(root, tmp_path / "h", "--half-year", "--year", "2026", "--half", "1")
    annual = render_md(root, tmp_path / "a", "--annual", "--year", "2025")
    assert "共开展协作活动63次" in half and "共开展协作活动132次" in annual
    assert body_hanzi(half) < 3000
    assert body_hanzi(annual) < 4500
    assert len(re.findall(r"^\| \d+ \|", half.split("附件1")[-1].split("附件2")[0], re.M)) == 63


@pytest.mark.parametrize("args", [["--half-year", "--year", "2026", "--half", "1"], ["--annual", "--year", "2025"]])
def test_markdown_and_docx_carry_the_same_headings(tmp_path: Path, args: list[str]) -> None:
    from docx import Document

    out = tmp_path / "out"
    code, _, err = run_cli("brief", *args, "--zone", str(EXAMPLE), "--out", str(out))
    assert code == 0, err
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    md_headings = heading_sequence(blocks(md))
    styles = {"公文标题": "title", "一级标题": "h1", "二级标题": "h2", "三级标题": "h3"}
    doc = Document(str(next(out.glob("*.docx"))))
    docx_headings = []
    seen_annex = False
    for p in doc.paragraphs:
        kind = styles.get(p.style.name)
        if p.style.name == "附件标记":
            seen_annex = True
        if kind:
            # A title's line breaks (balanced lines, GB/T 9704 7.3.1) are layout, not wording.
            docx_headings.append(("annex_title" if kind == "title" and seen_annex else kind, p.text.replace("\n", "")))
    assert docx_headings == md_headings
    if args[0] == "--half-year":  # a practice's lead phrase is bold in both formats
        assert "一是**就地取材办活动。**" in md
        practice = next(p for p in doc.paragraphs if p.text.startswith("一是就地取材"))
        assert [(r.text, bool(r.bold)) for r in practice.runs if r.text][:2] == [("一是", False), ("就地取材办活动。", True)]
    numbering = [t for k, t in md_headings if k in ("h1", "h2")]
    assert numbering[0].startswith("一、") and numbering[1].startswith("（一）")
    assert len(md_headings) >= 10


def test_the_templates_hold_the_wording() -> None:
    templates = sum(len(CJK.findall(p.read_text(encoding="utf-8"))) for p in (ROOT / "templates").glob("*.j2"))
    literals = 0
    import ast

    for path in (ROOT / "djxz" / "report").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals += len(CJK.findall(node.value))
    assert templates >= 1000
    assert templates > literals


def test_a_zone_overrides_one_block_of_the_report(tmp_path: Path) -> None:
    zone_root = write_report_zone(tmp_path / "zone", SUMMARY_EXTRA)
    (zone_root / "templates").mkdir()
    (zone_root / "templates" / "report.md.j2").write_text(
        '{% extends "djxz/report.md.j2" %}\n{% block addressee %}\n各成员单位党委：\n{% endblock %}\n',
        encoding="utf-8")
    md = render_md(zone_root, tmp_path / "out", "--half-year", "--year", "2024", "--half", "1")
    assert "各成员单位党委：" in md and "协作区各成员单位、各共建单位：" not in md
    assert "## 一、主要做法和成效" in md  # the rest is the shipped template
