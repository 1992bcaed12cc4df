"""The three lists and 督办 on the hand-built zone of tests/lists_zone.py: derived state, checks, status, lists, new, diff."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, run_cli
from lists_zone import lists_zone

SCHEMA = json.loads((ROOT / "docs" / "lists.schema.json").read_text(encoding="utf-8"))
AS_OF = "2024-06-30"


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    return lists_zone(tmp_path / "zone")


def _write(zone: Path, rel: str, text: str) -> None:
    path = zone / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def _load(zone: Path):
    from djxz.load.loader import load_zone

    loaded, diags = load_zone(zone)
    assert [d for d in diags if d.severity == "error"] == []
    return loaded


CLAIM = """\
    id: 2024-05-01-lanqiu
    title: 借用甲站篮球馆
    category: 文化共育
    need: {need}
    lead: alpha
    agreed: 2024-05-01
    due: {due}
    milestones:
      - title: 第一场
        due: 2024-05-31
        done_by: 2024-05-20-huitoukan
      - title: 第二场
        due: 2024-06-20
    """


# ---------------------------------------------------------------- derived state

def test_need_states_follow_the_projects(zone: Path) -> None:
    from djxz.domain.lists import need_states

    def states() -> dict[str, str]:
        return {s.need.id: s.status for s in need_states(_load(zone))}

    assert states() == {"2024-04-01-changdi": "开放", "2024-04-02-xuanjiang": "开放", "2024-04-03-chexiao": "已撤回"}
    _write(zone, "projects/2024/2024-05-01-lanqiu.yaml", CLAIM.format(need="2024-04-01-changdi", due="2024-12-31"))
    assert states()["2024-04-01-changdi"] == "已认领"  # named by a project whose last milestone (第二场) is not done
    text = (zone / "projects/2024/2024-05-01-lanqiu.yaml").read_text(encoding="utf-8")
    (zone / "projects/2024/2024-05-01-lanqiu.yaml").write_text(text + "    done_by: 2024-05-20-huitoukan\n", encoding="utf-8")
    assert states()["2024-04-01-changdi"] == "已解决"  # the last milestone is done


def test_decision_states_on_a_day(zone: Path) -> None:
    from djxz.domain.lists import decision_states, open_items

    loaded = _load(zone)
    # shebei due 05-31 (alpha), peixun due 09-30 (beta), dangan due 08-31 resolved on 05-20 by 2024-05-20-huitoukan.
    on = {d.key: (d.status, d.days_overdue) for d in decision_states(loaded, dt.date(2024, 6, 30))}
    assert on == {"2024-04-10-fazhan#shebei": ("逾期", 30), "2024-04-10-fazhan#peixun": ("办理中", 0),
                  "2024-04-10-fazhan#dangan": ("已办结", 0)}
    # Before the 回头看 meeting, dangan was still open; on 05-31 shebei was due that day, not late.
    early = {d.key: d.status for d in decision_states(loaded, dt.date(2024, 5, 31))}
    assert early["2024-04-10-fazhan#dangan"] == "已办结" and early["2024-04-10-fazhan#shebei"] == "办理中"
    assert {d.key: d.status for d in decision_states(loaded, dt.date(2024, 5, 19))}["2024-04-10-fazhan#dangan"] == "办理中"
    items = open_items(loaded, dt.date(2024, 6, 30))
    assert [d.key for d in items.decisions] == ["2024-04-10-fazhan#shebei", "2024-04-10-fazhan#peixun"]
    assert [d.key for d in items.overdue] == ["2024-04-10-fazhan#shebei"]
    assert [s.need.id for s in items.needs] == ["2024-04-01-changdi", "2024-04-02-xuanjiang"]


# ---------------------------------------------------------------- checks

def _check(zone: Path) -> tuple[int, str]:
    code, out, err = run_cli("check", "--zone", str(zone))
    return code, out + err


def test_the_hand_built_zone_checks_clean(zone: Path) -> None:
    code, out = _check(zone)
    assert code == 0, out


def test_a_project_naming_an_unknown_need_fails_with_its_position(zone: Path) -> None:
    _write(zone, "projects/2024/2024-05-01-lanqiu.yaml", CLAIM.format(need="2024-04-01-changdii", due="2024-12-31"))
    code, out = _check(zone)
    assert code == 1
    # `need:` is line 4 of the file; its value starts at column 7.
    assert ("projects/2024/2024-05-01-lanqiu.yaml:4:7: 错误[DJX121] 项目对应的需求“2024-04-01-changdii”不存在"
            "（提示：是不是“2024-04-01-changdi”？）") in out


def test_due_before_agreed_and_a_withdrawn_need(zone: Path) -> None:
    _write(zone, "projects/2024/2024-05-01-lanqiu.yaml", CLAIM.format(need="2024-04-03-chexiao", due="2024-04-30"))
    code, out = _check(zone)
    assert code == 1
    assert "2024-05-01-lanqiu.yaml:4:7: 错误[DJX123] 项目对应的需求“需要文艺人才”（2024-04-03-chexiao）已撤回" in out
    assert "2024-05-01-lanqiu.yaml:7:6: 错误[DJX122] 完成期限 2024-04-30 早于约定日期 2024-05-01" in out


def test_unknown_unit_and_unknown_milestone_record(zone: Path) -> None:
    text = CLAIM.format(need="2024-04-01-changdi", due="2024-12-31").replace("lead: alpha", "lead: alpah")
    text = text.replace("done_by: 2024-05-20-huitoukan", "done_by: 2024-05-20-huitokan")
    _write(zone, "projects/2024/2024-05-01-lanqiu.yaml", text)
    code, out = _check(zone)
    assert code == 1
    assert "2024-05-01-lanqiu.yaml:5:7: 错误[DJX101] 项目牵头单位引用的单位“alpah”不存在（提示：是不是“alpha”？）" in out
    assert ("2024-05-01-lanqiu.yaml:11:14: 错误[DJX121] 完成里程碑“第一场”的活动或文件“2024-05-20-huitokan”不存在"
            "（提示：是不是“2024-05-20-huitoukan”？）") in out


def test_resolving_an_unknown_or_later_decision(zone: Path) -> None:
    rel = "activities/2024/2024-05-20-huitoukan.yaml"
    text = (zone / rel).read_text(encoding="utf-8")
    (zone / rel).write_text(text.replace("#dangan", "#dangna"), encoding="utf-8")
    code, out = _check(zone)
    assert code == 1
    assert f"{rel}:10:5: 错误[DJX124] 活动“2024-04-10-fazhan”中没有编号为“dangna”的督办事项（提示：是不是“dangan”？）" in out
    _write(zone, "activities/2024/2024-04-01-zaoqian.yaml", """\
        id: 2024-04-01-zaoqian
        date: 2024-04-01
        title: 更早的座谈
        category: 组织共建
        kind: 月度党建座谈
        hosts:
          - lead
        summary: 座谈。
        resolves:
          - 2024-04-10-fazhan#shebei
        evidence: 已办。
        """)
    code, out = _check(zone)
    assert "2024-04-01-zaoqian.yaml:10:5: 错误[DJX124] 办结记录的日期 2024-04-01 早于作出决定的活动（2024-04-10）" in out


def test_the_example_zone_has_the_lists_the_issue_asks_for() -> None:
    from djxz.domain.lists import decision_states, need_states

    zone = _load(ROOT / "data")
    states = [s.status for s in need_states(zone)]
    assert len(states) >= 6 and len({s.need.unit for s in need_states(zone)}) >= 5
    assert {"开放", "已认领", "已解决"} <= set(states) and states.count("已撤回") == 1
    assert len(zone.projects) >= 4 and any(p.agreement for p in zone.projects)
    assert any(0 < sum(1 for m in p.milestones if m.done_by) < len(p.milestones) for p in zone.projects)
    decided = decision_states(zone, dt.date(2026, 11, 26))
    assert len({d.activity.id for d in decided}) >= 3
    assert {"已办结", "逾期"} <= {d.status for d in decided}


# ---------------------------------------------------------------- status

def test_status_shows_open_and_overdue_decisions(zone: Path) -> None:
    code, out, _ = run_cli("status", "--zone", str(zone), "--as-of", AS_OF, "--year", "2024")
    assert code == 0
    assert "督办事项（未办结 2 项，其中逾期 1 项）" in out
    assert "争取援建设备3套" in out and "逾期 30 天" in out and "培训心理辅导员" in out
    assert "档案按季度更新" not in out  # closed by 2024-05-20-huitoukan
    code, out, _ = run_cli("status", "--zone", str(zone), "--as-of", AS_OF, "--year", "2024", "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, json.loads((ROOT / "docs" / "status.schema.json").read_text(encoding="utf-8")))
    assert [(d["key"], d["status_code"], d["days_overdue"], d["owner"]["id"]) for d in data["decisions"]] == [
        ("2024-04-10-fazhan#shebei", "overdue", 30, "alpha"), ("2024-04-10-fazhan#peixun", "open", 0, "beta")]
    code, out, _ = run_cli("status", "--zone", str(zone), "--as-of", AS_OF, "--unit", "beta", "--format", "json")
    assert [d["id"] for d in json.loads(out)["decisions"]] == ["peixun"]


# ---------------------------------------------------------------- lists: json, xlsx

def test_lists_json_follows_its_schema(zone: Path) -> None:
    code, out, err = run_cli("lists", "--zone", str(zone), "--as-of", AS_OF, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert [(n["id"], n["status_code"]) for n in data["needs"]] == [
        ("2024-04-01-changdi", "open"), ("2024-04-02-xuanjiang", "open"), ("2024-04-03-chexiao", "withdrawn")]
    assert [(r["unit"]["id"], r["group"], r["name"]) for r in data["resources"]] == [
        ("alpha", "resource", "甲站篮球馆"), ("beta", "resource", "乙站纪念馆"), ("beta", "talent", "王芳"),
        ("gamma", "talent", "李强")]
    (project,) = data["projects"]
    assert (project["id"], project["status_code"], [m["last"] for m in project["milestones"]]) == (
        "2024-04-05-peixun", "running", [False, True])
    assert [(d["id"], d["status_code"], [r["id"] for r in d["resolved_by"]]) for d in data["decisions"]] == [
        ("shebei", "overdue", []), ("peixun", "open", []), ("dangan", "done", ["2024-05-20-huitoukan"])]
    code, out, _ = run_cli("lists", "--zone", str(zone), "--as-of", AS_OF, "--format", "json", "--year", "2023")
    assert json.loads(out)["needs"] == [] and json.loads(out)["decisions"] == []


def test_lists_xlsx_is_a_ledger_libreoffice_opens(zone: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("lists", "--zone", str(zone), "--as-of", AS_OF, "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    assert "需求清单 3 行，资源清单 4 行，项目清单 1 行，督办事项 3 行" in stdout
    book = load_workbook(out)
    assert book.sheetnames == ["需求清单", "资源清单", "项目清单", "督办事项"]
    needs = book["需求清单"]
    assert [c.value for c in needs[1]] == ["编号", "提出日期", "提出单位", "需求", "类别", "希望解决日期", "状态", "认领项目", "说明"]
    assert needs.freeze_panes == "B2" and needs.auto_filter.ref == "A1:I4"
    assert [needs.cell(r, 7).value for r in (2, 3, 4)] == ["开放", "开放", "已撤回"]
    decisions = book["督办事项"]
    assert decisions.freeze_panes == "C2" and decisions.auto_filter.ref
    assert [decisions.cell(r, 6).value for r in (2, 3, 4)] == ["逾期 30 天", "办理中", "已办结"]
    assert decisions.cell(4, 8).value == "档案已按季度更新一次。"
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook was checked with openpyxl only")
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
                    "--outdir", str(tmp_path / "csv"), str(out)], check=True, capture_output=True, timeout=180)
    csv = (tmp_path / "csv" / "台账.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0].startswith("编号,提出日期,提出单位")  # the first sheet, read back by LibreOffice
    assert "借用篮球馆" in csv


def test_lists_refuses_a_zone_with_errors_and_xlsx_without_out(zone: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("lists", "--zone", str(zone), "--format", "xlsx")
    assert code == 2 and "--out" in err
    _write(zone, "projects/2024/2024-05-01-lanqiu.yaml", CLAIM.format(need="nope", due="2024-12-31"))
    out = tmp_path / "x.xlsx"
    code, _, _ = run_cli("lists", "--zone", str(zone), "--format", "xlsx", "--out", str(out))
    assert code == 1 and not out.exists()


# ---------------------------------------------------------------- djxz new need|project, --resolves

def test_new_need_project_and_a_resolving_activity(zone: Path) -> None:
    # Ids come from the title's pinyin (docs/ids.md): 借用篮球馆, 借馆.
    code, out, err = run_cli("new", "need", "--zone", str(zone), "--date", "2024-06-01", "--unit", "gamma",
                             "--title", "借用篮球馆", "--kind", "场地设施", "--description", "周末联谊")
    assert code == 0, err
    assert (zone / "needs/2024/2024-06-01-jieyong-lanqiu.yaml").is_file()
    code, _, err = run_cli("new", "project", "--zone", str(zone), "--agreed", "2024-06-05", "--title", "借馆",
                           "--category", "文化共育", "--lead", "alpha", "--due", "2024-06-01", "--need", "2024-06-01-jieyong-lanqi")
    assert code == 1
    assert "[DJX121] 项目对应的需求“2024-06-01-jieyong-lanqi”不存在（提示：是不是“2024-06-01-jieyong-lanqiu”？）" in err
    assert "[DJX122] 完成期限 2024-06-01 早于约定日期 2024-06-05" in err
    assert not (zone / "projects/2024/2024-06-05-jieguan.yaml").exists()
    code, _, err = run_cli("new", "project", "--zone", str(zone), "--agreed", "2024-06-05", "--title", "借馆",
                           "--category", "文化共育", "--lead", "alpha", "--due", "2024-08-01", "--need", "2024-06-01-jieyong-lanqiu")
    assert code == 0, err
    from djxz.domain.lists import need_states

    assert {s.need.id: s.status for s in need_states(_load(zone))}["2024-06-01-jieyong-lanqiu"] == "已认领"
    base = ["new", "activity", "--zone", str(zone), "--date", "2024-06-10", "--title", "设备到位", "--category", "资源共享",
            "--kind", "资源共享", "--host", "alpha", "--summary", "设备到位。"]
    code, _, err = run_cli(*base, "--resolves", "2024-04-10-fazhan#shebei")
    assert code == 2 and "--evidence" in err  # closing a decision needs its evidence
    code, _, err = run_cli(*base, "--resolves", "2024-04-10-fazhan#shebie", "--evidence", "3套设备已到位")
    assert code == 1 and "是不是“shebei”" in err
    code, _, err = run_cli(*base, "--resolves", "2024-04-10-fazhan#shebei", "--evidence", "3套设备已到位")
    assert code == 0, err
    code, out, _ = run_cli("status", "--zone", str(zone), "--as-of", AS_OF, "--format", "json")
    assert [d["id"] for d in json.loads(out)["decisions"]] == ["peixun"]


# ---------------------------------------------------------------- diff

def test_diff_explains_claims_and_closed_decisions(zone: Path, tmp_path: Path) -> None:
    from djxz.app.diff import diff_zones
    from djxz.app.diff_render import diff_json, render_markdown

    before = _load(zone)
    shutil.copytree(zone, tmp_path / "after")
    after = tmp_path / "after"
    _write(after, "projects/2024/2024-05-01-lanqiu.yaml", CLAIM.format(need="2024-04-01-changdi", due="2024-12-31"))
    _write(after, "needs/2024/2024-06-02-jiaoan.yaml", """\
        id: 2024-06-02-jiaoan
        date: 2024-06-02
        unit: beta
        title: 需要党课教案
        kind: 教案教材
        description: 十五分钟微党课。
        """)
    rel = "activities/2024/2024-05-20-huitoukan.yaml"
    text = (after / rel).read_text(encoding="utf-8")
    (after / rel).write_text(text.replace("  - 2024-04-10-fazhan#dangan\n", "  - 2024-04-10-fazhan#dangan\n  - 2024-04-10-fazhan#shebei\n"),
                             encoding="utf-8")
    result = diff_zones(before, _load(after), "main", "工作区")
    notes = [(n.code, n.message) for n in result.lists]
    assert notes == [
        ("need-claimed", "需求“借用篮球馆”由甲站牵头的项目“借用甲站篮球馆”认领"),
        ("need-added", "乙站提出需求“需要党课教案”（教案教材）"),
        ("project-added", "“借用甲站篮球馆”（文化共育，甲站牵头，期限 2024-12-31）"),
        ("decision-closed", "督办事项“争取援建设备3套”（甲站）由 2024-05-20-huitoukan 办结：档案已按季度更新一次。"),
    ]
    assert result.summary() == "新增需求 1 项、项目 1 个；修改活动 1 项"
    md = render_markdown(result)
    assert "#### 三张清单和督办" in md and "- **需求被认领**：需求“借用篮球馆”由甲站牵头的项目“借用甲站篮球馆”认领" in md
    assert [n["code"] for n in diff_json(result)["lists"]] == ["need-claimed", "need-added", "project-added", "decision-closed"]
