"""The year plan (a 通知 with the plan as its 附件) and the bulletin's news headline, on a hand-built zone.

The zone is tests/report_zone.py's (units 总站机关 lead, 甲站 alpha, 乙站 beta, 丙站 gamma, partner 测大) plus the files
below. Every expected line is worked out by hand from them, in the comments.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from conftest import run_cli, write_zone
from report_zone import load, write_report_zone

from djxz.report import context as c

EXTRA = {
    # A plan whose monthly forum moves from host to host, an item with a note and one without a host.
    "plans/2026.yaml": """\
        year: 2026
        duty_unit: gamma
        theme: 协作见实效
        goals:
          - 座谈会按月召开
        items:
          - id: 2026-forum-01
            title: 1月份党建座谈会
            kind: 月度党建座谈
            category: 组织共建
            month: '2026-01'
            host: alpha
          - id: 2026-forum-02
            title: 2月份党建座谈会
            kind: 月度党建座谈
            category: 组织共建
            month: '2026-02'
            host: beta
          - id: 2026-forum-03
            title: 3月份党建座谈会
            kind: 月度党建座谈
            category: 组织共建
            month: '2026-03'
            host: lead
          - id: 2026-dev-h1
            title: 上半年发展工作联席会
            kind: 发展工作联席会
            category: 发展共谋
            date: 2026-05-20
            host: gamma
          - id: 2026-visit
            title: 共建单位观摩交流
            kind: 共建交流
            category: 资源共享
            month: '2026-04'
            host: partner
            note: 测大提供场地。
          - id: 2026-archive
            title: 工作档案年度更新
            kind: 资源共享
            category: 资源共享
            month: '2026-12'
        """,
    # Two member units (甲站 hosting, 乙站 taking part) and the partner 测大: a zone activity done with a partner.
    "activities/2024/2024-09-10-xunjian.yaml": """\
        id: 2024-09-10-xunjian
        date: 2024-09-10
        title: 协作区执勤点储能设备冬季巡检
        category: 资源共享
        kind: 资源共享
        hosts:
          - alpha
        participants:
          - beta
          - partner
        attendance: 24
        location: 执勤点
        summary: 巡检设备7套，更换电池模块2组。
        """,
    "activities/2024/2024-09-20-zuotan.yaml": """\
        id: 2024-09-20-zuotan
        date: 2024-09-20
        title: 9月份党建座谈会：支部书记讲党课
        category: 组织共建
        kind: 月度党建座谈
        hosts:
          - beta
        participants:
          - alpha
        attendance: 18
        summary: 3名支部书记试讲。
        """,
    "activities/2024/2024-09-25-dangri.yaml": """\
        id: 2024-09-25-dangri
        date: 2024-09-25
        title: 联合主题党日
        category: 组织共建
        kind: 联合主题党日
        hosts:
          - alpha
        participants:
          - beta
        attendance: 30
        summary: 重温入党誓词。
        """,
}


@pytest.fixture
def zone_dir(tmp_path: Path) -> Path:
    return write_report_zone(tmp_path / "zone", EXTRA)


def _run(zone: Path, out: Path, *args: str) -> tuple[str, Path | None]:
    code, _, err = run_cli(*args, "--zone", str(zone), "--out", str(out))
    assert code == 0, err
    md = sorted(out.glob("*.md"))
    assert len(md) == 1, md
    docs = sorted(out.glob("*.docx"))
    return md[0].read_text(encoding="utf-8"), (docs[0] if docs else None)


# -- the bulletin -------------------------------------------------------------------------------------------------------

def test_one_activity_gets_a_news_headline_not_its_title(zone_dir: Path, tmp_path: Path) -> None:
    text, docx_path = _run(zone_dir, tmp_path / "out", "bulletin", "2024-09-10-xunjian", "--date", "2024-09-12")
    # Actor: two member units took part, so the zone; 联合 the partner; 资源共享 is "开展"; the title less "协作区".
    headline = "协作区联合测大开展执勤点储能设备冬季巡检"
    assert f"\n## {headline}\n" in text
    assert headline != "协作区执勤点储能设备冬季巡检"  # the record's title
    # The lead: when, who organised, who took part and how many, where, what, what for (资源共享's aim); said once.
    lead = "9月10日，甲站组织乙站、测大共24人，在执勤点开展执勤点储能设备冬季巡检，旨在推动党建资源共享共用。"
    assert f"\n{lead}\n\n巡检设备7套，更换电池模块2组。\n" in text
    paras = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    assert headline in paras and lead in paras  # the DOCX says the same


def test_title_option_overrides_the_headline_and_goes_into_the_record(zone_dir: Path, tmp_path: Path) -> None:
    text, docx_path = _run(zone_dir, tmp_path / "out", "bulletin", "2024-09-10-xunjian", "--date", "2024-09-12",
                           "--title", "储能设备安全过冬", "--issue")
    assert "\n## 储能设备安全过冬\n" in text
    assert "储能设备安全过冬" in [p.text for p in docx.Document(str(docx_path)).paragraphs]
    record = zone_dir / "documents/2024/2024-09-12-jianbao-di3qi.yaml"
    assert "title: 储能设备安全过冬" in record.read_text(encoding="utf-8")


def test_several_activities_get_one_headline_on_their_common_theme(zone_dir: Path, tmp_path: Path) -> None:
    # Both are 组织共建: the common theme is the category.
    text, _ = _run(zone_dir, tmp_path / "a", "bulletin", "2024-09-20-zuotan", "2024-09-25-dangri", "--date", "2024-09-26")
    assert "\n## 协作区扎实开展“组织共建”系列活动\n" in text
    # 18 + 30 = 48 people; both titles in date order.
    assert "9月20日至9月25日，协作区先后开展9月份党建座谈会：支部书记讲党课、联合主题党日2项活动，共48人次参加。" in text
    assert "### 一、9月份党建座谈会：支部书记讲党课" in text and "### 二、联合主题党日" in text
    # A meeting is 召开, and its topic is named once in the lead.
    assert "9月20日，乙站组织甲站共18人，召开9月份党建座谈会，主题为“支部书记讲党课”，旨在交流党建工作经验，推动组织联建。" in text
    # Different categories: no common category, so the count.
    text, _ = _run(zone_dir, tmp_path / "b", "bulletin", "2024-09-10-xunjian", "2024-09-25-dangri", "--date", "2024-09-26")
    assert "\n## 协作区集中开展2项联建协作活动\n" in text


def test_title_option_needs_a_single_bulletin(zone_dir: Path, tmp_path: Path) -> None:
    # 2024-03-15-dangke has its issued 第1期; 2024-09-10-xunjian would be a new one: two bulletins, one --title.
    code, _, err = run_cli("bulletin", "2024-03-15-dangke", "2024-09-10-xunjian", "--title", "标题", "--zone",
                           str(zone_dir), "--out", str(tmp_path / "o"))
    assert code == 2 and "--title 只能用于一期简报" in err
    assert not (tmp_path / "o").exists()


def test_a_zone_overrides_the_headline_block_only(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    zone = write_report_zone(repo / "data", EXTRA)
    write_zone(repo, {"templates/bulletin.md.j2": (
        '{% extends "djxz/bulletin.md.j2" %}\n'
        "{% block headline %}{{ activities[0].hosts | join('、') }}：{{ activities[0].event }}{% endblock %}\n"
    )})
    text, docx_path = _run(zone, tmp_path / "out", "bulletin", "2024-09-10-xunjian", "--date", "2024-09-12")
    assert "\n## 甲站：执勤点储能设备冬季巡检\n" in text
    assert "旨在推动党建资源共享共用。" in text  # the rest is the built-in template's
    assert "甲站：执勤点储能设备冬季巡检" in [p.text for p in docx.Document(str(docx_path)).paragraphs]


# -- the year plan ------------------------------------------------------------------------------------------------------

def test_plan_schedule_keeps_every_recorded_host(zone_dir: Path, tmp_path: Path) -> None:
    ctx = c.build_plan_context(load(zone_dir), 2026, dt.date(2026, 1, 20))
    # Sorted by month (a dated item by its day, before the month's undated ones); hosts as the plan file has them,
    # partner included; the item without a host has none.
    assert [(r["month"], r["day"], r["title"], r["host"]) for r in ctx["schedule"]] == [
        (1, "", "1月份党建座谈会", "甲站"),
        (2, "", "2月份党建座谈会", "乙站"),
        (3, "", "3月份党建座谈会", "总站机关"),
        (4, "", "共建单位观摩交流", "测大"),
        (5, "5月20日", "上半年发展工作联席会", "丙站"),
        (12, "", "工作档案年度更新", ""),
    ]
    text, docx_path = _run(zone_dir, tmp_path / "out", "brief", "--plan", "--year", "2026", "--date", "2026-01-20")
    for row in ("| 1月 | 1月份党建座谈会 | 组织共建 | 甲站 |", "| 2月 | 2月份党建座谈会 | 组织共建 | 乙站 |",
                "| 3月 | 3月份党建座谈会 | 组织共建 | 总站机关 |", "| 4月 | 共建单位观摩交流 | 资源共享 | 测大 |",
                "| 5月20日 | 上半年发展工作联席会 | 发展共谋 | 丙站 |", "| 12月 | 工作档案年度更新 | 资源共享 | 待定 |"):
        assert row in text
    # The forum's three hosts take turns; the measure says so, and the note is kept without its full stop.
    assert "党建座谈会于1月、2月、3月召开，全年3次，由甲站、乙站、总站机关轮流承办。" in text
    assert "全年安排专项活动2项：4月，由测大承办共建单位观摩交流（测大提供场地）；12月，由轮值单位承办工作档案年度更新。" in text
    table = next(t for t in docx.Document(str(docx_path)).tables if t.rows[0].cells[0].text == "时间")
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == [
        ["1月", "1月份党建座谈会", "组织共建", "甲站"], ["2月", "2月份党建座谈会", "组织共建", "乙站"],
        ["3月", "3月份党建座谈会", "组织共建", "总站机关"], ["4月", "共建单位观摩交流", "资源共享", "测大"],
        ["5月20日", "上半年发展工作联席会", "发展共谋", "丙站"], ["12月", "工作档案年度更新", "资源共享", "待定"],
    ]


def test_plan_is_issued_as_a_notice_with_the_plan_attached(zone_dir: Path, tmp_path: Path) -> None:
    text, _ = _run(zone_dir, tmp_path / "out", "brief", "--plan", "--year", "2026", "--date", "2026-01-20")
    # No record of the plan: the template names it; the notice's title wraps it.
    assert text.startswith("# 关于印发《测试协作区2026年度党建工作协作计划》的通知\n\n协作区各成员单位、各共建单位：\n")
    assert "\n附件：测试协作区2026年度党建工作协作计划\n" in text
    assert "\n附件\n\n# 测试协作区2026年度党建工作协作计划\n" in text
    assert "2026年度协作区工作主题为：协作见实效。2026年，协作区全年安排协作活动2项、例行会议4次" in text


def _md_headings(text: str) -> list[tuple[int, str]]:
    return [(len(m.group(1)), m.group(2).replace("\\", "")) for m in re.finditer(r"^(#{1,3}) (.+)$", text, re.M)]


def _docx_headings(path: Path) -> list[tuple[int, str]]:
    levels = {"GwTitle": 1, "GwHeading1": 2, "GwHeading2": 3}
    # A title's line breaks (balanced lines, GB/T 9704 7.3.1) are layout, not wording.
    return [(levels[p.style.style_id], p.text.replace("\n", "")) for p in docx.Document(str(path)).paragraphs
            if p.style.style_id in levels and p.text.strip()]


@pytest.mark.parametrize("args", [
    ["brief", "--plan", "--year", "2026"],
    ["bulletin", "2026-04-02-qingming-jisao", "2026-09-29-guoqing-zhuti-dangri"],
], ids=["plan", "bulletin-two-activities"])
def test_markdown_and_docx_carry_the_same_headings(example_zone: Path, tmp_path: Path, args: list[str]) -> None:
    text, docx_path = _run(example_zone, tmp_path / "out", *args)
    md = _md_headings(text)
    if args[0] == "bulletin":
        # The Markdown's "# 简报名称" is the DOCX's red masthead, not a heading; the headline is one level down.
        md = [(level - 1, text) for level, text in md[1:]]
    assert md == _docx_headings(docx_path)
    assert len(md) >= 3


def _md_paragraphs(text: str) -> list[str]:
    """The Markdown's paragraphs as a reader sees them: no tables, rules, heading marks, list spaces or escapes."""
    out = []
    for block in text.split("\n\n"):
        for line in block.split("\n") if re.match(r"\d+\. ", block) else [block.replace("\n", "")]:
            line = line.strip()
            if not line or line.startswith("|") or line == "---":
                continue
            line = re.sub(r"^#+ ", "", line)
            line = re.sub(r"^(\d+)\. ", r"\1.", line)
            out.append(line.replace("\\", "").replace("**", ""))
    return out


@pytest.mark.parametrize("args", [
    ["brief", "--plan", "--year", "2026"],
    ["bulletin", "2026-04-02-qingming-jisao", "2026-09-29-guoqing-zhuti-dangri"],
    ["bulletin", "2026-10-28-chuneng-dongji-xunjian"],
], ids=["plan", "bulletin-two-activities", "bulletin-one-activity"])
def test_markdown_and_docx_say_the_same_words(example_zone: Path, tmp_path: Path, args: list[str]) -> None:
    """The wording is written twice (plan.md.j2 and the DOCX template): every paragraph must still agree."""
    text, docx_path = _run(example_zone, tmp_path / "out", *args)
    # A long title is broken into balanced lines in the DOCX (GB/T 9704 7.3.1): the words are the same.
    paras = [p.text.replace("\t", "　　").replace("\n", "") for p in docx.Document(str(docx_path)).paragraphs
             if p.text.strip()]
    assert _md_paragraphs(text) == paras
