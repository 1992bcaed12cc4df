"""`djxz rotate`: the turn edit that keeps every byte, the year's plan on working days, refusals, real git repos."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import MINI_ZONE, run_cli, write_zone
from djxz.edit.rotation_edit import add_turn
from djxz.errors import DataError
from djxz.load.loader import load_zone, parse_record
from gitrepo import git, make_repo

# A zone.yaml as a clerk might keep it: comments everywhere, 4-space lists, flow lists, mixed quoting, a folded note.
HAND_WRITTEN = """\
# 测试协作区 —— 手写的注释，不能丢
name: 测试协作区        # 名称
short_name: 测试区
established: 2023-03-01
city_committee: 中共测试市委
political_office: 测试总站政治处
lead_unit: lead
leading_group:
  leader: {name: 张三, unit: lead, title: 党委书记}
  deputies: [{name: 李四, unit: alpha}]
  members:
  - name: 王五
    unit: beta
office:
    unit: lead
    director:
        name: 赵六
        unit: lead
rotations:
    # 年度轮值（缩进四格）
    -   name: duty
        title: 轮值单位
        period: year
        order: [alpha, beta,   gamma]   # 行内列表
        anchor: {period: "2023", unit: alpha}
        turns:
        # 2023 年由甲站开始
        - period: "2023"
          unit: alpha      # 首轮
        - {period: "2024", unit: beta}
        # 2025 年起按顺序
        - period: "2025"
          unit: gamma
          note: >-
            折叠的
            备注
    # 第二个轮值：月度座谈承办
    -   name: forum
        title: 月度座谈承办单位
        period: month
        order: [beta, alpha]
        anchor: {period: '2024-01', unit: beta}
# 简报设置
bulletin:
  name: 测试简报   # 名称
