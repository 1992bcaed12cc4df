"""Writes never go through a symlink, one writer at a time, Ctrl-C leaves no temp file, rotate --branch never reuses.

Each attack plants what a pull request or a shared folder could hold, runs the real command, and checks that the file
outside the zone is byte-for-byte what it was and that djxz said which link it refused (exit 1, no traceback).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI_ZONE, run_cli, write_zone
from gitrepo import commit_all, git, make_repo
from test_write_faults import WRITERS, inject, snapshot, temp_files

SECRET = b"# the user's own file outside the zone\n"


def _outside(tmp_path: Path) -> Path:
    victim = tmp_path / "outside"
    victim.mkdir(exist_ok=True)
    (victim / "bashrc").write_bytes(SECRET)
    return victim


def _refused(code: int, err: str) -> None:
    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == 1, err
    assert "符号链接" in err, err


# -- a symlink at the target file ------------------------------------------------------------------------------------

def _brief_target(tmp_path: Path) -> tuple[list[str], Path]:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "out").mkdir()
    return ["brief", "--annual", "--year", "2024", "--zone", str(root)], root / "out/2024年度协作区工作情况通报.md"


def _rotate_target(tmp_path: Path) -> tuple[list[str], Path]:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "plans").mkdir()
    return ["rotate", "--year", "2025", "--zone", str(root)], root / "plans/2025.yaml"


def _export_target(tmp_path: Path) -> tuple[list[str], Path]:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    return ["export", "--year", "2024", "--out", str(root / "活动.xlsx"), "--zone", str(root)], root / "活动.xlsx"


def _calendar_target(tmp_path: Path) -> tuple[list[str], Path]:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    return ["calendar", "--year", "2025", "--output", str(root / "日历.ics"), "--zone", str(root)], root / "日历.ics"


def _schema_target(tmp_path: Path) -> tuple[list[str], Path]:
    out = tmp_path / "repo/schemas"
    out.mkdir(parents=True)
    return ["schema", "--out", str(out)], out / "zone.schema.json"


def _template_target(tmp_path: Path) -> tuple[list[str], Path]:
    folder = tmp_path / "work"
    folder.mkdir()
    return ["import", "--template", "activities", "--out", str(folder / "模板.xlsx")], folder / "模板.xlsx"


def _new_unit_target(tmp_path: Path) -> tuple[list[str], Path]:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    return ["new", "unit", "--id", "delta", "--name", "丁站党委", "--short-name", "丁站", "--type", "站所",
            "--joined", "2026-11-01", "--zone", str(root)], root / "units/delta.yaml"


TARGETS = {
    "brief": _brief_target,
    "rotate": _rotate_target,
    "export": _export_target,
    "calendar": _calendar_target,
    "schema": _schema_target,
    "import-template": _template_target,
    "new-unit": _new_unit_target,
}


@pytest.mark.parametrize("name", TARGETS)
def test_a_symlink_at_the_file_a_command_writes_is_refused(tmp_path: Path, name: str) -> None:
    args, target = TARGETS[name](tmp_path)
    victim = _outside(tmp_path) / "bashrc"
    target.symlink_to(victim)
    code, out, err = run_cli(*args, cwd=tmp_path)
    assert "Traceback" not in err and "内部错误" not in err, err
    assert victim.read_bytes() == SECRET
    assert target.is_symlink() and os.readlink(target) == str(victim)
    if name == "new-unit":  # `new` never replaces any file, a link included: refused as a taken id (usage)
        assert code == 2 and "已被使用" in err, err
    else:
        _refused(code, err)
    assert temp_files(target.parent) == []


# -- a symlink at a folder on the way ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", WRITERS)
def test_a_symlinked_folder_inside_the_zone_is_never_written_through(tmp_path: Path, name: str) -> None:
    w = WRITERS[name](tmp_path)
    # rotate's folder is the zone itself, which the user names with --zone (a link there is their choice): plans/
    folder = w.tree / ("data/plans" if name == "rotate" else w.folder)
    victim = _outside(tmp_path)
    if folder.is_dir():
        shutil.copytree(folder, victim, dirs_exist_ok=True)
        shutil.rmtree(folder)
    folder.symlink_to(victim, target_is_directory=True)
    outside_before = snapshot(victim)
    code, out, err = run_cli(*w.args)
    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == 1, err
    assert "符号链接" in err, err
    assert snapshot(victim) == outside_before


def test_brief_refuses_an_out_folder_that_is_a_symlink_and_names_it(tmp_path: Path) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    victim = _outside(tmp_path)
    (root / "out").symlink_to(victim, target_is_directory=True)
    code, _, err = run_cli("brief", "--annual", "--year", "2024", "--zone", str(root))
    _refused(code, err)
    assert str(root / "out") in err and "路径中的文件夹" in err
    assert sorted(p.name for p in victim.iterdir()) == ["bashrc"]


def test_init_refuses_a_target_that_is_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (tmp_path / "新协作区").symlink_to(victim, target_is_directory=True)
    code, _, err = run_cli("init", str(tmp_path / "新协作区"))
    _refused(code, err)
    assert list(victim.iterdir()) == []


# -- one writer at a time ---------------------------------------------------------------------------------------------

def test_a_live_lock_makes_a_second_writer_refuse(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    before = snapshot(repo)
    lock = repo / ".git/djxz.lock"
    import socket

    lock.write_text(f"{os.getpid()}\n{socket.gethostname()}\n", encoding="utf-8")  # this very process: alive
    code, _, err = run_cli("rotate", "--year", "2025", "--zone", str(repo / "data"))
    assert code == 1 and "正在写入" in err and str(os.getpid()) in err, err
    assert snapshot(repo) == before and lock.exists()


def test_a_stale_lock_is_taken_over_and_removed_after(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket

    lock = repo / ".git/djxz.lock"
    lock.write_text(f"{dead.stdout.strip()}\n{socket.gethostname()}\n", encoding="utf-8")
    code, _, err = run_cli("rotate", "--year", "2025", "--zone", str(repo / "data"))
    assert code == 0, err
    assert (repo / "data/plans/2025.yaml").is_file() and not lock.exists()


def test_the_lock_is_held_while_the_records_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import djxz.fsio as fsio

    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    seen = []
    real = fsio.write_files

    def spy(files, root=None):
        seen.append((repo / ".git/djxz.lock").read_text(encoding="utf-8").split("\n")[0])
        return real(files, root=root)

    monkeypatch.setattr("djxz.app.rotate.write_files", spy)
    code, _, err = run_cli("rotate", "--year", "2025", "--zone", str(repo / "data"))
    assert code == 0, err
    assert seen == [str(os.getpid())] and not (repo / ".git/djxz.lock").exists()


# -- Ctrl-C while brief writes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", ["fsync", "replace"])
def test_ctrl_c_while_brief_writes_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "out").mkdir()
    inject(monkeypatch, os, call, 1, KeyboardInterrupt(), root)
    code, _, err = run_cli("brief", "--annual", "--year", "2024", "--format", "md,docx", "--zone", str(root))
    assert code == 130 and "已中断" in err, err
    assert temp_files(root) == [] and list((root / "out").iterdir()) == []


# -- rotate --branch --------------------------------------------------------------------------------------------------

def test_rotate_refuses_the_branch_it_is_on_unless_forced(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    git(repo, "switch", "--quiet", "-c", "rotate/2025")
    start = git(repo, "rev-parse", "HEAD").strip()
    code, _, err = run_cli("rotate", "--year", "2025", "--commit", "--zone", str(repo / "data"))
    assert code == 1 and "分支 rotate/2025 已经存在" in err and "--force" in err, err
    assert git(repo, "rev-parse", "HEAD").strip() == start and not (repo / "data/plans").exists()

    code, out, err = run_cli("rotate", "--year", "2025", "--commit", "--force", "--zone", str(repo / "data"))
    assert code == 0, err
    assert git(repo, "rev-parse", "HEAD~1").strip() == start
    assert git(repo, "branch", "--show-current").strip() == "rotate/2025"


def test_rotate_force_commits_on_an_existing_branch_it_is_not_on(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    git(repo, "branch", "rotate/2025")
    code, _, err = run_cli("rotate", "--year", "2025", "--commit", "--force", "--zone", str(repo / "data"))
    assert code == 0, err
    assert git(repo, "branch", "--show-current").strip() == "rotate/2025"
    assert "2025 年轮值交接" in git(repo, "log", "-1", "--format=%s")


# -- the helper itself ------------------------------------------------------------------------------------------------

def test_write_files_checks_every_folder_up_to_the_root(tmp_path: Path) -> None:
    from djxz.fsio import UnsafePathError, write_files

    root = tmp_path / "zone"
    (root / "a").mkdir(parents=True)
    victim = _outside(tmp_path)
    (root / "a/b").symlink_to(victim, target_is_directory=True)
    with pytest.raises(UnsafePathError) as caught:
        write_files({root / "a/b/c/new.txt": "x"}, root=root)
    assert str(root / "a/b") in str(caught.value)
    assert sorted(p.name for p in victim.iterdir()) == ["bashrc"]
    # a plain tree is written as before, and a read-only file is still refused
    write_files({root / "a/d/new.txt": "x"}, root=root)
    assert (root / "a/d/new.txt").read_text() == "x"
    (root / "a/d/new.txt").chmod(0o444)
    with pytest.raises(PermissionError) as denied:
        write_files({root / "a/d/new.txt": "y"}, root=root)
    assert denied.value.errno == errno.EACCES
