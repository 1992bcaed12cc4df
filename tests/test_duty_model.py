"""The duty model as the plan means it (issue 17): adjustments, closed years, the zone's vocabulary, the plan's two
readings, leading-group bounds, duty ③, stage reports, the founding year, dates in order, the per-unit archive.

Every zone here is the mini zone of conftest (founded 2023-03-01; alpha on duty in 2023, beta in 2024, gamma joins
2024-03-01) with a few records added; the expected answers are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import pytest

from djxz.app.diff import DUTY_ADJUSTED, diff_zones
from djxz.domain import duties as du
from djxz.domain.workdays import WorkdayCalendar
from djxz.domain.yearplan import draft_items
from djxz.load.loader import load_zone
from djxz.report.context import build_plan_context
from conftest import MINI_ZONE, run_cli, write_zone

D = dt.date

FORUM_EXEMPT = """\
    year: 2024
    duty_unit: beta
    adjustments:
      - duty: monthly-forum
        period: '2024-03'
        action: 免于
        reason: 全国两会安保任务
        approved_by: 协作区领导小组
    """


def activity(act_id: str, kind: str, hosts: list[str], category: str = "组织共建") -> str:
    lines = [f"id: {act_id}", f"date: {act_id[:10]}", f"title: {kind}{act_id[:10]}", f"category: {category}",
             f"kind: {kind}", "hosts:", *[f"  - {h}" for h in hosts], "summary: 测试活动。"]
    return "\n".join(lines) + "\n"


def document(doc_id: str, kind: str, activities: tuple[str, ...] = (), number: int | None = None,
             period: str | None = None) -> str:
    lines = [f"id: {doc_id}", f"kind: {kind}", f"title: {kind}", f"date: {doc_id[:10]}"]
    lines += [f"number: {number}"] if number else []
    lines += [f"period: '{period}'"] if period else []
    lines += ["activities:", *[f"  - {a}" for a in activities]] if activities else []
    return "\n".join(lines) + "\n"


def make_zone(tmp_path: Path, files: dict[str, str] | None = None, zone_yaml: str = "", name: str = "zone") -> Path:
    all_files = dict(MINI_ZONE)
    all_files["zone.yaml"] = textwrap.dedent(MINI_ZONE["zone.yaml"]) + textwrap.dedent(zone_yaml)
    all_files.update({k: textwrap.dedent(v) for k, v in (files or {}).items()})
    return write_zone(tmp_path / name, all_files)


def loaded(root: Path):
    zone, diags = load_zone(root)
    assert [d for d in diags if d.severity == "error"] == []
    return zone


def status(root: Path, *args: str) -> dict:
    code, out, err = run_cli("status", "--zone", str(root), "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def duty(data: dict, rule: str, period: str) -> dict:
    return next(d for d in data["duties"] if d["rule"] == rule and d["period"] == period)


def check(root: Path, *args: str) -> tuple[int, list[dict]]:
    code, out, err = run_cli("check", "--zone", str(root), "--format", "json", *args)
    return code, json.loads(out)["diagnostics"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("DJXZ_TODAY", "2026-12-01")


# -- adjustments --------------------------------------------------------------------------------------------------------


def test_exempted_month_shows_the_reason_and_is_not_overdue(tmp_path, monkeypatch):
    root = make_zone(tmp_path, {"plans/2024.yaml": FORUM_EXEMPT})
    data = status(root, "--as-of", "2024-05-01")
    # No forum was held in 2024. March is exempted: 已免除 with the reason; April (due 04-30) is 1 day overdue.
    march = duty(data, "monthly-forum", "2024-03")
    assert (march["status"], march["status_code"], march["days_late"]) == ("已免除", "exempt", None)
    assert (march["adjustment"], march["reason"], march["approved_by"]) == ("免于", "全国两会安保任务", "协作区领导小组")
    april = duty(data, "monthly-forum", "2024-04")
    assert (april["status"], april["days_late"], april["reason"]) == ("逾期", 1, None)
    assert data["summary"]["exempt"] == 1
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli("status", "--zone", str(root), "--as-of", "2024-05-01")
    row = next(line for line in out.splitlines() if "2024年3月" in line)
    assert "已免除" in row and "协作区领导小组批准免于：全国两会安保任务" in row and "逾期" not in row
    assert "已免除 1" in out


def test_postponed_month_has_its_new_deadline(tmp_path):
    plan = FORUM_EXEMPT.replace("action: 免于", "action: 顺延\n        to: 2024-05-15")
    root = make_zone(tmp_path, {"plans/2024.yaml": plan})
    # March's forum moves from 03-31 to 05-15: on 05-01 it is 14 days away, within the 14-day reminder window.
    march = duty(status(root, "--as-of", "2024-05-01"), "monthly-forum", "2024-03")
    assert (march["status"], march["deadline"], march["original_deadline"], march["days_left"]) == (
        "即将到期", "2024-05-15", "2024-03-31", 14)
    assert march["reason"] == "全国两会安保任务" and "批准顺延至 2024-05-15" in march["note"]
    # A forum held on 05-10 fulfils it on time against the new deadline.
    root2 = make_zone(tmp_path, {"plans/2024.yaml": plan, "activities/2024/2024-05-10-zuotan.yaml":
                                 activity("2024-05-10-zuotan", "月度党建座谈", ["beta"])}, name="zone2")
    zone = loaded(root2)
    inst = next(s for s in du.evaluate(zone, D(2024, 5, 20)) if s.rule_id == "monthly-forum" and s.period == "2024-03")
    assert (inst.status, inst.late, inst.adjustment.reason) == ("已完成", False, "全国两会安保任务")


def test_check_validates_adjustments_with_did_you_mean(tmp_path):
    plan = """\
        year: 2024
        duty_unit: beta
        adjustments:
          - duty: monthly-forun
            period: '2024-03'
            action: 免于
            reason: 安保任务
            approved_by: 协作区领导小组
          - duty: bulletin
            period: 2024-03-15-dangk
            action: 顺延
            reason: 安保任务
            approved_by: 协作区领导小组
          - duty: monthly-forum
            period: '2024'
            action: 免于
            to: 2024-05-01
            reason: 安保任务
            approved_by: 协作区领导小组
        """
    code, diags = check(make_zone(tmp_path, {"plans/2024.yaml": plan}))
    got = [(d["line"], d["column"], d["code"], d["hint"]) for d in diags]
    assert code == 1
    assert (4, 11, "DJX119", "是不是“monthly-forum”？") in got  # the duty id's typo
    assert (10, 13, "DJX119", "是不是“2024-03-15-dangke”？") in got  # an activity id for a per-activity duty
    assert any(d["line"] == 11 and "顺延须写明新的截止日期 to" in d["message"] for d in diags)
    assert any(d["line"] == 15 and "不是月期次" in d["message"] for d in diags)  # 2024 is no month
    assert any(d["line"] == 17 and "免于不需要" in d["message"] for d in diags)
    assert len(diags) == 5
    assert all(d["path"].endswith("plans/2024.yaml") for d in diags)
    wrong_action = "year: 2025\nduty_unit: gamma\nadjustments:\n  - duty: monthly-forum\n    period: '2025-04'\n" \
                   "    action: 免掉\n    reason: 安保任务\n    approved_by: 协作区领导小组\n"
    code, diags = check(make_zone(tmp_path, {"plans/2025.yaml": wrong_action}, name="action"))
    assert (code, [(d["line"], d["code"], d["hint"].split("？")[0]) for d in diags]) == (1, [(6, "DJX014", "是不是“免于”")])


def test_diff_explains_an_added_adjustment(tmp_path):
    old = loaded(make_zone(tmp_path, {"plans/2024.yaml": "year: 2024\nduty_unit: beta\n"}, name="old"))
    new = loaded(make_zone(tmp_path, {"plans/2024.yaml": FORUM_EXEMPT}, name="new"))
    warnings = [w for w in diff_zones(old, new).warnings if w.code == DUTY_ADJUSTED]
    assert [w.message for w in warnings] == [
        "职责“月党建座谈交流”（monthly-forum）的 2024-03 免于，原因：全国两会安保任务（协作区领导小组批准）；该期不再显示为逾期"]
    assert (warnings[0].src.path, warnings[0].src.line) == ("plans/2024.yaml", 4)
    assert [w for w in diff_zones(new, new).warnings if w.code == DUTY_ADJUSTED] == []


# -- closed years -------------------------------------------------------------------------------------------------------


def test_a_closed_year_shows_no_running_day_count(tmp_path, monkeypatch):
    root = make_zone(tmp_path)
    data = status(root, "--year", "2025", "--as-of", "2026-12-01")
    # Nothing was held in 2025: January's forum (due 2025-01-31) is 逾期, but the year has ended, so it is closed
    # and has no day count (it would be 669 days and growing).
    jan = duty(data, "monthly-forum", "2025-01")
    assert (jan["status"], jan["status_code"], jan["closed"], jan["days_late"]) == ("逾期", "overdue", True, None)
    assert all(d["closed"] for d in data["duties"] if d["status_code"] == "overdue")
    # 2026 seen from 2026-12-01 is still open: November's forum (due 11-30) is 1 day late and counting.
    nov = duty(status(root, "--year", "2026", "--as-of", "2026-12-01"), "monthly-forum", "2026-11")
    assert (nov["closed"], nov["days_late"]) == (False, 1)
    monkeypatch.setenv("COLUMNS", "200")
    _, out, _ = run_cli("status", "--zone", str(root), "--year", "2025", "--as-of", "2026-12-01")
    row = next(line for line in out.splitlines() if "2025年1月" in line)
    assert "未完成" in row and "2025-01-31" in row and "天" not in row.split("2025-01-31")[1].split("活动")[0]
    assert not re.search(r"逾期 \d+ 天", out)


# -- vocabulary ---------------------------------------------------------------------------------------------------------

VOCAB = """\
    vocabulary:
      activity_kinds: [专题教育]
      resource_kinds: [学习资料库]
    duties:
      - id: topic-education
        title: 每半年开展专题教育
        owner: 轮值单位
        recurrence: 每半年
        activity_kind: 专题教育
    """


def test_vocabulary_accepts_a_new_kind_and_rules_may_name_it(tmp_path):
    act = activity("2024-04-10-zhuanti", "专题教育", ["beta"], "教育共抓")
    root = make_zone(tmp_path, {"activities/2024/2024-04-10-zhuanti.yaml": act}, VOCAB)
    code, diags = check(root)
    assert (code, diags) == (0, [])
    # The zone's own rule counts the new kind: 2024-H1 done by the 04-10 activity; 2024-H2 still open on 2024-12-01.
    data = status(root, "--year", "2024", "--as-of", "2024-12-01")
    assert duty(data, "topic-education", "2024-H1")["status"] == "已完成"
    assert duty(data, "topic-education", "2024-H2")["status"] == "待办"  # due 12-31: 30 days away


def test_a_kind_typo_gets_did_you_mean_against_both_lists(tmp_path):
    act = activity("2024-04-10-zhuanti", "专提教育", ["beta"], "教育共抓")
    root = make_zone(tmp_path, {"activities/2024/2024-04-10-zhuanti.yaml": act}, VOCAB)
    code, diags = check(root)
    assert code == 1
    assert [(d["code"], d["line"], d["hint"].split("？")[0]) for d in diags] == [("DJX014", 5, "是不是“专题教育”")]
    assert "vocabulary.activity_kinds" in diags[0]["hint"]
    # Without the vocabulary the same word is an error too (the built-in list only).
    code, diags = check(make_zone(tmp_path, {"activities/2024/2024-04-10-zhuanti.yaml": act.replace("专提", "专题")},
                                  name="plain"))
    assert code == 1 and [d["code"] for d in diags] == ["DJX014"]


def test_schema_with_zone_includes_the_vocabulary(tmp_path):
    root = make_zone(tmp_path, zone_yaml=VOCAB)
    code, _, err = run_cli("schema", "--zone", str(root), "-o", str(tmp_path / "s"))
    assert code == 0, err
    act = json.loads((tmp_path / "s" / "activity.schema.json").read_text(encoding="utf-8"))
    kinds = act["properties"]["kind"]["enum"]
    assert kinds[-1] == "专题教育" and "月度党建座谈" in kinds
    unit = json.loads((tmp_path / "s" / "unit.schema.json").read_text(encoding="utf-8"))
    assert "学习资料库" in json.dumps(unit, ensure_ascii=False)


# -- the plan's two readings --------------------------------------------------------------------------------------------

LEAD_ONLY = {"activities/2024/2024-04-02-peixun.yaml": activity("2024-04-02-peixun", "骨干培训", ["lead"])}


def test_bulletin_scope_all_activities(tmp_path):
    def bulletins(root):
        return {d["period"]: d["deadline"] for d in status(root, "--as-of", "2024-05-01")["duties"] if d["rule"] == "bulletin"}

    # Default (轮值单位主办): only beta's (the 2024 duty unit) 03-15 lecture needs one, due 7 days later.
    assert bulletins(make_zone(tmp_path, LEAD_ONLY)) == {"2024-03-15-dangke": "2024-03-22"}
    # 全部活动: the lead unit's 04-02 training of the duty period needs one too, due 04-09.
    wide = make_zone(tmp_path, LEAD_ONLY, "duties:\n  - id: bulletin\n    scope: 全部活动\n", name="wide")
    assert bulletins(wide) == {"2024-03-15-dangke": "2024-03-22", "2024-04-02-peixun": "2024-04-09"}


def test_annual_report_by_the_outgoing_unit(tmp_path):
    # The 2024 report on 2023: by default beta (on duty in 2024) owes it; read the other way, alpha (2023's unit).
    assert duty(status(make_zone(tmp_path), "--as-of", "2024-05-01"), "annual-report", "2024")["owner"]["id"] == "beta"
    outgoing = make_zone(tmp_path, zone_yaml="duties:\n  - id: annual-report\n    report_by: 上一年度轮值单位\n", name="out")
    assert duty(status(outgoing, "--as-of", "2024-05-01"), "annual-report", "2024")["owner"]["id"] == "alpha"
    # The plan drafted by `djxz rotate` agrees with status: its 2024 report item is alpha's too.
    zone = loaded(outgoing)
    items = draft_items(zone, 2024, du.usable_rules(zone), WorkdayCalendar(zone.holidays))
    assert [i.host for i in items if i.rule_id == "annual-report"] == ["alpha"]


# -- leading group ------------------------------------------------------------------------------------------------------

FOUR_DEPUTIES = textwrap.dedent(MINI_ZONE["zone.yaml"]).replace(
    "  deputies:\n    - name: 李四\n      unit: alpha\n",
    "  deputies:\n" + "".join(f"    - name: 副组长{u}\n      unit: {u}\n" for u in ("lead", "alpha", "beta", "gamma")))


def test_four_deputies_one_per_unit_pass_check(tmp_path):
    root = write_zone(tmp_path / "zone", {**MINI_ZONE, "zone.yaml": FOUR_DEPUTIES})
    assert FOUR_DEPUTIES.count("副组长") == 4
    # The default reading is per unit (each at most 3): four units with one each pass, even with --strict.
    assert [d["code"] for d in check(root, "--strict")[1] if d["code"] == "DJX104"] == []
    assert check(root) == (0, [])
    # Read as zone totals (at most 3), four is a warning under --strict only, never an error.
    whole = textwrap.dedent(FOUR_DEPUTIES) + "leading_group_bounds:\n  per: 全协作区\n"
    root2 = write_zone(tmp_path / "zone2", {**MINI_ZONE, "zone.yaml": whole})
    assert check(root2) == (0, [])
    strict = [d for d in check(root2, "--strict")[1] if d["code"] == "DJX104"]
    assert [(d["severity"], d["line"]) for d in strict] == [("warning", 14)]  # the list under `deputies:`
    assert "多于 3 名" in strict[0]["message"]


# -- duty ③ and stage reports -------------------------------------------------------------------------------------------


def test_a_superiors_deployment_creates_a_meeting_duty(tmp_path):
    files = {
        "documents/2024/2024-05-10-bushu.yaml": document("2024-05-10-bushu", "上级部署"),
        "activities/2024/2024-05-20-diaodu.yaml": activity("2024-05-20-diaodu", "工作调度会", ["beta"]),
        "documents/2024/2024-06-01-bushu2.yaml": document("2024-06-01-bushu2", "上级部署"),
    }
    data = status(make_zone(tmp_path, files), "--as-of", "2024-07-01")
    # 05-10 deployment: a 调度会 on 05-20, within the default 15 days (due 05-25). The 06-01 one: due 06-16, the
    # only meeting after it is none, so on 07-01 it is 15 days overdue; beta (on duty) owes both.
    first, second = duty(data, "deployment-meeting", "2024-05-10-bushu"), duty(data, "deployment-meeting", "2024-06-01-bushu2")
    assert (first["status"], first["deadline"], first["evidence"][0]["id"]) == ("已完成", "2024-05-25", "2024-05-20-diaodu")
    assert (second["status"], second["deadline"], second["days_late"], second["owner"]["id"]) == ("逾期", "2024-06-16", 15, "beta")
    assert "联席会议或工作调度会" in second["requirement"]


def test_stage_reports_to_the_city_are_counted(tmp_path):
    files = {"documents/2024/2024-09-01-jieduan.yaml": document("2024-09-01-jieduan", "向市委报送专项报告")}
    data = status(make_zone(tmp_path, files), "--as-of", "2024-10-01")
    assert data["city_reports"] == {"向市委报送计划": 0, "向市委报送总结": 0, "向市委报送专项报告": 1}


# -- founding year, dates in order, archive -----------------------------------------------------------------------------


def test_founding_year_plan_names_the_rotation_order(tmp_path):
    zone = loaded(make_zone(tmp_path))
    ctx = build_plan_context(zone, 2023, D(2023, 3, 10))
    # alpha and beta joined on the founding day 2023-03-01 (not by 1 January); gamma joins only in 2024.
    assert "、".join(ctx["rotation_order"]) == "甲站、乙站"
    # A founding-year plan drafted from the rules has no item for a duty that status marks 不适用 (the year-start
    # meeting, the report and the city summary on 2022), and every drafted duty appears in status as applicable.
    items = draft_items(zone, 2023, du.usable_rules(zone), WorkdayCalendar(zone.holidays))
    not_applicable = {s.rule_id for s in du.evaluate_year(zone, 2023, D(2023, 3, 10)) if s.status == du.NOT_APPLICABLE}
    assert not_applicable == {"annual-joint-meeting", "annual-report", "city-summary-report"}
    assert items and not {i.rule_id for i in items} & not_applicable


def test_bulletin_date_before_the_activity_is_refused(tmp_path):
    root = make_zone(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run_cli("bulletin", "--zone", str(root), "2024-03-15-dangke", "--date", "2024-03-10",
                                "-f", "md", "-o", str(out))
    assert code == 1 and "简报日期 2024-03-10 早于其所报的活动" in err and "不早于 2024-03-15" in err
    assert not out.exists()
    code, _, err = run_cli("bulletin", "--zone", str(root), "2024-03-15-dangke", "--date", "2024-03-15", "-f", "md", "-o", str(out))
    assert code == 0, err


def test_bulletin_record_before_its_activity_is_an_error(tmp_path):
    files = {"documents/2024/2024-03-12-jianbao.yaml": document("2024-03-12-jianbao", "信息简报", ("2024-03-15-dangke",), 1)}
    code, diags = check(make_zone(tmp_path, files))
    # The record's activities.0 (line 7, after `activities:` on line 6) names the 03-15 lecture; the bulletin is 03-12.
    assert code == 1 and [(d["code"], d["line"]) for d in diags] == [("DJX120", 7)]
    assert "早于其所报的活动“联片党课”（2024-03-15）" in diags[0]["message"]


def test_a_plan_may_come_before_its_period(tmp_path):
    files = {"documents/2023/2023-12-20-jihua.yaml": document("2023-12-20-jihua", "年度协作计划", period="2024"),
             "documents/2023/2023-12-20-zongjie.yaml": document("2023-12-20-zongjie", "年度总结通报", period="2024")}
    code, diags = check(make_zone(tmp_path, files))
    assert code == 1 and [(d["code"], d["path"].rsplit("/", 1)[1]) for d in diags] == [("DJX120", "2023-12-20-zongjie.yaml")]


def test_archive_per_unit_from_its_join_date(tmp_path):
    zone = loaded(make_zone(tmp_path))
    got = {s.period: (s.deadline, s.status) for s in du.evaluate(zone, D(2024, 6, 1)) if s.rule_id == "archive"}
    # due_days 90: founding units from 2023-03-01 (-> 05-30, a closed year by now), gamma from 2024-03-01 (-> 05-30).
    assert got == {"alpha": (D(2023, 5, 30), "逾期"), "beta": (D(2023, 5, 30), "逾期"), "lead": (D(2023, 5, 30), "逾期"),
                   "gamma": (D(2024, 5, 30), "逾期")}


def test_the_manual_names_every_rule_with_its_seed_sentence():
    manual = (Path(__file__).resolve().parent.parent / "docs" / "duties.md").read_text(encoding="utf-8")
    for rule in du.DEFAULT_RULES:
        assert f"| {rule.id} | {rule.title} |" in manual, rule.id
        row = next(line for line in manual.splitlines() if line.startswith(f"| {rule.id} |"))
        assert rule.basis in row or row.endswith("| 同上 |"), rule.id
    for option in (*du.SCOPES, *du.REPORTERS, "每单位", "全协作区", "免于", "顺延", "closed", "vocabulary"):
        assert option in manual, option
