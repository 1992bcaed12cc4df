"""`djxz check --changed`: the whole zone is checked, only what the change is answerable for is reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import MINI_ZONE, run_cli
from gitrepo import commit_all, git, make_repo

ACT = "data/activities/2024/2024-03-15-dangke.yaml"
# An old problem in a file no branch touches: an unknown field in beta's unit file.
OLD_PROBLEM = {**MINI_ZONE, "units/beta.yaml": MINI_ZONE["units/beta.yaml"].rstrip(" ") + "        motto: 团结\n"}
GITHUB = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=DJX\d{3}::\S.*$")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", OLD_PROBLEM)
    git(repo, "switch", "--quiet", "-c", "change")
    return repo


def _break_the_branch(repo: Path) -> None:
    act = repo / ACT
    act.write_text(act.read_text(encoding="utf-8").replace("  - beta\n", "  - betta\n"), encoding="utf-8")
    # Removing gamma's file breaks zone.yaml, which the change did not touch.
    (repo / "data/units/gamma.yaml").unlink()


def test_whole_check_still_sees_the_old_problem(repo: Path) -> None:
    code, out, _ = run_cli("check", cwd=repo)
    assert code == 1
    assert "data/units/beta.yaml:7:1: 错误[DJX010] 未知字段“motto”" in out


def test_changed_reports_what_the_change_introduced_and_not_the_old_problem(repo: Path) -> None:
    _break_the_branch(repo)
    commit_all(repo, "Record the lecture host; drop gamma")
    code, out, err = run_cli("check", "--changed", cwd=repo)
    assert code == 1, err
    lines = out.splitlines()
    assert "data/units/beta.yaml" not in out
    problems = [line.split(": ", 1)[0] + " " + line.split("[", 1)[1].split("]")[0] for line in lines[:-1]]
    assert problems == [
        "data/activities/2024/2024-03-15-dangke.yaml:7:5 DJX101",   # the host typo, in the touched file
        "data/activities/2024/2024-03-15-dangke.yaml:10:5 DJX101",  # gamma, gone, still a participant
        "data/zone.yaml:31:9 DJX101",                               # caused elsewhere: the rotation order names gamma
    ]
    assert lines[-1] == "检查了 5 个文件，本次改动涉及 2 个文件（起点 main 的合并基点）：3 个错误，0 个警告（全协作区共 4 个问题）"


def test_github_annotations_and_json(repo: Path) -> None:
    _break_the_branch(repo)  # uncommitted: the working tree is what is checked
    code, out, _ = run_cli("check", "--changed", "--base", "main", "--format", "github", cwd=repo)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert GITHUB.match(line), line
    assert lines[0] == ("::error file=data/activities/2024/2024-03-15-dangke.yaml,line=7,col=5,title=DJX101::"
                        "[DJX101] 主办单位引用的单位“betta”不存在（提示：是不是“beta”？）")
    code, out, _ = run_cli("check", "--changed", "--format", "json", cwd=repo)
    result = json.loads(out)
    assert result["errors"] == 3 and result["total"] == 4
    assert result["changed_files"] == ["activities/2024/2024-03-15-dangke.yaml", "units/gamma.yaml"]
    assert result["base"] == git(repo, "rev-parse", "main").strip()


def test_a_clean_change_passes_although_the_zone_has_an_old_problem(repo: Path) -> None:
    act = repo / ACT
    act.write_text(act.read_text(encoding="utf-8").replace("attendance: 60", "attendance: 65"), encoding="utf-8")
    commit_all(repo, "Correct the attendance")
    # New files not yet added to git count as changed too.
    (repo / "data/activities/2024/2024-03-20-new.yaml").write_text("id: 2024-03-20-new\n", encoding="utf-8")
    code, out, _ = run_cli("check", "--changed", cwd=repo)
    assert code == 1
    assert "2024-03-20-new.yaml:1:1: 错误[DJX011]" in out and "beta.yaml" not in out
    (repo / "data/activities/2024/2024-03-20-new.yaml").unlink()
    code, out, _ = run_cli("check", "--changed", cwd=repo)
    assert code == 0, out
    assert out.splitlines()[-1].endswith("0 个错误，0 个警告（全协作区共 1 个问题）")


def test_base_needs_changed_and_an_existing_revision(repo: Path) -> None:
    code, _, err = run_cli("check", "--base", "main", cwd=repo)
    assert code == 2 and "--base 只能与 --changed 一起使用" in err
    code, _, err = run_cli("check", "--changed", "--base", "nope", cwd=repo)
    assert code == 2 and "找不到版本“nope”" in err
