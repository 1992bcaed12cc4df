"""`djxz init`: a new zone repository that passes `djxz check`, with CI, pre-commit, schemas and templates in place."""

from __future__ import annotations

import re
import shlex
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE, run_cli
from gitrepo import commit_all, git
from wheel import built_wheel, installed

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _init(tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "zone-repo"
    code, out, err = run_cli("init", str(target), *args, cwd=tmp_path)
    assert code == 0, err
    assert out.startswith(f"已新建协作区仓库 {target}，共 ")
    return target


def test_init_then_check_passes(tmp_path: Path) -> None:
    repo = _init(tmp_path)
    code, out, err = run_cli("check", "--strict", cwd=repo)
    assert (code, out) == (0, "检查了 4 个文件：0 个错误，0 个警告\n"), out + err
    assert git(repo, "rev-parse", "--show-toplevel").strip() == str(repo)
    assert git(repo, "symbolic-ref", "--short", "HEAD").strip() == "main"
    names = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    names = [n for n in names if not n.startswith(".git/")]
    assert [n for n in names if not n.startswith("schemas/")] == [
        ".github/workflows/djxz.yml", ".gitignore", ".pre-commit-config.yaml", "README.md",
        "data/activities/README.md", "data/documents/README.md", "data/plans/README.md",
        "data/units/chengyuan-er.yaml", "data/units/chengyuan-yi.yaml", "data/units/qiantou-danwei.yaml", "data/zone.yaml",
        "templates/README.md",
    ]
    assert "out/" in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    zone = (repo / "data/zone.yaml").read_text(encoding="utf-8")
    assert "established: 2026-11-26\n" in zone and "period: '2026'\n" in zone and "__" not in zone
    note = (repo / "templates/README.md").read_text(encoding="utf-8")
    assert "覆盖 djxz 自带的同名模板" in note and "`report.md.j2`" in note


def test_every_record_points_to_a_schema_that_exists(tmp_path: Path) -> None:
    repo = _init(tmp_path)
    for path in (repo / "data").rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = SCHEMA_LINE.match(first).group(1)
        assert (path.parent / target).resolve().is_file(), path


def test_ci_workflow_and_pre_commit_config(tmp_path: Path) -> None:
    repo = _init(tmp_path)
    flow = yaml.safe_load((repo / ".github/workflows/djxz.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["check"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("djxz check --changed" in r and "--format github" in r for r in runs)
    assert any("djxz diff" in r for r in runs)
    assert any("gh pr comment" in r for r in runs)
    assert flow["permissions"]["pull-requests"] == "write"
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"] == [{"id": "djxz-check"}]
    assert hooks["repos"][0]["rev"].startswith("v")

    # The djxz commands of the pull-request job work as written, in this repository, on a branch with a change.
    git(repo, "add", "--all")
    commit_all(repo, "Start the zone")
    git(repo, "switch", "--quiet", "-c", "change")
    unit = repo / "data/units/chengyuan-er.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("type: 站所", "type: 站点"), encoding="utf-8")
    other = repo / "data/units/chengyuan-yi.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("short_name: 成员单位甲", "short_name: 甲站"), encoding="utf-8")
    commit_all(repo, "Rename one unit, break another")
    base = git(repo, "merge-base", "main", "HEAD").strip()
    commands = [line.strip() for r in runs for line in r.splitlines() if line.strip().startswith("djxz ")]
    assert len(commands) == 3
    results = {}
    for command in commands:
        argv = shlex.split(command.replace('"$DJXZ_BASE"', base).split(" > ")[0])
        results[argv[1] + (" --changed" if "--changed" in argv else "")] = run_cli(*argv[1:], cwd=repo)
    code, out, _ = results["check --changed"]
    assert code == 1 and out.startswith("::error file=data/units/chengyuan-er.yaml,line=6,col=7,title=DJX014::")
    code, out, _ = results["diff"]
    assert code == 0 and out.startswith("<!-- djxz-diff -->\n")
    assert "| 简称 | 成员单位甲 | 甲站 |" in out and "units/chengyuan-er.yaml 在新版本中无法读取" in out


def test_init_refuses_a_non_empty_directory_and_leaves_it_alone(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("已有的文件", encoding="utf-8")
    code, _, err = run_cli("init", str(target), cwd=tmp_path)
    assert code == 2 and "已存在且不是空目录" in err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_init_into_an_empty_directory(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    code, _, err = run_cli("init", str(target), cwd=tmp_path)
    assert code == 0, err
    assert (target / "data/zone.yaml").is_file() and (target / ".git").is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_init_example_copies_the_example_zone(tmp_path: Path) -> None:
    if not (EXAMPLE / "zone.yaml").is_file():
        pytest.skip("the example zone in data/ is not there yet")
    repo = _init(tmp_path, "--example")
    copied = sorted(p.relative_to(repo / "data").as_posix() for p in (repo / "data").rglob("*") if p.is_file())
    original = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert copied == original
    assert (repo / "data/zone.yaml").read_bytes() == (EXAMPLE / "zone.yaml").read_bytes()
    code, out, err = run_cli("check", cwd=repo)
    assert code == 0, out + err


def test_init_example_then_brief_half_year(tmp_path: Path) -> None:
    repo = _init(tmp_path, "--example")
    code, out, err = run_cli("brief", "--half-year", cwd=repo)
    assert code == 0, err
    written = sorted(p.suffix for p in (repo / "out").rglob("*") if p.is_file())
    assert ".md" in written and ".docx" in written
    # out/ is ignored: generated documents never end up in a commit by accident.
    assert "out/" not in git(repo, "status", "--porcelain", "--untracked-files=all")


def test_init_example_from_an_installed_wheel(tmp_path: Path) -> None:
    """The example zone and the skeleton ship inside the wheel: init works outside the checkout."""
    if not (EXAMPLE / "zone.yaml").is_file():
        pytest.skip("the example zone in data/ is not there yet")
    wheel = built_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "djxz/skeleton/zone/zone.yaml" in names and "djxz/skeleton/repo/github/workflows/djxz.yml" in names
    assert "djxz/skeleton/example/zone.yaml" in names
    env_dir, env = installed(wheel, tmp_path)
    djxz = str(env_dir / "bin" / "djxz")
    for args in (["init", "blank"], ["init", "example", "--example"]):
        proc = subprocess.run([djxz, *args], capture_output=True, text=True, cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([djxz, "check"], capture_output=True, text=True, cwd=tmp_path / "example", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "example/data/zone.yaml").read_bytes() == (EXAMPLE / "zone.yaml").read_bytes()
    proc = subprocess.run([djxz, "check", "--strict"], capture_output=True, text=True, cwd=tmp_path / "blank", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
