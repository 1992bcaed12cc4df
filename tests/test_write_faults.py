"""Faults while writing: every command that writes, with the write failing halfway, and git failing under rotate --commit.

Each writing command runs through the CLI's real error boundary against real files in tmp_path; the fault is injected
at the operating-system call where it would happen for real (os.fsync reports a full disk, os.replace fails or is
interrupted, tempfile cannot create a file on a read-only disk), or made real (a read-only file, a read-only folder,
a git index lock, a merge in progress, a pre-commit hook that refuses). Afterwards:

- every file that was there is byte-for-byte what it was, and no new file, folder or temp file is left;
- the exit code and the Chinese message say what happened: 1 and the file's path for a failed write, 130 for Ctrl-C;
- for git: the same HEAD, the same branches, the same index and the same `git status`.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import EXAMPLE, MINI_ZONE, run_cli, write_zone
from gitrepo import commit_all, git, make_repo


@dataclass
class Writer:
    """A command that writes: where its tree is, its arguments, how many files it writes, and one it replaces."""

    tree: Path
    args: list[str]
    writes: int
    replaces: str | None = None  # a file (relative to tree) that exists and is rewritten, for the read-only case
    folder: str = ""  # the folder (relative to tree) it writes into, for the read-only folder case


def _rotate(tmp_path: Path) -> Writer:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    return Writer(repo, ["rotate", "--year", "2025", "--zone", str(repo / "data")], 2, "data/zone.yaml", "data")


def _new_activity(tmp_path: Path) -> Writer:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "activities/2025").mkdir()
    args = ["new", "activity", "--date", "2025-05-20", "--title", "联片党课", "--category", "组织共建", "--kind", "联片党课",
            "--host", "beta", "--participant", "alpha", "--summary", "乙站主讲。", "--zone", str(root)]
    return Writer(root, args, 1, None, "activities/2025")


def _new_activity_new_year(tmp_path: Path) -> Writer:
    """The year folder does not exist yet: a failed write must not leave it behind, empty."""
    w = _new_activity(tmp_path)
    (w.tree / "activities/2025").rmdir()
    return Writer(w.tree, w.args, 1, None, "activities")


def _new_unit(tmp_path: Path) -> Writer:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    args = ["new", "unit", "--id", "delta", "--name", "丁站党委", "--short-name", "丁站", "--type", "站所",
            "--joined", "2026-11-01", "--zone", str(root)]
    return Writer(root, args, 1, None, "units")


def _import(tmp_path: Path) -> Writer:
    from test_import import GOOD_ROWS, workbook

    root = tmp_path / "data"
    shutil.copytree(EXAMPLE, root)
    (root / "activities/2026").mkdir(exist_ok=True)
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS)
    return Writer(root, ["import", "activities", str(book), "--zone", str(root)], 3, None, "activities/2026")


def _brief(tmp_path: Path) -> Writer:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    out = root / "out"
    out.mkdir()
    (out / "2024年度协作区工作情况通报.md").write_text("上次生成的通报\n", encoding="utf-8")
    return Writer(root, ["brief", "--annual", "--year", "2024", "--zone", str(root)], 2, "out/2024年度协作区工作情况通报.md", "out")


def _bulletin(tmp_path: Path) -> Writer:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "out").mkdir()
    (root / "documents/2026").mkdir(parents=True)
    return Writer(root, ["bulletin", "2024-03-15-dangke", "--issue", "--zone", str(root)], 3, None, "out")


WRITERS: dict[str, Callable[[Path], Writer]] = {
    "rotate": _rotate,
    "new-activity": _new_activity,
    "new-activity-new-year": _new_activity_new_year,
    "new-unit": _new_unit,
    "import": _import,
    "brief": _brief,
    "bulletin-issue": _bulletin,
}


def snapshot(tree: Path) -> dict[str, bytes | str]:
    """Every file and folder under `tree` (git's own folder aside) with its bytes: what "intact" is compared against."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in dirnames:
            out[(Path(dirpath) / name).relative_to(tree).as_posix() + "/"] = "dir"
        for name in filenames:
            path = Path(dirpath) / name
            out[path.relative_to(tree).as_posix()] = path.read_bytes()
    return out


def temp_files(tree: Path) -> list[str]:
    return [p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.name.endswith(".tmp") or ".tmp" in p.name]


def inject(monkeypatch: pytest.MonkeyPatch, module, name: str, fail_at: int, error: BaseException, tree: Path,
           after: bool = False) -> dict:
    """Make `module.name` raise `error` on its `fail_at`-th call that touches `tree` (before or after doing its work)."""
    real = getattr(module, name)
    seen = {"calls": 0}

    def touches(args) -> bool:
        for a in args:
            if isinstance(a, int):  # a file descriptor (os.fsync): where it points, on Linux
                try:
                    a = os.readlink(f"/proc/self/fd/{a}")
                except OSError:
                    return True
            if isinstance(a, (str, os.PathLike)) and str(tree) in os.path.abspath(os.fspath(a)):
                return True
        return False

    def fake(*args, **kwargs):
        if not touches(list(args) + list(kwargs.values())):
            return real(*args, **kwargs)
        seen["calls"] += 1
        if seen["calls"] == fail_at and not after:
            raise error
        result = real(*args, **kwargs)
        if seen["calls"] == fail_at and after:
            raise error
        return result

    monkeypatch.setattr(module, name, fake)
    return seen


def assert_intact(w: Writer, before: dict, code: int, err: str, want_code: int) -> None:
    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == want_code, err
    assert temp_files(w.tree) == []
    after = snapshot(w.tree)
    assert after == before, sorted(set(after) ^ set(before)) or [k for k in after if after[k] != before.get(k)]


ENOSPC = OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("name", WRITERS)
def test_disk_full_while_flushing_the_last_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    w = WRITERS[name](tmp_path)
    before = snapshot(w.tree)
    seen = inject(monkeypatch, os, "fsync", w.writes, ENOSPC, w.tree)
    code, out, err = run_cli(*w.args)
    assert seen["calls"] >= w.writes
    assert_intact(w, before, code, err, 1)
    assert "磁盘空间不足" in err and str(w.tree) in err, err


@pytest.mark.parametrize("name", WRITERS)
def test_disk_full_at_the_last_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The files before it are already in place: they must be put back."""
    w = WRITERS[name](tmp_path)
    before = snapshot(w.tree)
    seen = inject(monkeypatch, os, "replace", w.writes, ENOSPC, w.tree)
    code, out, err = run_cli(*w.args)
    assert seen["calls"] >= w.writes
    assert_intact(w, before, code, err, 1)
    assert "磁盘空间不足" in err and str(w.tree) in err, err


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize("after", [False, True], ids=["before-rename", "after-rename"])
def test_ctrl_c_at_the_last_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, after: bool) -> None:
    w = WRITERS[name](tmp_path)
    if after and w.writes == 1:
        pytest.skip("one file: its rename is the moment it is written; Ctrl-C after it leaves the whole new file")
    before = snapshot(w.tree)
    inject(monkeypatch, os, "replace", w.writes, KeyboardInterrupt(), w.tree, after=after)
    code, out, err = run_cli(*w.args)
    assert_intact(w, before, code, err, 130)
    assert "已中断" in err


@pytest.mark.parametrize("name", WRITERS)
def test_read_only_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    w = WRITERS[name](tmp_path)
    before = snapshot(w.tree)
    inject(monkeypatch, tempfile, "mkstemp", 1, OSError(errno.EROFS, "Read-only file system"), w.tree)
    code, out, err = run_cli(*w.args)
    assert_intact(w, before, code, err, 1)
    assert "只读" in err and str(w.tree) in err, err


@pytest.mark.parametrize("name", [n for n in WRITERS if n in ("rotate", "brief")])
def test_a_read_only_file_is_not_replaced(tmp_path: Path, name: str) -> None:
    w = WRITERS[name](tmp_path)
    target = w.tree / w.replaces
    target.chmod(0o444)
    before = snapshot(w.tree)
    code, out, err = run_cli(*w.args)
    assert_intact(w, before, code, err, 1)
    assert "只读" in err and target.name in err, err
    assert target.stat().st_mode & 0o777 == 0o444


@pytest.fixture
def read_only_folder():
    """Make a folder read-only for real: chmod for a normal user; for root (who ignores modes) the immutable attribute."""
    made: list[Path] = []

    def apply(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
        elif shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("running as root without chattr +i: a read-only folder cannot be made here")
        made.append(folder)

    yield apply
    for folder in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


@pytest.mark.parametrize("name", WRITERS)
def test_read_only_folder(tmp_path: Path, name: str, read_only_folder) -> None:
    w = WRITERS[name](tmp_path)
    folder = w.tree / w.folder
    before = snapshot(w.tree)
    read_only_folder(folder)
    code, out, err = run_cli(*w.args)
    assert_intact(w, before, code, err, 1)
    assert str(w.tree) in err and ("没有权限" in err or "不被允许" in err), err


# -- djxz init: everything goes into a hidden folder first, renamed into place at the end -----------------------------

@pytest.mark.parametrize("fault", ["disk-full", "ctrl-c", "rename-fails"])
def test_init_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    parent = tmp_path / "work"
    parent.mkdir()
    target = parent / "新协作区"
    if fault == "disk-full":
        inject(monkeypatch, os, "write", 5, ENOSPC, parent)
    elif fault == "ctrl-c":
        inject(monkeypatch, os, "write", 5, KeyboardInterrupt(), parent)
    else:
        inject(monkeypatch, os, "rename", 1, OSError(errno.EXDEV, "Invalid cross-device link"), parent)
    code, out, err = run_cli("init", str(target))
    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == (130 if fault == "ctrl-c" else 1), err
    assert list(parent.iterdir()) == []
    if fault != "ctrl-c":
        assert str(parent) in err, err


# -- rotate --commit when git fails -----------------------------------------------------------------------------------

def git_state(repo: Path) -> dict:
    return {
        "head": git(repo, "rev-parse", "HEAD"),
        "symbolic": subprocess.run(["git", "symbolic-ref", "-q", "HEAD"], cwd=repo, capture_output=True, text=True).stdout,
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "index": git(repo, "ls-files", "--stage"),
        "status": git(repo, "status", "--porcelain=v1", "--untracked-files=all"),
        "tree": snapshot(repo),
    }


def _locked(repo: Path) -> None:
    (repo / ".git/index.lock").write_text("")


def _detached(repo: Path) -> None:
    git(repo, "switch", "--quiet", "--detach", "HEAD")


def _merging(repo: Path) -> None:
    (repo / "README.md").write_text("起点\n", encoding="utf-8")
    commit_all(repo, "README")
    git(repo, "switch", "--quiet", "-c", "other")
    (repo / "README.md").write_text("分支的说明\n", encoding="utf-8")
    commit_all(repo, "README on a branch")
    git(repo, "switch", "--quiet", "main")
    (repo / "README.md").write_text("主分支的说明\n", encoding="utf-8")
    commit_all(repo, "README on main")
    proc = subprocess.run(["git", "merge", "other"], cwd=repo, capture_output=True, text=True)
    assert proc.returncode != 0 and "CONFLICT" in proc.stdout


def _hook_refuses(repo: Path) -> None:
    hook = repo / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho '提交前检查没有通过' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)


GIT_FAULTS = {
    "index-locked": (_locked, "index.lock"),
    "detached-head": (_detached, "分离"),
    "merge-in-progress": (_merging, "合并"),
    "hook-refuses-the-commit": (_hook_refuses, "git commit 失败"),
}


@pytest.mark.parametrize("fault", GIT_FAULTS)
def test_rotate_commit_leaves_the_repository_as_it_was(tmp_path: Path, fault: str) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    make, words = GIT_FAULTS[fault]
    make(repo)
    before = git_state(repo)
    code, out, err = run_cli("rotate", "--year", "2025", "--commit", "--zone", str(repo / "data"), cwd=repo)
    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == 1 and words in err, err
    assert git_state(repo) == before
    assert temp_files(repo) == []


def test_ctrl_c_during_the_commit_undoes_branch_files_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from djxz import vcs

    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    before = git_state(repo)
    real_git = vcs._git

    def add_then_interrupt(root, paths, message):
        real_git(root, "add", "--", *vcs._rel(root, paths))
        raise KeyboardInterrupt

    monkeypatch.setattr(vcs, "commit_paths", add_then_interrupt)
    code, out, err = run_cli("rotate", "--year", "2025", "--commit", "--zone", str(repo / "data"), cwd=repo)
    assert code == 130 and "已中断" in err, err
    assert git_state(repo) == before


def test_rotate_commit_still_works_after_the_faults_are_cleared(tmp_path: Path) -> None:
    """The refusals above leave nothing to clean up: fix the cause, run again, and the turnover is committed."""
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    _locked(repo)
    assert run_cli("rotate", "--year", "2025", "--commit", "--zone", str(repo / "data"), cwd=repo)[0] == 1
    (repo / ".git/index.lock").unlink()
    code, out, err = run_cli("rotate", "--year", "2025", "--commit", "--zone", str(repo / "data"), cwd=repo)
    assert code == 0, err
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "rotate/2025"
    assert git(repo, "status", "--porcelain").strip() == ""
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == ["data/plans/2025.yaml", "data/zone.yaml"]


def test_an_os_error_outside_any_write_is_exit_1_with_the_path_not_an_internal_error(tmp_path: Path, monkeypatch) -> None:
    """The CLI boundary: any OSError (here: the zone file vanishes between finding and reading it) is a message."""
    import djxz.app.rotate as rotate_app

    repo = make_repo(tmp_path / "repo", MINI_ZONE)

    def gone(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(repo / "data/zone.yaml"))

    monkeypatch.setattr(rotate_app, "_plan_changes", gone)
    code, out, err = run_cli("rotate", "--year", "2025", "--zone", str(repo / "data"))
    assert code == 1 and "内部错误" not in err
    assert err == f"错误：文件操作失败：{repo / 'data/zone.yaml'}：文件或目录不存在（No such file or directory）\n"
