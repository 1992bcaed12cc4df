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


def test_half_year_report_numbers(zone) -> None:
    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    assert ctx["title"] == "关于测试协作区2024年上半年工作情况的通报"
    assert ctx["file_stem"] == "2024年上半年协作区工作情况通报"
    assert ctx["period"] == {"code": "2024-H1", "label": "2024年上半年", "start": "2024年1月1日", "end": "2024年6月30日"}
    o = ctx["overview"]
    assert (o["activities"], o["attendance"], o["attendance_missing"]) == (3, 80, 1)
    assert (o["units"], o["member_units"], o["partner_units"]) == (5, 4, 1)
    assert (o["highlights"], o["planned"], o["planned_done"]) == (1, 3, 1)
    assert o["paragraphs"] == [
        "2024年上半年，协作区共组织开展活动3次，其中组织共建2次、文化共育1次。",
        "参与活动的单位5个（成员单位4个、共建单位1个），累计参加80人次（另有1次活动未记录人数）。",
        "亮点活动1项；年度计划安排在本期的3项事项已开展1项。",
    ]
    assert [(r["name"], r["count"], r["attendance"]) for r in o["by_category"]] == [
        ("组织共建", 2, 80), ("发展共谋", 0, 0), ("文化共育", 1, 0), ("教育共抓", 0, 0), ("资源共享", 0, 0), ("合计", 3, 80),
    ]


def test_half_year_report_sections(zone) -> None:
    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    assert list(ctx["headings"].values()) == [
        "一、总体情况", "二、“五共”工作开展情况", "三、职责落实情况", "四、各单位参与情况", "五、存在的问题", "六、下步工作安排",
    ]
    org, dev, culture = ctx["categories"][:3]
    assert (org["heading"], org["lead"]) == ("（一）组织共建", "2024年上半年开展组织共建活动2次。")
    assert dev["lead"] == "2024年上半年未开展发展共谋活动。"
    zuotan = org["activities"][0]
    assert zuotan["line"] == "3月5日，乙站在乙站会议室组织3月份党建座谈会，甲站、总站机关参加，共20人。"
    assert zuotan["summary"] == ["交流支部工作。", "商定下月主题。"]
    assert org["practices"] == [{"text": "每月一个主题", "activity": "3月份党建座谈会", "date": "3月5日"}]
    shuhua = culture["activities"][0]
    assert shuhua["line"] == "5月20日至5月22日，甲站组织书画摄影展，测大参加。"
    assert shuhua["highlight"] is True
    # The August activity belongs to the second half.
    assert [a["id"] for cat in ctx["categories"] for a in cat["activities"]] == [
        "2024-03-05-zuotan", "2024-03-15-dangke", "2024-05-20-shuhua",
    ]


def test_half_year_report_units_problems_next_and_signature(zone) -> None:
    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    rows = [(r["name"], r["hosted"], r["joined"], r["total"], r["note"]) for r in ctx["units"]["rows"]]
    assert rows == [
        ("测试总站机关党委", 0, 1, 1, ""),
        ("甲站党委", 1, 2, 3, ""),
        ("乙站党委", 2, 0, 2, ""),
        ("丙站党委", 0, 1, 1, "2024年3月1日加入"),
        ("测试大学", 0, 1, 1, "共建单位"),
    ]
    assert ctx["problems"][0] == "“五共”措施推进不够均衡，2024年上半年未开展发展共谋、教育共抓、资源共享类活动。"
    assert ctx["problems"][1] == "年度计划安排在本期的2项事项未见活动记录：“联片党课”（3月）、“上半年发展工作联席会”（6月）。"
    assert ctx["problems"][2].startswith("有")  # overdue duties, from djxz.domain.duties
    assert ctx["next"]["label"] == "2024年下半年"
    assert [i["line"] for i in ctx["next"]["entries"]] == ["9月，歌咏比赛（甲站承办）。", "11月，廉政教育。"]
    assert [cat["heading"] for cat in ctx["next"]["by_category"]] == ["（一）文化共育", "（二）教育共抓"]
    # Signed by the duty unit on duty when the report is due (1 July), with its party committee's name.
    assert ctx["signature"] == "中共乙站委员会"
    assert ctx["date"] == "2024年7月15日"
    assert ctx["duty_unit"]["name"] == "乙站党委"


def test_duties_met_and_missed(zone) -> None:
    from djxz.domain import duties

    ctx = c.build_report_context(zone, Period("half", 2024, 1), JULY)
    due = [i for i in duties.evaluate(zone, JULY, dt.date(2024, 1, 1), dt.date(2024, 6, 30))
           if i.status != duties.NOT_APPLICABLE]
    d = ctx["duties"]
    assert len(d["met"]) + len(d["missed"]) + len(d["open"]) == len(due)
    assert len(d["met"]) == sum(1 for i in due if i.status == duties.DONE)
    assert len(d["missed"]) == sum(1 for i in due if i.status == duties.OVERDUE)
    forum = next(line for line in d["lines"] if line.startswith("月党建座谈交流"))
    # One forum of six was held (March); the other months are overdue on 15 July.
    assert forum.startswith("月党建座谈交流（轮值单位乙站）：应完成6次，已完成1次，逾期未完成5次")
    assert d["paragraphs"][0].startswith(f"本期到期的职责共{len(due)}项，已完成{len(d['met'])}项")


def test_annual_report_is_signed_by_the_next_years_duty_unit(zone) -> None:
    ctx = c.build_report_context(zone, Period("year", 2024), dt.date(2025, 1, 20))
    assert ctx["title"] == "关于测试协作区2024年度工作情况的通报"
    assert ctx["file_stem"] == "2024年度协作区工作情况通报"
    assert ctx["overview"]["activities"] == 4
    assert ctx["signature"] == "丙站党委"  # on duty on 1 January 2025
    assert ctx["next"]["label"] == "2025年"
    assert ctx["next"]["goals"] == ["办好第一届运动会"]
    assert [i["line"] for i in ctx["next"]["entries"]] == ["1月，1月份党建座谈会（丙站承办）。", "5月20日，运动会（丙站承办；与测大合办）。"]


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
    assert parse_formats("all") == ("md", "docx", "pdf")
    with pytest.raises(UserError):
        parse_formats("odt")


def test_plan_year_default(zone) -> None:
    assert plan_year(zone, dt.date(2024, 11, 26), None) == 2025  # next year's plan is already entered
    assert plan_year(zone, dt.date(2025, 11, 26), None) == 2025
    assert plan_year(zone, dt.date(2025, 11, 26), 2024) == 2024
