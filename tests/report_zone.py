"""A small zone for the document tests: the conftest mini zone plus a partner, plans, activities and two bulletins.

Everything the report tests assert follows from these lines by hand:
2024 H1 has three activities (two 组织共建, one 文化共育), 80 people recorded plus one activity without a count,
five units involved (four members, one partner), three plan items due in H1 of which one is linked to an activity.
Bulletins 第1期 and 第2期 of 2024 are issued, so the next free number of 2024 is 3.
"""

from __future__ import annotations

from pathlib import Path

from conftest import MINI_ZONE, write_zone

REPORT_ZONE = {
    **MINI_ZONE,
    "units/beta.yaml": MINI_ZONE["units/beta.yaml"].rstrip(" ") + """\
        party_org:
          name: 中共乙站委员会
        """,
    "units/partner.yaml": """\
        id: partner
        name: 测试大学
        short_name: 测大
        type: 高校
        role: 共建单位
        joined: 2023-06-01
        """,
    "plans/2024.yaml": """\
        year: 2024
        duty_unit: beta
        theme: 联建协作见实效
        goals:
          - 月度座谈不断档
        items:
          - id: 2024-forum-03
            title: 3月份党建座谈会
            kind: 月度党建座谈
            category: 组织共建
            date: 2024-03-05
            host: beta
          - id: 2024-dangke
            title: 联片党课
            kind: 联片党课
            category: 组织共建
            month: 2024-03
            host: beta
          - id: 2024-dev-h1
            title: 上半年发展工作联席会
            kind: 发展工作联席会
            category: 发展共谋
            month: 2024-06
          - id: 2024-sing
            title: 歌咏比赛
            kind: 文体活动
            category: 文化共育
            month: 2024-09
            host: alpha
          - id: 2024-edu
            title: 廉政教育
            kind: 教育
            category: 教育共抓
            month: 2024-11
        """,
    "plans/2025.yaml": """\
        year: 2025
        duty_unit: gamma
        goals:
          - 办好第一届运动会
        items:
          - id: 2025-forum-01
            title: 1月份党建座谈会
            kind: 月度党建座谈
            category: 组织共建
            month: 2025-01
            host: gamma
          - id: 2025-games
            title: 运动会
            kind: 文体活动
            category: 文化共育
            date: 2025-05-20
            host: gamma
            note: 与测大合办
        """,
    "activities/2024/2024-03-05-zuotan.yaml": """\
        id: 2024-03-05-zuotan
        date: 2024-03-05
        title: 3月份党建座谈会
        category: 组织共建
        kind: 月度党建座谈
        hosts:
          - beta
        participants:
          - alpha
          - lead
        attendance: 20
        location: 乙站会议室
        summary: |
          交流支部工作。
          商定下月主题。
        practices:
          - 每月一个主题
        plan_item: 2024-forum-03
        """,
    "activities/2024/2024-05-20-shuhua.yaml": """\
        id: 2024-05-20-shuhua
        date: 2024-05-20
        end_date: 2024-05-22
        title: 书画摄影展
        category: 文化共育
        kind: 文体活动
        hosts:
          - alpha
        participants:
          - partner
        summary: 展出作品50幅。
        highlight: true
        """,
    "activities/2024/2024-08-10-lanqiu.yaml": """\
        id: 2024-08-10-lanqiu
        date: 2024-08-10
        title: 篮球赛
        category: 文化共育
        kind: 文体活动
        hosts:
          - gamma
        attendance: 40
        summary: 下半年的活动，不进上半年通报。
        """,
    "documents/2024/2024-03-20-jianbao-di1qi.yaml": """\
        id: 2024-03-20-jianbao-di1qi
        kind: 信息简报
        title: 乙站举办联片党课
        date: 2024-03-20
        issuer: beta
        number: 1
        activities:
          - 2024-03-15-dangke
        """,
    "documents/2024/2024-05-25-jianbao-di2qi.yaml": """\
        id: 2024-05-25-jianbao-di2qi
        kind: 信息简报
        title: 书画摄影展开展
        date: 2024-05-25
        issuer: alpha
        number: 2
        activities:
          - 2024-05-20-shuhua
        """,
}


def write_report_zone(root: Path, extra: dict[str, str] | None = None) -> Path:
    return write_zone(root, {**REPORT_ZONE, **(extra or {})})


def load(root: Path):
    from djxz.app.check import load_valid_zone
    import datetime as dt

    return load_valid_zone(root, dt.date(2026, 11, 26))
