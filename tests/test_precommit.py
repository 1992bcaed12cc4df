"""This project as a pre-commit hook: `pre-commit try-repo` installs it from a git copy and runs it on a zone repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import MINI_ZONE, ROOT
from gitrepo import commit_all, git, make_repo

# What pre-commit needs to install djxz: the package, its build files, and the folders the package links to.
PROJECT_PARTS = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "djxz", "data", "templates")


def test_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "djxz-check")
    assert hook["entry"] == "djxz check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True  # a commit that only deletes a unit file can break the zone


def _hook_repo(tmp_path: Path) -> Path:
    """A committed copy of this project: pre-commit clones the hook repository, so it must be a git repository."""
    copy = tmp_path / "djxz-hook"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in PROJECT_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, symlinks=True, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, copy / name)
    git(copy, "init", "--quiet", "--initial-branch=main")
    commit_all(copy, "The hook under test")
    return copy


def _try_repo(hook_repo: Path, zone_repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "djxz-check", "--all-files", "--color", "never"],
        cwd=zone_repo, capture_output=True, text=True, timeout=1800,
    )


def test_try_repo_runs_the_hook_and_fails_on_a_broken_file(tmp_path: Path) -> None:
    hook_repo = _hook_repo(tmp_path)
    zone_repo = make_repo(tmp_path / "zone", MINI_ZONE)

    passed = _try_repo(hook_repo, zone_repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    act = zone_repo / "data/activities/2024/2024-03-15-dangke.yaml"
    act.write_text(act.read_text(encoding="utf-8").replace("category: 组织共建", "category: 组织建设"), encoding="utf-8")
    git(zone_repo, "add", "--all")
    failed = _try_repo(hook_repo, zone_repo)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "data/activities/2024/2024-03-15-dangke.yaml:4:11: 错误[DJX014]" in failed.stdout
