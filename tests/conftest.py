"""Shared fixtures: a small valid zone written inline, the example zone copied to a temp dir, a CLI runner."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data"
# The date the example zone is checked at, so the suite means the same thing next year.
EXAMPLE_TODAY = "2026-11-26"

MINI_ZONE = {
    "zone.yaml": """\
        # 测试用协作区
        name: 测试协作区
        short_name: 测试区
        established: 2023-03-01
        city_committee: 中共测试市委
        political_office: 测试总站政治处
        lead_unit: lead
        leading_group:
          leader:
            name: 张三
            unit: lead
            title: 党委书记
          deputies:
            - name: 李四
              unit: alpha
          members:
            - name: 王五
              unit: beta
        office:
          unit: lead
          director:
            name: 赵六
            unit: lead
        rotations:
          - name: duty
            title: 轮值单位
            period: year
            order:
              - alpha
              - beta
              - gamma
            turns:
              - period: '2023'
                unit: alpha
              - period: '2024'
                unit: beta
        """,
    "units/lead.yaml": """\
        id: lead
        name: 测试总站机关党委
        short_name: 总站机关
        type: 机关
        role: 成员单位
        joined: 2023-03-01
        """,
    "units/alpha.yaml": """\
        id: alpha
        name: 甲站党委
        short_name: 甲站
        type: 站所
        role: 成员单位
        joined: 2023-03-01
        """,
    "units/beta.yaml": """\
        id: beta
        name: 乙站党委
        short_name: 乙站
        type: 站所
        role: 成员单位
        joined: 2023-03-01
        """,
    "units/gamma.yaml": """\
        id: gamma
        name: 丙站党委
        short_name: 丙站
        type: 站所
        role: 成员单位
        joined: 2024-03-01
        """,
    "activities/2024/2024-03-15-dangke.yaml": """\
        id: 2024-03-15-dangke
        date: 2024-03-15
        title: 联片党课
        category: 组织共建
        kind: 联片党课
        hosts:
          - beta
        participants:
          - alpha
          - gamma
        attendance: 60
        summary: 乙站主讲联片党课。
        """,
}


def write_zone(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text, dedented; or raw bytes) under `root`; return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def mini_zone(tmp_path: Path) -> Path:
    return write_zone(tmp_path / "zone", MINI_ZONE)


@pytest.fixture
def example_zone(tmp_path: Path) -> Path:
    """A private copy of the example zone, to edit freely."""
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's zone, git identity or cache."""
    monkeypatch.delenv("DJXZ_ZONE", raising=False)
    monkeypatch.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "测试员")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "tester@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "测试员")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "tester@example.org")


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run djxz in-process through its real error boundary; return (exit code, stdout, stderr)."""
    import contextlib
    import io

    from djxz.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files in tests/golden/ from the current output (review the diff!)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True only when asked for: `pytest --update-golden` or DJXZ_UPDATE_GOLDEN=1."""
    return bool(request.config.getoption("--update-golden")) or os.environ.get("DJXZ_UPDATE_GOLDEN") == "1"
