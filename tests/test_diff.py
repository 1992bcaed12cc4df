"""`djxz diff`: a branch that adds, changes and deletes records and rewrites a recorded turn, read from git objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINI_ZONE, ROOT, run_cli, write_zone
from gitrepo import commit_all, git, make_repo

GOLDEN = ROOT / "tests" / "golden"

DUTIES = """\
        duties:
          - id: half-year-report
            title: 半年总结通报
            deadline: 07-31
        """

BASE = {
    **MINI_ZONE,
    "zone.yaml": MINI_ZONE["zone.yaml"].rstrip(" ") + DUTIES,
    "plans/2024.yaml": """\
        year: 2024
        duty_unit: beta
        items:
          - id: 2024-dangke
            title: 联片党课
            kind: 联片党课
            category: 组织共建
            date: 2024-03-15
            host: beta
          - id: 2024-fazhan
            title: 上半年发展工作联席会
            kind: 发展工作联席会
            category: 发展共谋
            month: 2024-06
            host: alpha
        """,
    "activities/2024/2024-04-10-peixun.yaml": """\
        id: 2024-04-10-peixun
        date: 2024-04-10
        title: 党务骨干集中培训
        category: 组织共建
        kind: 骨干培训
        hosts:
          - alpha
        summary: 集中培训党务骨干。
        """,
    "documents/2024/2024-03-20-jianbao-1.yaml": """\
        id: 2024-03-20-jianbao-1
        kind: 信息简报
        title: 联片党课在乙站举行
        date: 2024-03-20
        issuer: beta
        number: 1
        activities:
          - 2024-03-15-dangke
        """,
}


def _branch_changes(data: Path) -> None:
    """On the branch: add an activity and a bulletin, change one activity and the plan, delete one activity and a unit,
    and rewrite the recorded 2024 turn and a duty deadline."""
    zone = (data / "zone.yaml").read_text(encoding="utf-8")
    zone = zone.replace("- period: '2024'\n        unit: beta", "- period: '2024'\n        unit: gamma")
    assert "unit: gamma" in zone
    zone = zone.replace("deadline: 07-31", "deadline: 08-15")
    (data / "zone.yaml").write_text(zone, encoding="utf-8")
    act = data / "activities/2024/2024-03-15-dangke.yaml"
    act.write_text(act.read_text(encoding="utf-8").replace("attendance: 60", "attendance: 80")
                   .replace("  - gamma\n", "").replace("乙站主讲联片党课。", "乙站党委书记主讲联片党课，甲站参加。"), encoding="utf-8")
    plan = data / "plans/2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("month: 2024-06", "month: 2024-07")
                    + "  - id: 2024-yanjiang\n    title: 演讲比赛\n    kind: 文体活动\n    category: 文化共育\n    month: 2024-09\n",
                    encoding="utf-8")
    (data / "activities/2024/2024-04-10-peixun.yaml").unlink()
    (data / "units/lead.yaml").unlink()
    write_zone(data, {
        "activities/2024/2024-05-20-xuanjiang.yaml": """\
            id: 2024-05-20-xuanjiang
            date: 2024-05-20
            title: 宣讲团巡回宣讲
            category: 教育共抓
            kind: 宣讲
            hosts:
              - gamma
            summary: 宣讲团到乙站宣讲。
            """,
        "documents/2024/2024-05-25-jianbao-2.yaml": """\
            id: 2024-05-25-jianbao-2
            kind: 信息简报
            title: 宣讲团巡回宣讲
            date: 2024-05-25
            issuer: gamma
            number: 1
            """,
    })


@pytest.fixture
def changed_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", BASE)
    git(repo, "switch", "--quiet", "-c", "change")
    _branch_changes(repo / "data")
    return repo


def _golden(name: str, text: str, update: bool) -> None:
    """Compare with tests/golden/<name>; rewritten only on purpose (`pytest --update-golden`), then review the diff."""
    path = GOLDEN / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run pytest --update-golden once and review it"
    assert text == path.read_text(encoding="utf-8")


def test_branch_diff_matches_the_golden_markdown(changed_repo: Path, update_golden: bool) -> None:
    commit_all(changed_repo, "Record May and fix the 2024 turn", author="李四")
    code, out, err = run_cli("diff", "main", cwd=changed_repo)
    assert code == 0, err
    _golden("diff.md", out, update_golden)


def test_default_base_is_the_merge_base_and_head_the_working_tree(changed_repo: Path) -> None:
    commit_all(changed_repo, "Change")
    # main moves on after the branch point: its new record is no part of this change.
    git(changed_repo, "switch", "--quiet", "main")
    write_zone(changed_repo / "data", {"activities/2024/2024-06-01-qita.yaml": BASE["activities/2024/2024-04-10-peixun.yaml"]
                                       .replace("2024-04-10-peixun", "2024-06-01-qita").replace("2024-04-10", "2024-06-01")})
    commit_all(changed_repo, "Main moves on")
    git(changed_repo, "switch", "--quiet", "change")
    # An uncommitted edit in the working tree is part of it.
    (changed_repo / "data/activities/2024/2024-05-20-xuanjiang.yaml").unlink()
    code, out, err = run_cli("diff", "--format", "json", cwd=changed_repo)
    assert code == 0, err
    result = json.loads(out)
    assert result["schema_version"] == 1
    assert result["head"] == "工作区"
    assert result["base"] == f"main 的合并基点（{git(changed_repo, 'rev-parse', '--short=7', 'main~1').strip()}）"
    keys = {(c["kind"], c["key"], c["status"]) for c in result["changes"]}
    assert ("activity", "2024-06-01-qita", "removed") not in keys and ("activity", "2024-06-01-qita", "added") not in keys
    assert keys == {
        ("zone", "zone", "changed"), ("unit", "lead", "removed"), ("plan", "2024", "changed"),
        ("activity", "2024-03-15-dangke", "changed"), ("activity", "2024-04-10-peixun", "removed"),
        ("document", "2024-05-25-jianbao-2", "added"),
    }
    assert result["counts"]["activity"] == {"changed": 1, "removed": 1}
    codes = sorted(w["code"] for w in result["warnings"])
    assert codes == ["bulletin-number-reused", "deadline-moved", "deadline-moved", "turn-changed", "unit-removed-still-named"]


def test_field_changes_of_a_changed_activity(changed_repo: Path) -> None:
    code, out, _ = run_cli("diff", "--format", "json", cwd=changed_repo)
    act = next(c for c in json.loads(out)["changes"] if c["key"] == "2024-03-15-dangke")
    assert [(f["path"], f["old"], f["new"]) for f in act["fields"]] == [
        ("participants", "alpha、gamma", "alpha"),
        ("attendance", "60", "80"),
        ("summary", "乙站主讲联片党课。", "乙站党委书记主讲联片党课，甲站参加。"),
    ]
    plan = next(c for c in json.loads(out)["changes"] if c["kind"] == "plan")
    assert [(f["path"], f["old"], f["new"]) for f in plan["fields"]] == [
        ("items[2024-fazhan].month", "2024-06", "2024-07"),
        ("items[2024-yanjiang]", None, "演讲比赛，文体活动，2024-09"),
    ]


def test_text_format_and_no_change(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", BASE)
    code, out, _ = run_cli("diff", "--format", "text", cwd=repo)
    assert code == 0
    assert out == "协作区改动：main 的合并基点（" + git(repo, "rev-parse", "--short=7", "HEAD").strip() + "） → 工作区\n没有记录变化。\n"


def test_two_revisions_read_from_git_objects_not_the_checkout(changed_repo: Path) -> None:
    first = git(changed_repo, "rev-parse", "HEAD").strip()
    second = commit_all(changed_repo, "Change")
    # The working tree is broken now; comparing two commits must not look at it.
    (changed_repo / "data" / "zone.yaml").write_text("name: [\n", encoding="utf-8")
    code, out, err = run_cli("diff", first, second, "--format", "text", cwd=changed_repo)
    assert code == 0, err
    assert out.startswith(f"协作区改动：{first} → {second}\n")
    assert "新增活动 1 项" in out


def test_unreadable_file_is_a_warning_not_a_removal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", BASE)
    (repo / "data/activities/2024/2024-04-10-peixun.yaml").write_text("id: [broken\n", encoding="utf-8")
    code, out, _ = run_cli("diff", "--format", "json", cwd=repo)
    result = json.loads(out)
    assert result["changes"] == []
    assert [w["code"] for w in result["warnings"]] == ["unreadable"]
    assert result["warnings"][0]["path"] == "activities/2024/2024-04-10-peixun.yaml"


def test_bad_revision_and_no_repository_are_clear_errors(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", BASE)
    code, _, err = run_cli("diff", "no-such-branch", cwd=repo)
    assert code == 2 and "找不到版本“no-such-branch”" in err
    plain = write_zone(tmp_path / "plain", MINI_ZONE)
    code, _, err = run_cli("diff", "--zone", str(plain), cwd=tmp_path)
    assert code == 1 and "不在 git 仓库中" in err and "Traceback" not in err


# ---------------------------------------------------------------- the comparison itself, on zones written inline

def _zones(tmp_path: Path, before: dict, after: dict):
    from djxz.app.diff import diff_zones
    from djxz.load.loader import load_zone

    old, _ = load_zone(write_zone(tmp_path / "old", before))
    new, _ = load_zone(write_zone(tmp_path / "new", after))
    return diff_zones(old, new, "旧", "新")


ANCHORED = MINI_ZONE["zone.yaml"].replace("            turns:\n", "            anchor:\n              period: '2023'\n              unit: alpha\n            turns:\n")


def test_a_removed_turn_and_a_moved_anchor_are_warnings(tmp_path: Path) -> None:
    after = ANCHORED.replace("anchor:\n              period: '2023'\n              unit: alpha", "anchor:\n              period: '2023'\n              unit: beta")
    after = after.replace("              - period: '2023'\n                unit: alpha\n", "")
    result = _zones(tmp_path, {**MINI_ZONE, "zone.yaml": ANCHORED}, {**MINI_ZONE, "zone.yaml": after})
    assert [(w.code, w.message) for w in result.warnings] == [
        ("turn-changed", "轮值单位（duty）的起点（2023 期 alpha）改为 2023 期 beta"),
        ("turn-changed", "轮值单位（duty）2023 期的轮值记录（alpha）被删除"),
    ]
    [change] = result.changes
    assert [(f.path, f.old, f.new) for f in change.fields] == [
        ("rotations[duty].anchor.unit", "alpha", "beta"),
        ("rotations[duty].turns[2023]", "2023，alpha", None),
    ]


def test_a_new_turn_is_a_change_but_no_warning(tmp_path: Path) -> None:
    after = MINI_ZONE["zone.yaml"].replace("                unit: beta\n", "                unit: beta\n              - period: '2025'\n                unit: gamma\n")
    result = _zones(tmp_path, MINI_ZONE, {**MINI_ZONE, "zone.yaml": after})
    assert result.warnings == ()
    assert [(f.label, f.new) for f in result.changes[0].fields] == [("轮值安排 duty › 轮值记录 2025", "2025，gamma")]


BULLETIN = """\
    id: 2024-03-20-jianbao
    kind: 信息简报
    title: 联片党课在乙站举行
    date: 2024-03-20
    number: 3
    """


def test_an_issued_bulletin_renumbered_is_a_warning(tmp_path: Path) -> None:
    rel = "documents/2024/2024-03-20-jianbao.yaml"
    result = _zones(tmp_path, {**MINI_ZONE, rel: BULLETIN}, {**MINI_ZONE, rel: BULLETIN.replace("number: 3", "number: 4")})
    assert [(w.code, w.message, str(w.src)) for w in result.warnings] == [
        ("bulletin-number-reused", "已印发的信息简报“联片党课在乙站举行”（2024-03-20-jianbao）的期号由第 3 期改为第 4 期",
         f"{rel}:5:9"),
    ]


def test_a_duty_rule_given_a_deadline_and_reordered_plan_items(tmp_path: Path) -> None:
    plan = BASE["plans/2024.yaml"]
    items = plan.split("          - id: ")
    swapped = items[0] + "          - id: " + items[2].rstrip(" ") + "          - id: " + items[1].rstrip(" ")
    zone = MINI_ZONE["zone.yaml"].rstrip(" ") + "        duties:\n          - id: monthly-forum\n            deadline: 07-31\n"
    result = _zones(tmp_path, {**MINI_ZONE, "plans/2024.yaml": plan}, {**MINI_ZONE, "zone.yaml": zone, "plans/2024.yaml": swapped})
    assert [(w.code, w.message) for w in result.warnings] == [
        ("deadline-moved", "职责“月党建座谈交流”（monthly-forum）的截止时间由 期末 改为 07-31"),
    ]
    assert [(c.kind, c.status) for c in result.changes] == [("zone", "changed")]  # the plan only changed its order


def test_a_unit_removed_that_nothing_names_is_just_a_removal(tmp_path: Path) -> None:
    after = {k: v for k, v in MINI_ZONE.items() if k != "units/lead.yaml"}
    after["units/extra.yaml"] = MINI_ZONE["units/beta.yaml"].replace("id: beta", "id: extra")
    before = {**MINI_ZONE, "units/extra.yaml": after["units/extra.yaml"]}
    result = _zones(tmp_path, before, {k: v for k, v in before.items() if k != "units/extra.yaml"})
    assert result.warnings == ()
    assert [(c.kind, c.key, c.status) for c in result.changes] == [("unit", "extra", "removed")]
    assert result.summary() == "删除单位 1 个"


def test_diff_and_log_stay_light(tmp_path: Path) -> None:
    """Reading two versions needs git and the loader, not the terminal, editing or document libraries."""
    import subprocess
    import sys

    code = "import json, sys, djxz.app.diff, djxz.app.log, djxz.cli.diff_cmd, djxz.cli.log_cmd; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    loaded = set(json.loads(out.stdout))
    assert [m for m in ("git", "ruamel", "jinja2", "docx", "openpyxl", "rich") if m in loaded] == []


@pytest.mark.parametrize("head", ["change", None])
def test_fast_reading_gives_the_diff_that_reading_with_positions_gives(changed_repo: Path, monkeypatch, head) -> None:
    """Both versions are read without positions (djxz/load/fastread.py); warnings that cite a nested record (a turn,
    an adjustment) have their files read again. The result must be the one of reading every file with positions."""
    from djxz.app import diff as diff_app
    from djxz.load import loader, revision

    if head:
        commit_all(changed_repo, "Record May and fix the 2024 turn")
    root = changed_repo / "data"
    fast = diff_app.diff_revisions(root, "main", head)
    assert fast.warnings and all(w.src is None or w.src.line for w in fast.warnings if w.code != "unreadable")
    monkeypatch.setattr(revision, "loaded_from_bytes", lambda r, blobs: loader.loaded_from_bytes(r, blobs, fast=False))
    monkeypatch.setattr(revision, "Loaded", lambda r, files, notes: loader.Loaded(r, files, notes, fast=False))
    assert diff_app.diff_revisions(root, "main", head) == fast
