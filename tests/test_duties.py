"""Duty rules and their evaluation (djxz.domain.duties), on small zones written inline."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from conftest import MINI_ZONE, write_zone
from djxz.domain import duties as du
from djxz.load.loader import load_zone
from djxz.model import DutyRule, Source

D = dt.date


def activity(act_id: str, kind: str, hosts: list[str], category: str = "组织共建", end: str | None = None) -> str:
    day = act_id[:10]
    lines = [f"id: {act_id}", f"date: {day}", f"title: {kind}{day}", f"category: {category}", f"kind: {kind}", "hosts:"]
    lines += [f"  - {h}" for h in hosts]
    if end:
        lines.append(f"end_date: {end}")
    lines.append("summary: 测试活动。")
    return "\n".join(lines) + "\n"


def document(doc_id: str, kind: str, period: str | None = None, activities: tuple[str, ...] = (),
             number: int | None = None) -> str:
    lines = [f"id: {doc_id}", f"kind: {kind}", f"title: {kind}", f"date: {doc_id[:10]}"]
    if period:
        lines.append(f"period: '{period}'")
    if number:
        lines.append(f"number: {number}")
    if activities:
        lines.append("activities:")
        lines += [f"  - {a}" for a in activities]
    return "\n".join(lines) + "\n"


def files_for(records: dict[str, str]) -> dict[str, str]:
    out = {}
    for rec_id, text in records.items():
        folder = "documents" if "\nkind: " in "\n" + text and "summary:" not in text else "activities"
        out[f"{folder}/{rec_id[:4]}/{rec_id}.yaml"] = text
    return out


def zone_with(tmp_path: Path, records: dict[str, str] | None = None, zone_yaml: str = "", extra: dict | None = None):
    files = dict(MINI_ZONE)
    files["zone.yaml"] = textwrap.dedent(MINI_ZONE["zone.yaml"]) + textwrap.dedent(zone_yaml)
    files.update(files_for(records or {}))
    files.update(extra or {})
    root = write_zone(tmp_path / "zone", files)
    zone, diags = load_zone(root)
    assert [d for d in diags if d.severity == "error"] == []
    return zone


def table(statuses) -> dict[tuple[str, str], tuple]:
    """(rule, period) -> (status, deadline, days left or late, late?)"""
    out = {}
    for s in statuses:
        days = s.days_left if s.days_left is not None else s.days_late
        out[(s.rule_id, s.period)] = (s.status, s.deadline.isoformat(), days, s.late)
    return out


# A year of records in the mini zone (duty unit 2024: beta; lead unit: lead). Deliberately imperfect: no forum in
# April, no summary-and-deployment meeting, the rotation arrangement late, no plan sent to the city committee.
RECORDS_2024 = {
    "2024-01-20-lianxi": activity("2024-01-20-lianxi", "联席会议", ["lead"]),
    # forums hosted in turn by a member unit, not the duty unit: no bulletin owed for them
    **{f"2024-{m:02d}-10-zuotan": activity(f"2024-{m:02d}-10-zuotan", "月度党建座谈", ["alpha"]) for m in (1, 2, 3, 5, 6, 7)},
    "2024-05-10-fazhan": activity("2024-05-10-fazhan", "发展工作联席会", ["alpha"], "发展共谋"),
    "2024-01-25-nianzong": document("2024-01-25-nianzong", "年度总结通报", "2023"),
    "2024-02-20-jihua": document("2024-02-20-jihua", "年度协作计划", "2024"),
    "2024-02-27-shiwei-zongjie": document("2024-02-27-shiwei-zongjie", "向市委报送总结", "2023"),
    "2024-03-05-lunzhi": document("2024-03-05-lunzhi", "轮值安排"),
    "2024-03-20-jianbao": document("2024-03-20-jianbao", "信息简报", number=1, activities=("2024-03-15-dangke",)),
    "2024-08-06-banian": document("2024-08-06-banian", "半年总结通报", "2024-H1"),
}


def test_default_rules_are_the_plans_duties_and_sound():
    assert du.DEFAULT_IDS == (
        "first-joint-meeting", "annual-joint-meeting", "annual-plan", "rotation-arrangement", "annual-report",
        "half-year-report", "monthly-forum", "development-meeting", "summary-meeting", "bulletin",
        "city-plan-report", "city-summary-report", "archive", "deployment-meeting",
    )
    for rule in du.DEFAULT_RULES:
        assert du.rule_problems(rule, D(2023, 3, 1)) == [], rule.id
        assert rule.title and rule.basis and rule.owner in du.OWNERS and rule.recurrence in du.RECURRENCES
        assert rule.basis in SEED_DUTIES, rule.id  # quoted word for word


# The seed plan's duties and meetings (《县区2023年基层党建工作联建协作工作方案》, 二（二） and 三（一）（二）).
SEED_DUTIES = (
    "1.牵头单位。①协作区建立后，牵头主持召开协作区第一次联席会议；②汇总协作区成员单位各类党建资源、党建专业人才情况，"
    "建立专门工作档案；③每年初组织召开协作区联席会议，牵头谋划协作区年度党建工作，制定协作计划、方案和成员单位轮值安排；"
    "④协调、协助成员单位在轮值期间完成轮值工作任务。"
    "2.轮值单位。①根据协作区安排，轮流组织实施某项或某时间段内的党建活动，包括活动的具体策划、方案制定、具体实施以及各类保障工作；"
    "②每年年初和年中，总结通报协作区半年或全年工作情况，提炼做法、交流经验；③轮值期间，如遇总站统一部署的某项重大党建工作任务，"
    "主持召开协作区联席会议（或工作调度会），共同学习上级指示精神，研究部署协作工作任务；④编撰轮值期内组织开展活动的相关信息简报，"
    "及时向协作区领导小组和总站政治处报送；⑤加强与市委的沟通协调，向市委上报协作区轮值年度、阶段性或某项重大政治活动的计划、总结。"
    "（一）组织共建。按照组织联建强班子的工作思路，创新建立月党建座谈交流、半年总结部署、年度党建工作谋划等机制，加强经验借鉴，创新实践措施。"
    "（二）发展共谋。强化健全协作机制，形成“相互协同、联防联治、齐抓共管、互利共赢”的发展新格局。"
    "每半年召开一次发展工作联席会，分享工作经验，会诊热点难点问题，研讨发展思路举措。"
)


def test_year_table_on_a_date(tmp_path):
    zone = zone_with(tmp_path, RECORDS_2024)
    got = table(du.evaluate_year(zone, 2024, D(2024, 8, 1)))
    expected = {
        ("annual-report", "2024"): ("已完成", "2024-01-31", None, False),
        ("monthly-forum", "2024-01"): ("已完成", "2024-01-31", None, False),
        ("annual-joint-meeting", "2024"): ("已完成", "2024-02-28", None, False),
        ("annual-plan", "2024"): ("已完成", "2024-02-28", None, False),
        ("rotation-arrangement", "2024"): ("已完成", "2024-02-28", 6, True),  # issued 03-05: six days late
        ("city-summary-report", "2024"): ("已完成", "2024-02-28", None, False),
        ("monthly-forum", "2024-02"): ("已完成", "2024-02-29", None, False),
        ("bulletin", "2024-03-15-dangke"): ("已完成", "2024-03-22", None, False),
        ("monthly-forum", "2024-03"): ("已完成", "2024-03-31", None, False),
        ("city-plan-report", "2024"): ("逾期", "2024-03-31", 123, False),
        ("monthly-forum", "2024-04"): ("逾期", "2024-04-30", 93, False),
        ("monthly-forum", "2024-05"): ("已完成", "2024-05-31", None, False),
        ("monthly-forum", "2024-06"): ("已完成", "2024-06-30", None, False),
        ("development-meeting", "2024-H1"): ("已完成", "2024-06-30", None, False),
        ("summary-meeting", "2024-H1"): ("逾期", "2024-06-30", 32, False),
        # the half-year report was issued on 08-06: on 08-01 nobody could know it would come
        ("half-year-report", "2024"): ("逾期", "2024-07-31", 1, False),
        ("monthly-forum", "2024-07"): ("已完成", "2024-07-31", None, False),
        ("monthly-forum", "2024-08"): ("待办", "2024-08-31", 30, False),
        ("monthly-forum", "2024-09"): ("待办", "2024-09-30", 60, False),
        ("monthly-forum", "2024-10"): ("待办", "2024-10-31", 91, False),
        ("monthly-forum", "2024-11"): ("待办", "2024-11-30", 121, False),
        ("monthly-forum", "2024-12"): ("待办", "2024-12-31", 152, False),
        ("development-meeting", "2024-H2"): ("待办", "2024-12-31", 152, False),
        ("summary-meeting", "2024-H2"): ("待办", "2024-12-31", 152, False),
        ("archive", "gamma"): ("逾期", "2024-05-30", 63, False),  # gamma joined 2024-03-01: due 90 days later
    }
    assert got == expected
    # Later, the late report counts, and says how late it was.
    later = table(du.evaluate_year(zone, 2024, D(2024, 8, 10)))
    assert later[("half-year-report", "2024")] == ("已完成", "2024-07-31", 6, True)


def test_owner_and_evidence(tmp_path):
    zone = zone_with(tmp_path, RECORDS_2024)
    by_key = {(s.rule_id, s.period): s for s in du.evaluate(zone, D(2024, 8, 10))}
    report = by_key[("annual-report", "2024")]
    assert (report.owner_role, report.owner) == ("轮值单位", "beta")  # the duty unit of the year the deadline falls in
    assert report.period_label == "2024年（报2023年）"
    assert report.evidence == (du.Evidence("documents/2024/2024-01-25-nianzong.yaml", 1, "2024-01-25-nianzong", D(2024, 1, 25)),)
    assert by_key[("annual-plan", "2024")].owner == "lead"
    bulletin = by_key[("bulletin", "2024-03-15-dangke")]
    # the evidence points at the line that lists the activity
    assert bulletin.evidence == (du.Evidence("documents/2024/2024-03-20-jianbao.yaml", 7, "2024-03-20-jianbao", D(2024, 3, 20)),)
    assert (bulletin.window_start, bulletin.deadline, bulletin.completed_on) == (D(2024, 3, 15), D(2024, 3, 22), D(2024, 3, 20))
    assert by_key[("monthly-forum", "2023-05")].owner == "alpha"
    assert by_key[("monthly-forum", "2024-05")].evidence[0].id == "2024-05-10-zuotan"


def test_founding_year_months_and_due_today(tmp_path):
    zone = zone_with(tmp_path)
    year = du.evaluate_year(zone, 2023, D(2023, 12, 31))
    forums = [s for s in year if s.rule_id == "monthly-forum"]
    assert [s.period for s in forums] == [f"2023-{m:02d}" for m in range(3, 13)]  # from the founding month on
    assert forums[0].window_start == D(2023, 3, 1)
    last = next(s for s in year if (s.rule_id, s.period) == ("development-meeting", "2023-H2"))
    assert (last.status, last.days_left) == ("即将到期", 0)  # due today: not yet late


def test_founding_year_exact(tmp_path):
    zone = zone_with(tmp_path, {
        "2023-03-20-diyici": activity("2023-03-20-diyici", "联席会议", ["lead"]),
        "2023-05-10-jihua": document("2023-05-10-jihua", "年度协作计划", "2023"),
    })
    got = {k: v for k, v in table(du.evaluate_year(zone, 2023, D(2023, 12, 1))).items() if k[0] != "monthly-forum"}
    assert got == {
        ("annual-report", "2023"): ("不适用", "2023-01-31", None, False),  # the year before the zone existed
        ("annual-joint-meeting", "2023"): ("不适用", "2023-02-28", None, False),  # the first meeting stands for it
        ("city-summary-report", "2023"): ("不适用", "2023-02-28", None, False),
        ("city-plan-report", "2023"): ("逾期", "2023-03-31", 245, False),
        ("first-joint-meeting", "2023-03-01"): ("已完成", "2023-04-30", None, False),
        ("annual-plan", "2023"): ("已完成", "2023-04-30", 10, True),  # 60 days after founding, not 02-28
        ("rotation-arrangement", "2023"): ("逾期", "2023-04-30", 215, False),
        # the archive is judged per member unit: lead, alpha and beta were founding units (due 03-01 + 90 days)
        ("archive", "alpha"): ("逾期", "2023-05-30", 185, False),
        ("archive", "beta"): ("逾期", "2023-05-30", 185, False),
        ("archive", "lead"): ("逾期", "2023-05-30", 185, False),
        ("development-meeting", "2023-H1"): ("逾期", "2023-06-30", 154, False),
        ("summary-meeting", "2023-H1"): ("逾期", "2023-06-30", 154, False),
        ("half-year-report", "2023"): ("逾期", "2023-07-31", 123, False),
        ("development-meeting", "2023-H2"): ("待办", "2023-12-31", 30, False),
        ("summary-meeting", "2023-H2"): ("待办", "2023-12-31", 30, False),
    }
    notes = {s.rule_id: s.note for s in du.evaluate_year(zone, 2023, D(2023, 12, 1)) if s.status == "不适用"}
    assert notes == {
        "annual-report": "所报告的2022年早于协作区成立",
        "annual-joint-meeting": "协作区成立的那一期不适用",
        "city-summary-report": "所报告的2022年早于协作区成立",
    }


@pytest.mark.parametrize(("as_of", "status", "left"), [
    (D(2024, 7, 16), "待办", 15),
    (D(2024, 7, 17), "即将到期", 14),
    (D(2024, 7, 31), "即将到期", 0),
])
def test_reminder_window(tmp_path, as_of, status, left):
    zone = zone_with(tmp_path)
    s = next(s for s in du.evaluate(zone, as_of) if s.rule_id == "half-year-report" and s.period == "2024")
    assert (s.status, s.days_left) == (status, left)


def test_override_changes_exactly_that_deadline(tmp_path):
    base = du.evaluate(zone_with(tmp_path / "a", RECORDS_2024), D(2024, 12, 31))
    changed = du.evaluate(zone_with(tmp_path / "b", RECORDS_2024, """\
        duties:
          - id: half-year-report
            deadline: 08-15
            remind_days: 5
        """), D(2024, 12, 31))
    def key(s):
        return (s.rule_id, s.period)
    before, after = {key(s): s for s in base}, {key(s): s for s in changed}
    assert before.keys() == after.keys()
    differ = sorted(k for k in before if before[k] != after[k])
    assert differ == [("half-year-report", "2023"), ("half-year-report", "2024")]
    assert after[("half-year-report", "2024")].deadline == D(2024, 8, 15)
    assert after[("half-year-report", "2024")].status == "已完成" and not after[("half-year-report", "2024")].late
    assert before[("half-year-report", "2024")].late  # 08-06 was late for 07-31
    for k in differ:  # nothing but the deadline (and what follows from it) changed
        fields = {f for f in ("rule_id", "title", "owner", "owner_role", "period", "window_start", "window_end", "evidence")
                  if getattr(before[k], f) != getattr(after[k], f)}
        assert fields == set()


def test_added_rule_adds_its_instances(tmp_path):
    zone = zone_with(tmp_path, RECORDS_2024, """\
        duties:
          - id: quarterly-lecture
            title: 每季度联片上党课
            owner: 轮值单位
            recurrence: 每季度
            activity_kind: 联片党课
            basis: 深化“联片上党课、集中训骨干、联动开党日”等举措
        """)
    added = [s for s in du.evaluate_year(zone, 2024, D(2024, 8, 1)) if s.rule_id == "quarterly-lecture"]
    assert [(s.period, s.status, s.deadline, s.owner) for s in added] == [
        ("2024-Q1", "已完成", D(2024, 3, 31), "beta"),
        ("2024-Q2", "逾期", D(2024, 6, 30), "beta"),
        ("2024-Q3", "待办", D(2024, 9, 30), "beta"),
        ("2024-Q4", "待办", D(2024, 12, 31), "beta"),
    ]
    assert added[0].evidence[0].id == "2024-03-15-dangke"
    without = du.evaluate_year(zone_with(tmp_path / "plain", RECORDS_2024), 2024, D(2024, 8, 1))
    assert len(du.evaluate_year(zone, 2024, D(2024, 8, 1))) == len(without) + 4


def test_disabled_rule_and_due_days_override(tmp_path):
    zone = zone_with(tmp_path, RECORDS_2024, """\
        duties:
          - id: city-plan-report
            enabled: false
          - id: annual-plan
            due_days: 0
        """)
    got = table(s for s in du.evaluate_year(zone, 2024, D(2024, 8, 1)) if s.rule_id in ("city-plan-report", "annual-plan"))
    assert got[("city-plan-report", "2024")] == ("不适用", "2024-03-31", None, False)
    # due_days replaces the built-in deadline as a whole: 0 days after the year ends
    assert got[("annual-plan", "2024")] == ("已完成", "2024-12-31", None, False)


def test_bulletins_only_for_the_duty_units_activities(tmp_path):
    zone = zone_with(tmp_path, {
        "2024-04-02-lead-only": activity("2024-04-02-lead-only", "骨干培训", ["lead"]),
        "2024-04-08-joint": activity("2024-04-08-joint", "联合主题党日", ["alpha", "beta"], end="2024-04-09"),
        "2024-04-20-jianbao": document("2024-04-20-jianbao", "信息简报", number=2, activities=("2024-04-08-joint",)),
    }, """\
        bulletin:
          within_days: 10
        """)
    got = table(s for s in du.evaluate(zone, D(2024, 5, 1)) if s.rule_id == "bulletin")
    assert got == {
        ("bulletin", "2024-03-15-dangke"): ("逾期", "2024-03-25", 37, False),
        # ten days after the last day of a two-day activity; issued on day 11
        ("bulletin", "2024-04-08-joint"): ("已完成", "2024-04-19", 1, True),
    }


def test_archive_from_current_records(tmp_path):
    talents = "resources:\n  - kind: 教案教材\n    name: 党课教案\ntalents:\n  - kind: 宣讲员\n    name: 张三\n"
    units = {}
    for uid in ("lead", "alpha", "beta"):
        units[f"units/{uid}.yaml"] = textwrap.dedent(MINI_ZONE[f"units/{uid}.yaml"]) + talents
    units["units/gamma.yaml"] = textwrap.dedent(MINI_ZONE["units/gamma.yaml"]) + "talents:\n  - kind: 宣讲员\n    name: 李四\n"
    zone = zone_with(tmp_path, extra=units)
    # One instance per member unit. On 2023-06-01 gamma (joined 2024-03-01) is not a member yet: three, all done.
    before_gamma = [s for s in du.evaluate(zone, D(2023, 6, 1)) if s.rule_id == "archive"]
    assert [(s.period, s.status) for s in before_gamma] == [("alpha", "已完成"), ("beta", "已完成"), ("lead", "已完成")]
    assert before_gamma[0].evidence == (du.Evidence("units/alpha.yaml", 8, "alpha"),)
    # gamma is due 90 days after it joined: 2024-03-01 + 90 = 2024-05-30; on 2024-06-01 that is 2 days late, not 368
    # (as when the archive was judged once from the founding date).
    later = [s for s in du.evaluate(zone, D(2024, 6, 1)) if s.rule_id == "archive" and s.period == "gamma"]
    assert [(s.status, s.deadline, s.days_late, s.note, s.period_label) for s in later] == [
        ("逾期", D(2024, 5, 30), 2, "尚缺：党建资源", "丙站（2024-03-01 加入后）")]


def test_a_half_year_for_a_report(tmp_path):
    zone = zone_with(tmp_path, RECORDS_2024)
    half = du.evaluate(zone, D(2024, 8, 10), D(2024, 1, 1), D(2024, 6, 30))
    assert all(D(2024, 1, 1) <= s.deadline <= D(2024, 6, 30) for s in half)
    assert [s.period for s in half if s.rule_id == "monthly-forum"] == [f"2024-{m:02d}" for m in range(1, 7)]
    assert [s.deadline for s in half] == sorted(s.deadline for s in half)


def test_merge_keeps_defaults_and_appends_new_rules():
    over = DutyRule(id="monthly-forum", due_days=10, src=Source("zone.yaml", 40, 5))
    new = DutyRule(id="x-rule", title="新职责", owner="牵头单位", recurrence="每年", document_kind="会议纪要",
                   src=Source("zone.yaml", 50, 5))
    rules = du.merge_rules([over, new])
    assert [r.id for r in rules] == [*du.DEFAULT_IDS, "x-rule"]
    forum = rules[du.DEFAULT_IDS.index("monthly-forum")]
    assert (forum.activity_kind, forum.due_days, forum.title, forum.src) == ("月度党建座谈", 10, "月党建座谈交流", over.src)


def rule(**kw) -> DutyRule:
    base = dict(id="new-rule", title="新职责", owner="轮值单位", recurrence="每年", document_kind="会议纪要")
    base.update(kw)
    return DutyRule(**{k: v for k, v in base.items() if v is not None})


@pytest.mark.parametrize(("bad", "field", "words"), [
    (rule(document_kind=None), "", "没有写明由什么完成"),
    (rule(recurrence="每月", deadline="03-31"), "deadline", "不能写固定的截止日期 03-31"),
    (rule(recurrence="每次活动", deadline="03-31"), "deadline", "不能写固定的截止日期"),
    (rule(deadline="03-31", due_days=5), "deadline", "同时写了 deadline 和 due_days"),
    (rule(id="half-year-reprot", title=None, owner=None, recurrence=None), "id", "不是内置规则"),
    (rule(records="单位资源和人才", document_kind=None), "recurrence", "只能是“一次”"),
    (rule(recurrence="每次活动", document_kind=None, activity_kind="联片党课"), "recurrence", "须写 document_kind"),
    (rule(activity_kind="联片党课"), "document_kind", "无法判断由哪一项完成"),
    (rule(document_kind=None, activity_kind="联片党课", covers="上一期"), "covers", "covers 只用于由文件按期完成的职责"),
    (rule(recurrence="每半年", covers="本年上半年"), "covers", "只用于“每年”的职责"),
    (rule(recurrence="一次", first_due_days=30), "first_due_days", "只用于按期重复的职责"),
    (rule(recurrence="一次", deadline="02-01"), "deadline", "早于协作区成立日期 2023-03-01"),
])
def test_rule_problems(bad, field, words):
    problems = du.rule_problems(bad, D(2023, 3, 1))
    assert len(problems) == 1, problems
    assert problems[0].field == field
    assert words in problems[0].message


def test_typo_of_a_builtin_id_gets_a_hint():
    problem = du.rule_problems(DutyRule(id="half-year-reprot", deadline="08-15"))[0]
    assert problem.hint == "是不是内置规则“half-year-report”？覆盖内置规则时 id 要写对"


def test_no_founding_date_no_duties(tmp_path):
    zone = zone_with(tmp_path)
    from dataclasses import replace
    zone.info = replace(zone.info, established=None)
    assert du.evaluate(zone, D(2024, 1, 1)) == []


@pytest.mark.parametrize(("module", "forbidden"), [
    ("djxz.domain.duties", ["yaml", "ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.load", "djxz.checks",
                            "djxz.app", "djxz.cli", "djxz.edit", "djxz.report"]),
    ("djxz.domain.duty_rules", ["yaml", "ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.load", "djxz.checks",
                                "djxz.app", "djxz.cli", "djxz.edit", "djxz.report", "djxz.domain.rotation"]),
    ("djxz.checks.vocabulary", ["ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.app", "djxz.cli"]),
    ("djxz.app.schemas", ["ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.cli"]),
    ("djxz.checks.duties", ["ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.app", "djxz.cli"]),
    ("djxz.app.status", ["ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.cli"]),
])
def test_layers(module, forbidden):
    import json
    import subprocess
    import sys

    from conftest import ROOT

    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                           cwd=ROOT).stdout))
    assert module in loaded
    assert sorted(f for f in forbidden if f in loaded or any(m.startswith(f + ".") for m in loaded)) == []
