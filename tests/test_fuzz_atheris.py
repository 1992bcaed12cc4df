"""The atheris harness for the loader (fuzz/fuzz_loader.py): a fixed 20-second run where atheris is installed, and its
property on every input a run has ever caught (fuzz/regressions/), always."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT

FUZZ = ROOT / "fuzz"
HARNESS = FUZZ / "fuzz_loader.py"
REGRESSIONS = sorted((FUZZ / "regressions").iterdir())


def harness():
    spec = importlib.util.spec_from_file_location("fuzz_loader", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_every_input_atheris_ever_caught_now_passes(path: Path) -> None:
    harness().check(path.read_bytes())


def test_the_harness_property_fails_on_a_wrong_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property can fail: a diagnostic placed past the end of its input is caught."""
    from djxz.model import Diagnostic, Source

    module = harness()
    monkeypatch.setattr(module, "parse_record", lambda data, rel, kind: (None, [Diagnostic(Source(rel, 9, 1), "DJX003", "error", "x")]))
    with pytest.raises(AssertionError):
        module.check(b"a: b\n")


@pytest.mark.slow
def test_atheris_finds_nothing_in_twenty_seconds(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris 未安装（可选）：pip install atheris 后本测试对加载器做 20 秒模糊测试")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, path in enumerate(sorted(EXAMPLE.rglob("*.yaml"))):  # the example zone as seeds: every file kind
        shutil.copyfile(path, corpus / f"{i:04d}-{path.name}")
    for path in REGRESSIONS:
        shutil.copyfile(path, corpus / f"regression-{path.name}")
    proc = subprocess.run(
        [sys.executable, str(HARNESS), "-max_total_time=20", "-timeout=10", "-rss_limit_mb=2048",
         f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    found = sorted(p.name for p in tmp_path.glob("crash-*")) + sorted(p.name for p in tmp_path.glob("timeout-*"))
    assert proc.returncode == 0 and not found, (found, proc.stderr[-4000:])
    assert "Done" in proc.stderr