"""

NEW_TURN = '        - period: "2026"\n          unit: alpha\n'


def hand_written_zone(root: Path) -> Path:
    files = {k: v for k, v in MINI_ZONE.items() if k != "zone.yaml"}
    files["zone.yaml"] = HAND_WRITTEN
    return write_zone(root, files)


# -- the edit alone ------------------------------------------------------------------------------------------------------

def test_the_new_turn_is_the_only_change_in_the_hand_written_file():
    new = add_turn(HAND_WRITTEN, "duty", "2026", "alpha")
    at = HAND_WRITTEN.index("    # 第二个轮值")
    assert new == HAND_WRITTEN[:at] + NEW_TURN + HAND_WRITTEN[at:]
    assert add_turn(new, "duty", "2026", "alpha") == new  # already there: nothing to do


@pytest.mark.parametrize("turns, expected", [
    ("    turns:\n      - period: '2024'\n        unit: a\n",
     "    turns:\n      - period: '2024'\n        unit: a\n      - period: '2025'\n        unit: b\n"),
    ("    turns: [{period: 2024, unit: a}]  # 行内\n",
     "    turns: [{period: 2024, unit: a}, {period: 2025, unit: b}]  # 行内\n"),
    ("    turns: []\n", "    turns: [{period: '2025', unit: b}]\n"),
    ("    turns:   # 还没有记录\n", "    turns:   # 还没有记录\n      - period: '2025'\n        unit: b\n"),
    ("    turns: ~\n", "    turns:\n      - period: '2025'\n        unit: b\n"),
    ("", "    turns:\n      - period: '2025'\n        unit: b\n"),
    ("    turns:\n    - unit: a\n      period: \"2024\"\n      note: |\n        两行\n        备注\n",
     "    turns:\n    - unit: a\n      period: \"2024\"\n      note: |\n        两行\n        备注\n"
     "    - unit: b\n      period: \"2025\"\n"),
])
def test_the_edit_follows_the_style_already_there(turns, expected):
    before = "rotations:\n  - name: duty\n    order:\n      - a\n      - b\n"
    after = "# 结尾\nbulletin:\n  name: x\n"
    assert add_turn(before + turns + after, "duty", "2025", "b") == before + expected + after


def test_windows_line_endings_and_a_bom_survive():
    text = "\ufeff# 注释\r\nrotations:\r\n  - name: duty\r\n    order: [a, b]\r\n    turns:\r\n      - period: '2024'\r\n        unit: a\r\nx: 1\r\n"
    new = add_turn(text, "duty", "2025", "b")
    assert new == text.replace("x: 1", "      - period: '2025'\r\n        unit: b\r\nx: 1")


def test_a_note_is_quoted_when_it_must_be():
    text = "rotations:\n  - name: duty\n    order: [a]\n    turns:\n      - period: '2024'\n        unit: a\n"
    new = add_turn(text, "duty", "2025", "a", note="承担任务: 安保 #1")
    assert new.endswith("      - period: '2025'\n        unit: a\n        note: '承担任务: 安保 #1'\n")
    assert yaml.safe_load(new)["rotations"][0]["turns"][-1]["note"] == "承担任务: 安保 #1"


def test_a_rotation_that_is_not_there_is_an_error():
    with pytest.raises(DataError, match="没有名为“x”的轮值安排"):
        add_turn("rotations:\n  - name: duty\n    order: [a]\n", "x", "2025", "a")


# -- the command on a plain directory -------------------------------------------------------------------------------------

@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_zone(tmp_path / "zone", MINI_ZONE)


def test_rotate_records_the_turn_and_writes_a_plan_that_passes_check(mini: Path):
    code, out, err = run_cli("rotate", "--zone", str(mini), "--year", "2026")
    assert (code, err) == (0, "")
    assert "2026 年轮值单位：甲站党委（按轮值顺序推算）" in out
    assert "已写入" in out
    zone_text = (mini / "zone.yaml").read_text(encoding="utf-8")
    last_turn = "      - period: '2024'\n        unit: beta\n"
    assert MINI_ZONE_TEXT().count(last_turn) == 1
    assert zone_text == MINI_ZONE_TEXT().replace(last_turn, last_turn + "      - period: '2026'\n        unit: alpha\n")
    plan_text = (mini / "plans" / "2026.yaml").read_text(encoding="utf-8")
    assert plan_text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/plan.schema.json"
    plan, diags = parse_record(plan_text.encode(), "plans/2026.yaml", "plan")
    assert diags == [] and plan.year == 2026 and plan.duty_unit == "alpha"
    assert run_cli("check", "--zone", str(mini))[0] == 0
    code, out, _ = run_cli("rotate", "--zone", str(mini), "--year", "2026")
    assert code == 0 and "已经完成" in out and "没有修改任何文件" in out


def MINI_ZONE_TEXT() -> str:
    import textwrap

    return textwrap.dedent(MINI_ZONE["zone.yaml"])


def test_the_plan_has_the_recurring_meetings_and_deadlines_on_official_working_days(mini: Path):
    code, out, _ = run_cli("rotate", "--zone", str(mini), "--year", "2026", "--dry-run", "--format", "json")
    assert code == 0
    data = json.loads(out)
    items = {i["id"]: i for i in data["plan_items"]}
    kinds = [i["kind"] for i in data["plan_items"]]
    assert kinds.count("月度党建座谈") == 12
    assert kinds.count("联席会议") == 1
    assert kinds.count("发展工作联席会") == 2 and kinds.count("半年总结部署会") == 2
    from djxz.domain.workdays import WorkdayCalendar

    cal = WorkdayCalendar()
    assert all(cal.is_workday(dt.date.fromisoformat(i["date"])) for i in data["plan_items"])
    # 2026-01-31 is a Saturday: the annual report is due the Friday before.
    assert (items["2026-annual-report"]["date"], items["2026-annual-report"]["deadline"]) == ("2026-01-30", "2026-01-31")
    # 2026-02-28 is a Saturday, but an adjusted working day (调休上班) after the Spring Festival: the deadline stays.
    assert items["2026-annual-plan"]["date"] == "2026-02-28"
    # The start-of-year joint meeting, two weeks before the end of February, on the Saturday 2026-02-14 that is worked.
    assert items["2026-annual-joint-meeting"] == {
        "id": "2026-annual-joint-meeting", "title": "年初召开协作区联席会议", "kind": "联席会议",
        "date": "2026-02-14", "host": "lead", "deadline": None}
    # National Day week: the October forum is on the 20th, after the holiday; September 20 is a worked Sunday.
    assert items["2026-monthly-forum-10"]["date"] == "2026-10-20"
    assert items["2026-monthly-forum-09"]["date"] == "2026-09-20"
    assert data["warnings"] == []
    assert data["written"] is False and not (mini / "plans").exists()


def test_a_year_the_calendar_package_does_not_know_warns_and_uses_weekends(mini: Path):
    code, out, err = run_cli("rotate", "--zone", str(mini), "--year", "2027", "--dry-run")
    assert code == 0
    assert "警告：2027 年的法定节假日和调休安排尚未收录" in out


def test_the_zone_holidays_file_fills_in_an_unknown_year(mini: Path):
    (mini / "holidays.yaml").write_text(
        "days:\n"
        "  - date: 2027-01-20\n    name: 测试假日\n"  # the January forum's target day
        "  - date: 2027-02-06\n    end_date: 2027-02-14\n    name: 春节\n"
        "  - date: 2027-02-20\n    name: 春节调休\n    workday: true\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli("rotate", "--zone", str(mini), "--year", "2027", "--dry-run", "--format", "json")
    assert code == 0
    data = json.loads(out)
    items = {i["id"]: i["date"] for i in data["plan_items"]}
    assert data["warnings"] == []
    assert items["2027-monthly-forum-01"] == "2027-01-21"
    # the joint meeting's target, 2027-02-14, is a holiday: the next working day is Monday 2027-02-15
    assert items["2027-annual-joint-meeting"] == "2027-02-15"


def test_check_errors_make_rotate_refuse_and_write_nothing(mini: Path):
    (mini / "units" / "beta.yaml").write_text("id: beta\nname: 乙站党委\n", encoding="utf-8")
    before = (mini / "zone.yaml").read_bytes()
    code, out, err = run_cli("rotate", "--zone", str(mini), "--year", "2026")
    assert code == 1
    assert "请先运行 djxz check 修正" in err
    assert (mini / "zone.yaml").read_bytes() == before and not (mini / "plans").exists()


def test_commit_outside_a_repository_is_refused(mini: Path):
    code, _, err = run_cli("rotate", "--zone", str(mini), "--year", "2026", "--commit")
    assert code == 1 and "不在 git 仓库中" in err
    assert not (mini / "plans").exists()


def test_a_recorded_year_with_a_plan_for_another_unit_is_refused(mini: Path):
    (mini / "plans").mkdir()
    (mini / "plans" / "2025.yaml").write_text("year: 2025\nduty_unit: alpha\n", encoding="utf-8")
    code, _, err = run_cli("rotate", "--zone", str(mini), "--year", "2025")
    assert code == 1 and "按轮值 2025 年应为“gamma”" in err


def test_a_year_before_the_rotation_starts_is_refused(mini: Path):
    code, _, err = run_cli("rotate", "--zone", str(mini), "--year", "2021")
    assert code == 1 and "无法确定 2021 年的轮值单位" in err


# -- a real git repository --------------------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {k: v for k, v in MINI_ZONE.items() if k != "zone.yaml"}
    repo = make_repo(tmp_path / "repo", files)
    (repo / "data" / "zone.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    git(repo, "add", "data/zone.yaml")
    git(repo, "commit", "--quiet", "-m", "Hand-written zone file")
    return repo


def _head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_rotate_commit_on_a_real_repository(repo: Path):
    data = repo / "data"
    (data / "units" / "alpha.yaml").write_text((data / "units" / "alpha.yaml").read_text() + "description: 未提交的修改\n")
    start = _head(repo)

    code, out, err = run_cli("rotate", "--year", "2026", "--commit", cwd=repo)
    assert (code, err) == (0, "")
    # the branch, and one commit on it touching exactly the turn's file and the new plan
    assert git(repo, "branch", "--show-current").strip() == "rotate/2026"
    assert git(repo, "rev-parse", "HEAD~1").strip() == start
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["data/plans/2026.yaml", "data/zone.yaml"]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("2026 年轮值交接：甲站党委任轮值单位\n")
    # every comment survives: the file is the old one with the two new lines, and git's diff says the same
    assert (data / "zone.yaml").read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        "    # 第二个轮值", NEW_TURN + "    # 第二个轮值")
    diff = git(repo, "diff", "-U0", "HEAD~1", "HEAD", "--", "data/zone.yaml").splitlines()
    changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["+" + line for line in NEW_TURN.splitlines()]
    # the unrelated uncommitted change is still there, uncommitted
    assert git(repo, "status", "--porcelain").splitlines() == [" M data/units/alpha.yaml"]
    # the pull-request description, in Chinese Markdown
    assert "## 2026 年轮值交接：甲站党委" in out
    assert "- `data/zone.yaml`：轮值记录增加 2026 年：甲站党委" in out
    assert "- `data/plans/2026.yaml`：新建 2026 年度协作计划" in out
    assert "| 2026-02-14 | 年初召开协作区联席会议 | 测试总站机关党委 |" in out

    # a second run says it is done and changes nothing
    code, out, _ = run_cli("rotate", "--year", "2026", "--commit", cwd=repo)
    assert code == 0 and "已经完成" in out
    assert _head(repo) != start and git(repo, "rev-list", "--count", f"{start}..HEAD").strip() == "1"
    assert git(repo, "status", "--porcelain").splitlines() == [" M data/units/alpha.yaml"]


def test_a_dirty_file_makes_rotate_refuse(repo: Path):
    zone_file = repo / "data" / "zone.yaml"
    zone_file.write_text(HAND_WRITTEN + "# 还没提交的修改\n", encoding="utf-8")
    start, before = _head(repo), zone_file.read_bytes()
    code, _, err = run_cli("rotate", "--year", "2026", "--commit", cwd=repo)
    assert code == 1
    assert "以下文件有未提交的修改" in err and "data/zone.yaml" in err
    assert zone_file.read_bytes() == before and not (repo / "data" / "plans").exists()
    assert _head(repo) == start and git(repo, "branch", "--show-current").strip() == "main"
    # without --commit too: nothing is written over uncommitted work
    assert run_cli("rotate", "--year", "2026", cwd=repo)[0] == 1
    assert zone_file.read_bytes() == before


def test_an_existing_branch_is_refused_before_anything_is_written(repo: Path):
    git(repo, "branch", "rotate/2026")
    code, _, err = run_cli("rotate", "--year", "2026", "--commit", cwd=repo)
    assert code == 1 and "分支 rotate/2026 已经存在" in err
    assert git(repo, "status", "--porcelain") == ""
    code, out, _ = run_cli("rotate", "--year", "2026", "--commit", "--branch", "turnover-2026", cwd=repo)
    assert code == 0 and git(repo, "branch", "--show-current").strip() == "turnover-2026"


def test_rotate_json_shape(repo: Path):
    code, out, _ = run_cli("rotate", "--year", "2026", "--dry-run", "--format", "json", cwd=repo)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"schema_version", "year", "rotation", "duty_unit", "how", "previous", "passed_over", "already_done", "dry_run",
                         "written", "changes", "plan_items", "warnings", "branch", "commit", "pull_request"}
    assert data["duty_unit"] == {"id": "alpha", "name": "甲站党委"}
    assert (data["how"], data["previous"], data["already_done"]) == ("projected", {"period": "2025", "unit": "gamma"}, False)
    assert [(c["action"], Path(c["path"]).name) for c in data["changes"]] == [("modified", "zone.yaml"), ("created", "2026.yaml")]
    assert git(repo, "status", "--porcelain") == ""


# -- the edit, by property ------------------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def zone_texts(draw):
    """A rotation block written in any of the styles a clerk uses, with comments in between."""
    key = " " * draw(st.sampled_from([2, 4]))
    dash = key + " " * draw(st.sampled_from([0, 2, 4]))
    gap = " " * draw(st.sampled_from([1, 3]))
    lines = ["# 头部注释", "name: 测试", "rotations:", f"{key[:-2]}- name: duty", f"{key}order: [a, b, c]"]
    if draw(st.booleans()):
        lines.append(f"{key}anchor: {{period: '2020', unit: a}}")
    years = draw(st.integers(0, 4))
    style = draw(st.sampled_from(["block", "flowseq", "none"])) if years else draw(st.sampled_from(["none", "empty"]))
    quote = draw(st.sampled_from(["'", '"', ""]))
    if style == "block":
        lines.append(f"{key}turns:" + draw(st.sampled_from(["", "  # 记录"])))
        for i in range(years):
            period = f"{quote}{2021 + i}{quote}"
            if draw(st.booleans()):
                lines.append(f"{dash}# 第 {i} 条")
            if draw(st.booleans()):
                lines.append(f"{dash}- {{period: {period}, unit: b}}")
            else:
                lines += [f"{dash}-{gap}period: {period}", f"{dash} {gap}unit: c" + draw(st.sampled_from(["", "   # 注"]))]
    elif style == "flowseq":
        items = ", ".join(f"{{period: {quote}{2021 + i}{quote}, unit: a}}" for i in range(years))
        lines.append(f"{key}turns: [{items}]")
    elif style == "empty":
        lines.append(f"{key}turns: []")
    lines += draw(st.sampled_from([[], [f"{key}# 尾注"], ["# 顶层注释"]]))
    lines += ["bulletin:", "  name: 简报"]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


@settings(max_examples=200, deadline=None)
@given(zone_texts())
def test_adding_a_turn_only_inserts_text_and_reads_back_as_that_turn(text):
    new = add_turn(text, "duty", "2030", "b")
    prefix = next((i for i, (x, y) in enumerate(zip(text, new)) if x != y), len(text))
    suffix = 0
    while suffix < len(text) - prefix and text[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    assert prefix + suffix == len(text), "the edit changed existing text instead of only inserting"
    before, after = yaml.safe_load(text), yaml.safe_load(new)
    turns_before = before["rotations"][0].get("turns") or []
    turns_after = after["rotations"][0]["turns"]
    assert turns_after[:-1] == turns_before
    assert (str(turns_after[-1]["period"]), turns_after[-1]["unit"], len(turns_after[-1])) == ("2030", "b", 2)
    assert {k: v for k, v in after.items() if k != "rotations"} == {k: v for k, v in before.items() if k != "rotations"}
    assert add_turn(new, "duty", "2030", "b") == new
