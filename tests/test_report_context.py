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
    # No issued record: the notice's and the plan's titles are left to the template's blocks.
    assert (ctx["title"], ctx["plan_title"]) == ("", "")
    assert ctx["duty_unit"]["name"] == "乙站党委"
    assert ctx["theme"] == "联建协作见实效"
    assert ctx["rotation_order"] == ["甲站", "乙站"]  # 丙站 joins in March 2024
    assert [(r["period"], r["short_name"], r["status"]) for r in ctx["rotation"]] == [
        ("2024年", "乙站", "已记录"), ("2025年", "丙站", "推算"),
    ]
    org, dev = ctx["measures"][0], ctx["measures"][1]
    assert [(g["kind"], g["count"], g["hosts"]) for g in org["meetings"]] == [("月度党建座谈", 1, ["乙站"])]
    assert [(e["month"], e["title"], e["host"]) for e in org["entries"]] == [(3, "联片党课", "乙站")]
    assert [(g["kind"], g["months"], g["hosts"]) for g in dev["meetings"]] == [("发展工作联席会", [6], [])]
    # Five items: the forum and the development meeting are meetings; 联片党课, 歌咏比赛, 廉政教育 are activities.
    assert ctx["counts"] == {"items": 5, "meetings": 2, "activities": 3}
    assert ctx["organisation"]["leader"] == {"name": "张三", "title": "党委书记"}
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
    assert (m["name"], m["number"], m["date"]) == ("党建协作区工作简报", 3, "2024年3月8日")
    assert ctx["compiler"]["short_name"] == "乙站"
    assert ctx["title"] == ""  # the template's headline block writes it
    assert ctx["file_stem"] == "2024年第3期信息简报（期号待定）"
    news = ctx["activities"][0]
    # 乙站 hosts, 甲站 and 总站机关 take part: three member units, so a zone activity, and no partner.
    assert (news["hosts"], news["participants"], news["partners"], news["zone_wide"]) == (
        ["乙站"], ["甲站", "总站机关"], [], True)
    assert (news["event"], news["topic"], news["attendance"]) == ("3月份党建座谈会", "", 20)
    assert ctx["footer"]["report_to"] == ["测试总站政治处"] and ctx["footer"]["report_to_default"]
    two = c.build_bulletin_context(zone, [zone.activity("2024-05-20-shuhua"), act], 3, dt.date(2024, 6, 1),
                                   title="上半年活动")
    assert two["title"] == "上半年活动"
    assert [a["number_cn"] + a["title"] for a in two["activities"]] == ["一3月份党建座谈会", "二书画摄影展"]
    # Different categories; 书画摄影展 has no attendance, so no total is claimed.
    assert (two["common"]["category"], two["common"]["attendance_complete"]) == ("", False)


def test_event_words_drop_the_zone_and_split_the_topic() -> None:
    from djxz.report.bulletin_context import event_words

    assert event_words("联片党课：守好祖国西大门") == ("联片党课", "守好祖国西大门")
    assert event_words("协作区篮球比赛") == ("篮球比赛", "")
    assert event_words("2026年度协作区联席会议") == ("2026年度联席会议", "")
    assert event_words("协作区") == ("协作区", "")


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
    assert parse_formats("all") == ("md", "docx", "pdf")
    with pytest.raises(UserError):
        parse_formats("odt")
    # djxz city: its own formats, no `all`
    from djxz.app.city import CITY_FORMATS

    assert parse_formats("xlsx，md,xlsx", CITY_FORMATS, everything=False) == ("xlsx", "md")
    with pytest.raises(UserError, match="md、docx、json、xlsx"):
        parse_formats("all", CITY_FORMATS, everything=False)
    with pytest.raises(UserError, match="pdf"):
        parse_formats("")


def test_plan_year_default(zone) -> None:
    assert plan_year(zone, dt.date(2024, 11, 26), None) == 2025  # next year's plan is already entered
    assert plan_year(zone, dt.date(2025, 11, 26), None) == 2025
    assert plan_year(zone, dt.date(2025, 11, 26), 2024) == 2024
