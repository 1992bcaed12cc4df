"""The default templates ship inside the wheel, and an installed djxz renders documents with them outside the checkout."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE_TODAY, ROOT
from report_zone import write_report_zone
from wheel import built_wheel, installed

TEMPLATES = sorted(p.name for p in (ROOT / "templates").iterdir() if p.suffix in (".j2", ".docx"))


@pytest.mark.slow
def test_the_wheel_carries_the_templates_and_renders_outside_the_checkout(tmp_path: Path) -> None:
    wheel = built_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n.split("/")[-1] for n in names if n.startswith("djxz/templates/")) == TEMPLATES
    for name in TEMPLATES:  # the files themselves, not links to them
        assert zipfile.ZipFile(wheel).read(f"djxz/templates/{name}") == (ROOT / "templates" / name).read_bytes()

    env_dir, env = installed(wheel, tmp_path, DJXZ_TODAY=EXAMPLE_TODAY)
    py = env_dir / "bin" / "python"
    where = subprocess.run([str(py), "-c", "from djxz.report.render import default_templates_dir as d; print(d())"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout

    zone = write_report_zone(tmp_path / "repo" / "data")
    run = subprocess.run([str(env_dir / "bin" / "djxz"), "brief", "--half-year", "--year", "2024", "--half", "1",
                          "--zone", str(zone)], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "repo" / "out"
    assert sorted(p.name for p in out.iterdir()) == ["2024年上半年协作区工作情况通报.docx", "2024年上半年协作区工作情况通报.md"]
    assert (out / "2024年上半年协作区工作情况通报.md").read_text(encoding="utf-8").startswith(
        "# 关于测试协作区2024年上半年工作情况的通报\n")
