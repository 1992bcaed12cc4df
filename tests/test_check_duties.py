"""DJX115 (a duty rule that cannot work) and DJX201 (a duty overdue this year, --strict only)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from conftest import MINI_ZONE, ROOT, run_cli, write_zone
from djxz.checks import CheckContext, run_checks
from djxz.checks.duties import check_duty_rules, check_overdue_duties
from djxz.load.loader import load_zone


def zone_files(duties: str = "", **extra: str) -> dict[str, str]:
    files = dict(MINI_ZONE)
    files["zone.yaml"] = textwrap.dedent(MINI_ZONE["zone.yaml"]) + textwrap.dedent(duties)
    files.update(extra)
    return files


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def diagnostics(root, *args: str) -> tuple[int, list[dict]]:
    code, out, _ = run_cli("check", "--format", "json", *args, cwd=root)
    return code, json.loads(out)["diagnostics"]


BAD_RULES = """\
    duties:
      - id: monthly-forum
        deadline: 03-31
      - id: half-year-reprot
        deadline: 08-15
      - id: joint-dispatch
        title: 召开工作调度会
        owner: 轮值单位
        recurrence: 每年
      - id: annual-plan
        activity_kind: 月度座谈
      - id: bulletin
        due_days: 5
      - id: bulletin
        due_days: 3
    """


def test_bad_rules_are_errors_with_their_lines(tmp_path):
    files = zone_files(BAD_RULES)
    root = write_zone(tmp_path / "zone", files)
    text = files["zone.yaml"]
    code, diags = diagnostics(root)
    assert code == 1
    got = [(d["line"], d["column"], d["code"], d["message"]) for d in diags]
    assert got == [
        (line_of(text, "deadline: 03-31"), 15, "DJX115", "职责规则“monthly-forum”是“每月”的职责，不能写固定的截止日期 03-31"),
        (line_of(text, "id: half-year-reprot"), 9, "DJX115", "职责规则“half-year-reprot”不是内置规则，作为新规则又缺少 title、owner、recurrence"),
        (line_of(text, "id: joint-dispatch"), 5, "DJX115", "职责规则“joint-dispatch”没有写明由什么完成"),
        # an unknown kind is the schema's error, reported once (the built-in kind stays in force)
        (line_of(text, "activity_kind: 月度座谈"), 20, "DJX014", "“activity_kind”的值“月度座谈”不在允许范围内"),
        (line_of(text, "due_days: 3") - 1, 9, "DJX115", f"职责规则“bulletin”重复（另见 zone.yaml:{line_of(text, 'due_days: 5') - 1}:5）"),
    ]
    assert all(d["path"] == "zone.yaml" for d in diags)
    hints = {d["line"]: d["hint"] for d in diags}
    assert hints[line_of(text, "id: half-year-reprot")] == "是不是内置规则“half-year-report”？覆盖内置规则时 id 要写对"


def test_sound_overrides_and_new_rules_pass(tmp_path):
    root = write_zone(tmp_path / "zone", zone_files("""\
        duties:
          - id: half-year-report
            deadline: 08-15
          - id: monthly-forum
            due_days: 10
          - id: city-plan-report
            enabled: false
          - id: quarterly-lecture
            title: 每季度联片上党课
            owner: 轮值单位
            recurrence: 每季度
            activity_kind: 联片党课
        """))
    zone, diags = load_zone(root)
    assert diags == []
    assert list(check_duty_rules(zone, CheckContext(today=dt.date(2026, 11, 26)))) == []


def test_overdue_only_when_strict_and_only_this_year(tmp_path):
    root = write_zone(tmp_path / "zone", zone_files())
    code, diags = diagnostics(root)
    assert (code, diags) == (0, [])
    code, diags = diagnostics(root, "--strict")
    assert code == 1
    assert {d["code"] for d in diags} == {"DJX201"} and {d["severity"] for d in diags} == {"warning"}
    # 2026 (alpha on duty again after beta and gamma): every duty due by 26 November, none of them done
    assert len(diags) == 19
    assert all("截止 2026-" in d["message"] for d in diags)  # earlier years are closed records
    half = [d for d in diags if "年中总结通报" in d["message"]]
    assert half == [{
        "path": "zone.yaml", "line": 0, "column": 0, "severity": "warning", "code": "DJX201",
        "message": "轮值单位甲站的职责“年中总结通报上半年工作”（2026年（报2026年上半年））已逾期 118 天，截止 2026-07-31",
        "hint": "完成后把活动或文件登记到 activities/ 或 documents/；运行 djxz status 查看全部职责",
    }]


def test_overdue_points_at_the_years_plan_or_the_activity(tmp_path):
    root = write_zone(tmp_path / "zone", zone_files(**{
        "plans/2026.yaml": """\
            year: 2026
            duty_unit: alpha
            """,
        "activities/2026/2026-10-09-forum.yaml": """\
            id: 2026-10-09-forum
            date: 2026-10-09
            title: 十月党建座谈
            category: 组织共建
            kind: 月度党建座谈
            hosts:
              - alpha
            summary: 座谈。
            """,
    }))
    zone, diags = load_zone(root)
    assert diags == []
    found = list(check_overdue_duties(zone, CheckContext(today=dt.date(2026, 11, 26), strict=True)))
    assert len(found) == 19  # the October forum is done, but it owes a bulletin (due 10-16): still 19
    places = {(d.src.path, d.src.line) for d in found}
    assert places == {("plans/2026.yaml", 1), ("activities/2026/2026-10-09-forum.yaml", 1)}
    bulletin = next(d for d in found if d.src.path.startswith("activities/"))
    assert bulletin.message == "轮值单位甲站的职责“编发活动信息简报”（2026-10-09 十月党建座谈）已逾期 41 天，截止 2026-10-16"
    assert not list(check_overdue_duties(zone, CheckContext(today=dt.date(2026, 11, 26), strict=False)))


def test_djx201_is_left_out_of_a_plain_run(tmp_path):
    root = write_zone(tmp_path / "zone", zone_files())
    zone, _ = load_zone(root)
    plain = run_checks(zone, CheckContext(today=dt.date(2026, 11, 26)))
    strict = run_checks(zone, CheckContext(today=dt.date(2026, 11, 26), strict=True))
    assert [d for d in plain if d.code == "DJX201"] == []
    assert len([d for d in strict if d.code == "DJX201"]) == 19


# -- the example zone ------------------------------------------------------------------------------------------------

EXAMPLE = ROOT / "data"


def test_example_is_clean_under_strict_at_the_suites_date():
    code, out, err = run_cli("check", "--zone", str(EXAMPLE), "--strict")
    assert (code, err) == (0, "")
    assert out.strip().endswith("0 个错误，0 个警告")


def test_example_a_year_earlier_has_two_overdue_duties():
    code, out, _ = run_cli("check", "--zone", str(EXAMPLE), "--strict", "--as-of", "2025-11-26", "--format", "json")
    assert code == 1
    overdue = [d for d in json.loads(out)["diagnostics"] if d["code"] == "DJX201"]
    assert [(d["path"].split("data/", 1)[1], d["line"], d["severity"], d["message"]) for d in overdue] == [
        ("activities/2025/2025-09-17-qing70-shuhua-sheying-zhan.yaml", 2, "warning",
         "轮值单位察布查尔站的职责“编发活动信息简报”（2025-09-17 庆祝自治区成立70周年书画摄影作品联展）已逾期 59 天，截止 2025-09-28"),
        ("plans/2025.yaml", 3, "warning",
         "轮值单位察布查尔站的职责“月党建座谈交流”（2025年10月）已逾期 26 天，截止 2025-10-31"),
    ]
    # the same day without --strict: overdue duties are not check's business
    code, out, _ = run_cli("check", "--zone", str(EXAMPLE), "--as-of", "2025-11-26", "--format", "json")
    assert [d for d in json.loads(out)["diagnostics"] if d["code"] == "DJX201"] == []


def test_example_past_years_are_closed_records():
    # 2026-01-05: the October 2025 forum and the September bulletin are still missing, but 2025 is closed
    code, out, _ = run_cli("check", "--zone", str(EXAMPLE), "--strict", "--as-of", "2026-01-05", "--format", "json")
    assert [d for d in json.loads(out)["diagnostics"] if d["code"] == "DJX201"] == []
