"""Real git repositories for tests: a zone committed on main, then branches and commits with fixed authors and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import write_zone

DATE = "2026-01-05T10:00:00+08:00"


def git(repo: Path, *args: str, author: str | None = None, date: str = DATE) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    if author:
        env.update(GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=f"{author}@example.org")
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def make_repo(repo: Path, files: dict[str, str], message: str = "Start the zone") -> Path:
    """A repository with `files` under data/, committed on main; returns the repository top."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    write_zone(repo / "data", files)
    commit_all(repo, message)
    return repo


def commit_all(repo: Path, message: str, author: str | None = None, date: str = DATE) -> str:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message, author=author, date=date)
    return git(repo, "rev-parse", "HEAD").strip()
