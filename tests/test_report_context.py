"""The context builders: what each document says, computed from records written inline (see tests/report_zone.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from report_zone import load, write_report_zone

from djxz.app.brief import annual_period, half_year_period, parse_formats, plan_year
from djxz.domain.periods import Period
from djxz.errors import UserError
from djxz.report import context as c

JULY = dt.date(2024, 7, 15)


@pytest.fixture
def zone(tmp_path: Path):
    return load(write_report_zone(tmp_path / "zone"))


def test_chinese_dates_and_numbers_follow_the_standard() -> None:
    assert c.cn_date(dt.date(2026, 7, 5)) == "2026年7月5日"
    assert c.cn_date(dt.date(2024, 10, 15)) == "2024年10月15日"
    assert [c.cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert c.heading1(2, "总体情况") == "二、总体情况"
    assert c.heading2(5, "资源共享") == "（五）资源共享"
    assert c.display_width("2026年7月15日") == 6.5


def test_clean_text_is_one_line_without_control_characters() -> None:
    assert c.clean("a\tb\n  c\x07d\x0ce") == "a b cde"
    assert c.paragraphs("第一段。\n\n  第二段。\x00\n") == ["第一段。", "第二段。"]


def test_half_year_report_names_period_and_signer(zone) -> None:
    """The figures, comparisons and findings are in test_report_summary.py; here what names the document."""
    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    assert ctx["title"] == "关于测试协作区2024年上半年工作情况的通报"
    assert ctx["file_stem"] == "2024年上半年协作区工作情况通报"
    assert (ctx["period"]["code"], ctx["period"]["label"]) == ("2024-H1", "2024年上半年")
    # Signed by the duty unit on duty when the report is due (1 July), with its party committee's name.
    assert ctx["signature"] == "中共乙站委员会"
    assert ctx["date"] == "2024年7月15日"
    assert ctx["duty_unit"]["name"] == "乙站党委"
    assert ctx["next"]["label"] == "2024年下半年"
    # 9月 歌咏比赛 (文化共育) and 11月 廉政教育 (教育共抓) are the plan's second-half items.
    assert (ctx["next"]["item_count"], ctx["next"]["by_category"]) == (
        2, [{"name": "文化共育", "count": 1}, {"name": "教育共抓", "count": 1}])
    # The August activity belongs to the second half.
    assert [a["title"] for a in ctx["annex"]["activities"]] == ["3月份党建座谈会", "联片党课", "书画摄影展"]


def test_duties_are_the_duty_units_own(zone) -> None:
    from djxz.domain import duties

    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    due = [i for i in duties.evaluate(zone, JULY, dt.date(2024, 1, 1), dt.date(2024, 6, 30))
           if i.status != duties.NOT_APPLICABLE and i.owner_role == duties.DUTY]
    d = ctx["duties"]
    assert d["total"] == len(due) == len(d["rows"])
    assert d["missed"] == sum(1 for i in due if i.status == duties.OVERDUE)
    # The lead unit's duties (annual plan, rotation arrangement...) are not graded in the duty unit's report.
    assert not {"annual-plan", "rotation-arrangement", "annual-joint-meeting"} & {g["rule"] for g in d["groups"]}


def test_annual_report_is_signed_by_the_next_years_duty_unit(zone) -> None:
    ctx = c.build_report_context(zone, Period("year", 2024), dt.date(2025, 1, 20))
    assert ctx["title"] == "关于测试协作区2024年度工作情况的通报"
    assert ctx["figures"]["activities"] == 4
    assert ctx["signature"] == "丙站党委"  # on duty on 1 January 2025
    assert ctx["next"]["label"] == "2025年"
    assert ctx["next"]["goals"] == ["办好第一届运动会"]


def test_a_recorded_report_gives_its_title_and_date(tmp_path: Path) -> None:
    zone = load(write_report_zone(tmp_path / "z", {"documents/2024/2024-07-20-tongbao.yaml": """\
        id: 2024-07-20-tongbao
        kind: 半年总结通报
        title: 关于上半年工作的通报
        date: 2024-07-20
        issuer: beta
        period: 2024-H1
        """}))
    ctx = c.build_report_context(zone, Period("half", 2024, 1), dt.date(2026, 11, 26))
    assert (ctx["title"], ctx["date"]) == ("关于上半年工作的通报", "2024年7月20日")
    assert ctx["recorded"]["path"] == "documents/2024/2024-07-20-tongbao.yaml"


def test_plan_context(zone) -> None:
    ctx = c.build_plan_context(zone, 2024, dt.date(2024, 1, 20))
    assert ctx["title"] == "测试协作区2024年度党建工作联建协作计划"
    assert ctx["duty_unit"]["name"] == "乙站党委"
    assert ctx["theme"] == "联建协作见实效"
    assert ctx["rotation_order"] == "甲站、乙站"  # 丙站 joins in March 2024
    assert [(r["period"], r["short_name"], r["status"]) for r in ctx["rotation"]] == [
        ("2024年", "乙站", "已记录"), ("2025年", "丙站", "推算"),
    ]
    assert [m["line"] for m in ctx["meetings"]] == [
        "月度党建座谈1次：3月5日（承办：乙站）。", "发展工作联席会1次：6月。",
    ]
    org = ctx["categories"][0]
    assert [i["line"] for i in org["entries"]] == ["3月，联片党课（乙站承办）。"]
    assert org["lead"] == "安排组织共建活动1项，另有例行会议1次（见例行会议）。"
    assert ctx["categories"][1]["lead"] == "本年度发展共谋主要通过例行会议推进：发展工作联席会1次。"
    assert ctx["categories"][4]["lead"] == "本年度暂未安排资源共享活动，视工作需要适时开展。"
    assert ctx["organisation"]["leader"] == "张三（党委书记）"
    assert ctx["signature"] == "测试总站机关党委"  # the lead unit makes the plan
    assert ctx["date"] == "2024年1月20日"


def test_bulletin_numbers(zone) -> None:
    assert c.recorded_bulletin(zone, "2024-03-15-dangke").number == 1
    assert c.recorded_bulletin(zone, "2024-03-05-zuotan") is None
    assert c.next_bulletin_number(zone, 2024) == 3
    assert c.next_bulletin_number(zone, 2025) == 1


def test_bulletin_context(zone) -> None:
    act = zone.activity("2024-03-05-zuotan")
    ctx = c.build_bulletin_context(zone, [act], 3, dt.date(2024, 3, 8), provisional=True)
    m = ctx["masthead"]
    assert (m["name"], m["number_text"], m["date"]) == ("党建协作区工作简报", "第3期（期号待定）", "2024年3月8日")
    assert m["compiler"] == "测试区轮值单位（乙站）编"
    assert ctx["title"] == "3月份党建座谈会"
    assert ctx["file_stem"] == "2024年第3期信息简报（期号待定）"
    assert ctx["footer"] == {
        "report_to": "报：协作区领导小组，测试总站政治处。",
        "send_to": "",
        "distribute_to": "发：协作区各成员单位。",
        "copies": None,
        "copies_text": "",
    }
    two = c.build_bulletin_context(zone, [zone.activity("2024-05-20-shuhua"), act], 3, dt.date(2024, 6, 1))
    assert two["title"] == "3月份党建座谈会等2项活动"
    assert [a["heading"] for a in two["activities"]] == ["一、3月份党建座谈会", "二、书画摄影展"]


def test_default_periods() -> None:
    nov = dt.date(2026, 11, 26)
    assert half_year_period(nov, None, None) == Period("half", 2026, 1)
    assert half_year_period(dt.date(2026, 3, 1), None, None) == Period("half", 2025, 2)
    assert half_year_period(nov, None, 2) == Period("half", 2025, 2)
    assert half_year_period(nov, 2024, None) == Period("half", 2024, 2)
    assert annual_period(nov, None) == Period("year", 2025)
    with pytest.raises(UserError, match="还没有开始"):
        half_year_period(nov, 2027, 1)
    with pytest.raises(UserError, match="--half"):
        half_year_period(nov, 2026, 3)
    assert parse_formats("md,docx") == ("md", "docx")
    assert parse_formats("docx") == ("docx",)
    with pytest.raises(UserError):
        parse_formats("pdf")


def test_plan_year_default(zone) -> None:
    assert plan_year(zone, dt.date(2024, 11, 26), None) == 2025  # next year's plan is already entered
    assert plan_year(zone, dt.date(2025, 11, 26), None) == 2025
    assert plan_year(zone, dt.date(2025, 11, 26), 2024) == 2024
