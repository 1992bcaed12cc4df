"""`djxz log`: the history of one record, one line per commit, with the right authors."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import MINI_ZONE, run_cli
from gitrepo import commit_all, git, make_repo

ACT = "data/activities/2024/2024-03-15-dangke.yaml"


def _edit(repo: Path, old: str, new: str) -> None:
    path = repo / ACT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _three_commits(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    from conftest import write_zone

    write_zone(repo / "data", MINI_ZONE)
    commit_all(repo, "Record the joint party lecture", author="王芳", date="2024-03-16T09:00:00+08:00")
    _edit(repo, "attendance: 60", "attendance: 80")
    commit_all(repo, "Correct the attendance", author="李明", date="2024-03-18T09:00:00+08:00")
    _edit(repo, "summary: 乙站主讲联片党课。", "summary: 乙站党委书记主讲联片党课，甲站、丙站参加。")
    commit_all(repo, "Describe the lecture", author="张伟", date="2024-03-20T09:00:00+08:00")
    # A commit elsewhere is no part of this record's history.
    (repo / "data/units/alpha.yaml").write_text((repo / "data/units/alpha.yaml").read_text(encoding="utf-8") + "description: 甲站。\n",
                                                   encoding="utf-8")
    commit_all(repo, "Describe alpha", author="赵强")
    return repo


def test_log_of_a_record_edited_in_three_commits(tmp_path: Path) -> None:
    repo = _three_commits(tmp_path)
    shas = git(repo, "log", "--format=%h", "--", ACT).split()
    code, out, err = run_cli("log", "2024-03-15-dangke", cwd=repo)
    assert code == 0, err
    assert out.splitlines() == [
        f"{shas[0]} 2024-03-20 张伟 修改：活动概况（Describe the lecture）",
        f"{shas[1]} 2024-03-18 李明 修改：参加人数 60 → 80（Correct the attendance）",
        f"{shas[2]} 2024-03-16 王芳 新增（Record the joint party lecture）",
    ]


def test_log_by_path_json_and_a_deleted_record(tmp_path: Path) -> None:
    repo = _three_commits(tmp_path)
    (repo / ACT).unlink()
    commit_all(repo, "Remove the duplicate record", author="李明")
    code, out, err = run_cli("log", ACT, "--format", "json", cwd=repo)
    assert code == 0, err
    result = json.loads(out)
    assert result["schema_version"] == 1
    assert result["path"] == "activities/2024/2024-03-15-dangke.yaml"
    assert [(e["author"], e["action"]) for e in result["entries"]] == [("李明", "删除"), ("张伟", "修改"), ("李明", "修改"), ("王芳", "新增")]
    assert result["entries"][2]["changes"] == [{"path": "attendance", "label": "参加人数", "old": "60", "new": "80"}]
    # By id it can no longer be found: the message says to give the path.
    code, _, err = run_cli("log", "2024-03-15-dangke", cwd=repo)
    assert code == 2 and "已删除的记录请写路径" in err


def test_log_follows_a_rename(tmp_path: Path) -> None:
    repo = _three_commits(tmp_path)
    git(repo, "mv", ACT, "data/activities/2024/2024-03-15-lianpian-dangke.yaml")
    new = repo / "data/activities/2024/2024-03-15-lianpian-dangke.yaml"
    new.write_text(new.read_text(encoding="utf-8").replace("id: 2024-03-15-dangke", "id: 2024-03-15-lianpian-dangke"), encoding="utf-8")
    commit_all(repo, "Name the file after what happened", author="张伟")
    code, out, err = run_cli("log", "2024-03-15-lianpian-dangke", cwd=repo)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].split(" ", 3)[3] == ("修改：文件改名为 2024-03-15-lianpian-dangke.yaml；活动编号 2024-03-15-dangke → 2024-03-15-lianpian-dangke"
                                         "（Name the file after what happened）")
    assert lines[3].split(" ", 3)[2:] == ["王芳", "新增（Record the joint party lecture）"]


def test_log_of_units_plans_and_the_zone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    for target in ("alpha", "zone"):
        code, out, err = run_cli("log", target, cwd=repo)
        assert code == 0, err
        assert out.endswith(" 测试员 新增（Start the zone）\n")
    code, _, err = run_cli("log", "nobody", cwd=repo)
    assert code == 2 and "找不到编号为“nobody”的记录" in err


def test_an_id_is_found_by_its_file_name_and_also_in_a_misnamed_file(tmp_path: Path, monkeypatch) -> None:
    """A record's file is named by its id, so one file is read; a file named otherwise (a DJX017 error) is still found
    by reading the zone. A plan is found by its year."""
    import djxz.app.log as log_app

    misnamed = MINI_ZONE["activities/2024/2024-03-15-dangke.yaml"].replace("2024-03-15-dangke", "2024-03-15-renamed")
    repo = make_repo(tmp_path / "repo", {**MINI_ZONE, "activities/2024/2024-03-16-other.yaml": misnamed,
                                          "plans/2024.yaml": "year: 2024\nduty_unit: beta\n"})
    loads = []
    real = log_app.load_zone
    monkeypatch.setattr(log_app, "load_zone", lambda *a, **k: loads.append(1) or real(*a, **k))
    root = repo / "data"
    assert log_app.resolve_record_path(root, "2024-03-15-dangke", root) == "activities/2024/2024-03-15-dangke.yaml"
    assert log_app.resolve_record_path(root, "alpha", root) == "units/alpha.yaml"
    assert loads == [], "found by file name, one file read"
    assert log_app.resolve_record_path(root, "2024-03-15-renamed", root) == "activities/2024/2024-03-16-other.yaml"
    assert loads == [1]
    assert log_app.resolve_record_path(root, "2024", root) == "plans/2024.yaml"
    assert loads == [1], "a plan by its year: its file name too"
