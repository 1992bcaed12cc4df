"""`djxz status`: the command, its JSON shape (docs/status.schema.json) and its exit codes, on inline zones."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from conftest import MINI_ZONE, ROOT, run_cli, write_zone

SCHEMA = json.loads((ROOT / "docs" / "status.schema.json").read_text(encoding="utf-8"))

FORUM = """\
    id: {id}
    date: {date}
    title: 党建座谈
    category: 组织共建
    kind: 月度党建座谈
    hosts:
      - alpha
    participants:
      - beta
    summary: 座谈。
    """


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    files = dict(MINI_ZONE)
    for month in ("01", "02"):
        day = f"2024-{month}-12"
        files[f"activities/2024/{day}-forum.yaml"] = FORUM.format(id=f"{day}-forum", date=day)
    files["documents/2024/2024-01-26-nianzong.yaml"] = """\
        id: 2024-01-26-nianzong
        kind: 年度总结通报
        title: 关于2023年度协作区工作情况的通报
        date: 2024-01-26
        period: '2023'
        """
    return write_zone(tmp_path / "zone", files)


def status_json(root: Path, *args: str) -> dict:
    code, out, err = run_cli("status", "--format", "json", *args, cwd=root)
    assert code == 0, err
    return json.loads(out)


def test_json_follows_the_documented_schema(zone):
    data = status_json(zone, "--as-of", "2024-03-10")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (data["as_of"], data["year"], data["unit"]) == ("2024-03-10", 2024, None)
    assert data["on_duty"] == {"id": "beta", "name": "乙站党委", "short_name": "乙站", "period": "2024", "recorded": True}
    assert data["lead_unit"] == {"id": "lead", "name": "测试总站机关党委", "short_name": "总站机关"}
    # 17 to do: gamma joined 2024-03-01, so its archive entry (due 2024-05-30) is one more than the 16 duties of 2024
    assert data["summary"] == {"done": 3, "todo": 17, "due_soon": 0, "overdue": 4, "exempt": 0, "not_applicable": 0}
    report = next(d for d in data["duties"] if d["rule"] == "annual-report")
    assert report == {
        "rule": "annual-report", "title": "年初总结通报上一年工作", "owner_role": "轮值单位",
        "owner": {"id": "beta", "name": "乙站党委", "short_name": "乙站"},
        "recurrence": "每年", "period": "2024", "period_label": "2024年（报2023年）",
        "window": {"start": "2024-01-01", "end": "2024-12-31"}, "deadline": "2024-01-31",
        "status": "已完成", "status_code": "done", "days_left": None, "days_late": None, "late": False,
        "completed_on": "2024-01-26",
        "evidence": [{"path": "documents/2024/2024-01-26-nianzong.yaml", "line": 1, "id": "2024-01-26-nianzong", "date": "2024-01-26"}],
        "note": "", "requirement": "文件：年度总结通报（period: 2023）",
        "closed": False, "adjustment": None, "reason": None, "approved_by": None, "original_deadline": None,
    }
    assert data["categories"] == [
        {"category": "组织共建", "activities": 2}, {"category": "发展共谋", "activities": 0},
        {"category": "文化共育", "activities": 0}, {"category": "教育共抓", "activities": 0},
        {"category": "资源共享", "activities": 0},
    ]
    # gamma joined on 2024-03-01; the dangke on 03-15 is after the as-of date
    assert [(u["id"], u["hosted"], u["took_part"]) for u in data["units"]] == [
        ("alpha", 2, 0), ("beta", 0, 2), ("gamma", 0, 0), ("lead", 0, 0),
    ]


def test_json_is_sorted_and_stable(zone):
    code, first, _ = run_cli("status", "--format", "json", "--as-of", "2024-03-10", cwd=zone)
    _, second, _ = run_cli("status", "--format", "json", "--as-of", "2024-03-10", cwd=zone)
    assert first == second
    data = json.loads(first)
    assert first == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    keys = [(d["deadline"], d["rule"], d["period"]) for d in data["duties"]]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)


def test_text_output(zone, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    code, out, err = run_cli("status", "--as-of", "2024-03-10", cwd=zone)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "测试协作区　2024 年职责（截至 2024-03-10）",
        "牵头单位：测试总站机关党委",
        "轮值单位：乙站党委（2024，已记录）",
    ]
    assert "牵头单位：测试总站机关党委" in lines[4] and "轮值单位：乙站党委" in out
    assert "共 24 项：已完成 3，待办 17，即将到期 0，逾期 4，不适用 0" in lines
    assert "有 4 项职责已逾期。" in lines
    row = next(line for line in lines if "制定成员单位轮值安排" in line)
    assert "逾期 11 天" in row and "2024-02-28" in row


def test_fail_on_overdue(zone):
    assert run_cli("status", "--as-of", "2024-03-10", "--fail-on-overdue", cwd=zone)[0] == 1
    assert run_cli("status", "--as-of", "2024-01-15", "--fail-on-overdue", cwd=zone)[0] == 0
    assert run_cli("status", "--as-of", "2024-03-10", cwd=zone)[0] == 0


def test_unit_filter(zone):
    data = status_json(zone, "--as-of", "2024-03-10", "--unit", "lead")
    assert data["unit"] == "lead"
    assert {d["owner"]["id"] for d in data["duties"]} == {"lead"}
    assert sorted(d["rule"] for d in data["duties"]) == ["annual-joint-meeting", "annual-plan", "archive",
                                                         "rotation-arrangement"]  # archive: gamma joined in 2024
    assert [u["id"] for u in data["units"]] == ["lead"]
    assert sum(c["activities"] for c in data["categories"]) == 0  # lead took part in nothing


def test_another_year(zone):
    data = status_json(zone, "--year", "2023")
    assert data["on_duty"]["id"] == "alpha" and data["on_duty"]["period"] == "2023"
    na = sorted(d["rule"] for d in data["duties"] if d["status"] == "不适用")
    assert na == ["annual-joint-meeting", "annual-report", "city-summary-report"]
    assert all(d["deadline"].startswith("2023-") for d in data["duties"])


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--as-of", "2024-13-01"), 2, "--as-of 的日期“2024-13-01”无效"),
    (("--unit", "nobody"), 2, "--unit 指定的单位“nobody”不存在"),
    (("--format", "xml"), 2, "--format 只能是 text、json"),
])
def test_usage_errors(zone, args, code, words):
    got, out, err = run_cli("status", *args, cwd=zone)
    assert got == code and words in err and out == ""


def test_refuses_a_zone_with_errors(tmp_path):
    files = dict(MINI_ZONE)
    files["zone.yaml"] = textwrap.dedent(MINI_ZONE["zone.yaml"]) + "duties:\n  - id: monthly-forum\n    deadline: 03-31\n"
    root = write_zone(tmp_path / "zone", files)
    code, out, err = run_cli("status", cwd=root)
    assert code == 1 and out == ""
    assert "协作区数据有 1 个错误" in err and "不能写固定的截止日期" in err


# -- the example zone (data/): statuses on named dates, against tables written by hand ------------------------------

EXAMPLE = ROOT / "data"


def example_status(as_of: str, *args: str, zone: Path = EXAMPLE) -> dict:
    code, out, err = run_cli("status", "--zone", str(zone), "--format", "json", "--as-of", as_of, *args)
    assert code == 0, err
    return json.loads(out)


def rows(data: dict, rules: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> dict[tuple[str, str], tuple]:
    """(rule, period) -> (status, deadline, days left or late, done late?)"""
    out = {}
    for d in data["duties"]:
        if (rules and d["rule"] not in rules) or d["rule"] in skip:
            continue
        days = d["days_left"] if d["days_left"] is not None else d["days_late"]
        out[(d["rule"], d["period"])] = (d["status"], d["deadline"], days, d["late"])
    return out



def done(deadline: str) -> tuple:
    return ("已完成", deadline, None, False)


def test_example_2025_seen_on_26_november_2025():
    data = example_status("2025-11-26")
    assert data["on_duty"]["id"] == "chabuchaer-zhan" and data["on_duty"]["recorded"] is True
    assert rows(data, skip=("bulletin",)) == {
        ("annual-report", "2025"): done("2025-01-31"),
        ("monthly-forum", "2025-01"): done("2025-01-31"),
        ("annual-joint-meeting", "2025"): done("2025-02-28"),
        ("annual-plan", "2025"): done("2025-02-28"),
        ("rotation-arrangement", "2025"): done("2025-02-28"),
        ("monthly-forum", "2025-02"): done("2025-02-28"),
        ("city-summary-report", "2025"): done("2025-02-28"),
        ("monthly-forum", "2025-03"): done("2025-03-31"),
        ("city-plan-report", "2025"): done("2025-03-31"),
        ("monthly-forum", "2025-04"): done("2025-04-30"),
        ("monthly-forum", "2025-05"): done("2025-05-31"),
        ("monthly-forum", "2025-06"): done("2025-06-30"),
        ("development-meeting", "2025-H1"): done("2025-06-30"),
        ("summary-meeting", "2025-H1"): done("2025-06-30"),
        ("half-year-report", "2025"): done("2025-07-31"),
        ("monthly-forum", "2025-07"): done("2025-07-31"),
        ("monthly-forum", "2025-08"): done("2025-08-31"),
        ("monthly-forum", "2025-09"): done("2025-09-30"),
        ("monthly-forum", "2025-10"): ("逾期", "2025-10-31", 26, False),  # no forum in October 2025
        ("monthly-forum", "2025-11"): done("2025-11-30"),
        ("monthly-forum", "2025-12"): ("待办", "2025-12-31", 35, False),
        ("development-meeting", "2025-H2"): done("2025-12-31"),
        ("summary-meeting", "2025-H2"): ("待办", "2025-12-31", 35, False),  # held on 12-17
    }
    # every activity the duty unit hosted owes a bulletin within 7 days of its last day
    assert rows(data, ("bulletin",)) == {
        ("bulletin", "2025-01-15-xinchun-songfu"): done("2025-01-22"),
        ("bulletin", "2025-02-19-yuedu-zuotan"): done("2025-02-26"),
        ("bulletin", "2025-03-19-baxiang-guiding-diaodu"): done("2025-03-26"),
        ("bulletin", "2025-04-15-guojia-anquan-jiaoyu"): done("2025-04-22"),
        ("bulletin", "2025-04-24-xiqian-zhanguan-jidi"): done("2025-05-01"),
        ("bulletin", "2025-05-06-qingnian-weidangke-dasai"): done("2025-05-13"),
        ("bulletin", "2025-05-21-fazhan-lianxihui"): done("2025-05-28"),
        ("bulletin", "2025-06-25-bannian-zongjie-bushu"): done("2025-07-02"),
        ("bulletin", "2025-06-27-qiyi-chongzou-xiqianlu"): done("2025-07-04"),
        ("bulletin", "2025-07-22-qingnuan-bianguan-xing"): done("2025-08-01"),
        ("bulletin", "2025-08-20-qipaiqiu-bisai"): done("2025-08-27"),
        ("bulletin", "2025-09-10-yuedu-zuotan"): done("2025-09-17"),
        # the exhibition ran 09-17 to 09-21 and never got its bulletin
        ("bulletin", "2025-09-17-qing70-shuhua-sheying-zhan"): ("逾期", "2025-09-28", 59, False),
        ("bulletin", "2025-09-24-anbao-gongzuo-diaodu"): done("2025-10-01"),
        ("bulletin", "2025-11-12-fazhan-lianxihui"): done("2025-11-19"),
        ("bulletin", "2025-11-18-sizhong-quanhui-xuanjiang"): done("2025-11-27"),
    }
    assert data["summary"] == {"done": 35, "todo": 2, "due_soon": 0, "overdue": 2, "exempt": 0, "not_applicable": 0}
    two_in_one = [d for d in data["duties"] if d["rule"] == "bulletin" and d["period"].startswith("2025-06-2")]
    assert [e["id"] for d in two_in_one for e in d["evidence"]] == ["2025-06-30-jianbao-di8qi"] * 2
    assert [e["line"] for d in two_in_one for e in d["evidence"]] == [10, 11]  # each activity's own line in the bulletin


def test_example_2025_lacks_a_forum_in_its_second_half():
    data = example_status("2026-11-26", "--year", "2025")
    second_half = {p: s for (r, p), (s, *_) in rows(data, ("monthly-forum",)).items() if p >= "2025-07"}
    assert second_half == {"2025-07": "已完成", "2025-08": "已完成", "2025-09": "已完成", "2025-10": "逾期",
                           "2025-11": "已完成", "2025-12": "已完成"}
    assert [(r, p) for (r, p), v in rows(data).items() if v[0] != "已完成"] == [
        ("bulletin", "2025-09-17-qing70-shuhua-sheying-zhan"), ("monthly-forum", "2025-10"),
    ]


def test_example_2024_half_year_report_late():
    before = example_status("2024-08-01")
    assert rows(before, ("half-year-report",)) == {("half-year-report", "2024"): ("逾期", "2024-07-31", 1, False)}
    assert before["summary"]["overdue"] == 1
    after = example_status("2024-08-10")
    report = next(d for d in after["duties"] if d["rule"] == "half-year-report")
    assert (report["status"], report["late"], report["days_late"], report["completed_on"]) == ("已完成", True, 6, "2024-08-06")
    assert report["evidence"] == [{"path": "documents/2024/2024-08-06-bannian-zongjie-tongbao.yaml", "line": 2,
                                   "id": "2024-08-06-bannian-zongjie-tongbao", "date": "2024-08-06"}]
    assert report["owner"]["id"] == "huocheng-zhan"


def test_example_2026_due_soon_and_clean_at_the_suites_date():
    july = example_status("2026-07-20")
    assert rows(july, ("half-year-report", "summary-meeting")) == {
        ("half-year-report", "2026"): ("即将到期", "2026-07-31", 11, False),  # issued on 07-24
        ("summary-meeting", "2026-H1"): done("2026-06-30"),
        ("summary-meeting", "2026-H2"): ("待办", "2026-12-31", 164, False),
    }
    data = example_status("2026-11-26")
    assert data["on_duty"]["id"] == "zhaosu-zhan"
    assert [(r, p, v[0]) for (r, p), v in rows(data).items() if v[0] != "已完成"] == [
        # the leading group merged December's forum into the half-year meeting (plans/2026.yaml adjustments)
        ("monthly-forum", "2026-12", "已免除"), ("summary-meeting", "2026-H2", "待办"),
    ]
    forum = next(d for d in data["duties"] if (d["rule"], d["period"]) == ("monthly-forum", "2026-12"))
    assert (forum["adjustment"], forum["approved_by"]) == ("免于", "协作区领导小组")
    assert forum["reason"].startswith("12月份党建座谈会与下半年总结部署会合并召开")
    code, _, _ = run_cli("status", "--zone", str(EXAMPLE), "--fail-on-overdue")
    assert code == 0


def test_example_founding_year():
    data = example_status("2023-12-31")
    assert data["on_duty"]["id"] == "yining-zhan"
    assert rows(data, skip=("bulletin", "monthly-forum")) == {
        ("annual-report", "2023"): ("不适用", "2023-01-31", None, False),
        ("annual-joint-meeting", "2023"): ("不适用", "2023-02-28", None, False),
        ("city-summary-report", "2023"): ("不适用", "2023-02-28", None, False),
        ("city-plan-report", "2023"): done("2023-03-31"),
        ("first-joint-meeting", "2023-03-01"): done("2023-04-30"),
        ("annual-plan", "2023"): done("2023-04-30"),
        ("rotation-arrangement", "2023"): done("2023-04-30"),
        # the archive per member unit: the five founding stations and the lead unit, due 90 days after 03-01
        **{("archive", uid): done("2023-05-30") for uid in (
            "chabuchaer-zhan", "huocheng-zhan", "tekesi-zhan", "yining-zhan", "zhaosu-zhan", "zongzhan-jiguan")},
        ("development-meeting", "2023-H1"): done("2023-06-30"),
        ("summary-meeting", "2023-H1"): done("2023-06-30"),
        ("half-year-report", "2023"): done("2023-07-31"),
        ("development-meeting", "2023-H2"): done("2023-12-31"),
        ("summary-meeting", "2023-H2"): done("2023-12-31"),
    }
    forums = rows(data, ("monthly-forum",))
    assert sorted(p for _, p in forums) == [f"2023-{m:02d}" for m in range(3, 13)]
    assert {v[0] for v in forums.values()} == {"已完成"}


def test_example_text_report(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    code, out, err = run_cli("status", "--zone", str(EXAMPLE), "--as-of", "2025-11-26", "--fail-on-overdue")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[:3] == [
        "伊犁河谷基层党建工作联建协作区　2025 年职责（截至 2025-11-26）",
        "牵头单位：伊犁河谷边境管理总站机关",
        "轮值单位：察布查尔边境管理站（2025，已记录）",
    ]
    forum = next(line for line in lines if "2025年10月" in line)
    assert "逾期 26 天" in forum and "活动：月度党建座谈" in forum
    assert "共 39 项：已完成 35，待办 2，即将到期 0，逾期 2，不适用 0" in lines
    assert lines[-1] == "有 2 项职责已逾期。"


def _append_zone(zone: Path, text: str) -> None:
    path = zone / "zone.yaml"
    path.write_text(path.read_text(encoding="utf-8") + textwrap.dedent(text), encoding="utf-8")


def _all_years(zone: Path) -> dict:
    out = {}
    for year in (2023, 2024, 2025, 2026):
        for d in example_status("2026-11-26", "--year", str(year), zone=zone)["duties"]:
            out[(d["rule"], d["period"])] = d
    return out


def test_example_override_changes_exactly_that_deadline(example_zone):
    before = _all_years(example_zone)
    _append_zone(example_zone, """\
        duties:
          - id: half-year-report
            deadline: 08-10
        """)
    after = _all_years(example_zone)
    assert before.keys() == after.keys()
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == [("half-year-report", y) for y in ("2023", "2024", "2025", "2026")]
    for key in changed:
        diff = {f for f in before[key] if before[key][f] != after[key][f]}
        assert diff <= {"deadline", "late", "days_late"}, diff
        assert after[key]["deadline"] == f"{key[1]}-08-10"
    # 2024's report of 08-06 was six days late for 07-31, and is on time for 08-10
    assert (before[("half-year-report", "2024")]["late"], after[("half-year-report", "2024")]["late"]) == (True, False)


def test_example_added_rule_adds_its_instances(example_zone):
    before = _all_years(example_zone)
    _append_zone(example_zone, """\
        duties:
          - id: quarterly-dangke
            title: 每季度联片上党课
            owner: 轮值单位
            recurrence: 每季度
            activity_kind: 联片党课
            basis: 深化“联片上党课、集中训骨干、联动开党日”等举措
        """)
    after = _all_years(example_zone)
    added = sorted(set(after) - set(before))
    assert set(before) <= set(after)
    assert added == [("quarterly-dangke", f"{y}-Q{q}") for y in (2023, 2024, 2025, 2026) for q in (1, 2, 3, 4)]
    assert after[("quarterly-dangke", "2023-Q1")]["evidence"][0]["id"] == "2023-03-30-lianpian-dangke"
    assert all(before[k] == after[k] for k in before)


def test_example_bad_rule_is_a_check_error_with_its_line(example_zone):
    lines = (example_zone / "zone.yaml").read_text(encoding="utf-8").count("\n")
    _append_zone(example_zone, """\
        duties:
          - id: development-meeting
            deadline: 06-30
        """)
    code, out, _ = run_cli("check", "--zone", str(example_zone), "--format", "json")
    assert code == 1
    [diag] = json.loads(out)["diagnostics"]
    assert (diag["path"].endswith("zone.yaml"), diag["line"], diag["column"], diag["code"]) == (True, lines + 3, 15, "DJX115")
    assert diag["message"] == "职责规则“development-meeting”是“每半年”的职责，不能写固定的截止日期 06-30"
    code, _, err = run_cli("status", "--zone", str(example_zone))
    assert code == 1 and "请先运行 djxz check 修正" in err


def test_status_command_stays_light(zone):
    """`djxz status` runs without git, docx, jinja2, openpyxl, icalendar or ruamel."""
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from djxz.cli import main\n"
        "try:\n    main(['status', '--zone', sys.argv[1], '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(zone)], capture_output=True, text=True, cwd=zone)
    assert json.loads(out.stdout)["year"] == 2026
    loaded = set(json.loads(out.stderr.strip().splitlines()[-1]))
    heavy = ("git", "docx", "docxtpl", "jinja2", "openpyxl", "icalendar", "ruamel")
    assert sorted(h for h in heavy if h in loaded or any(m.startswith(h + ".") for m in loaded)) == []
