"""The wheel works outside the checkout, and the package keeps its layers and its start-up light."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT
from wheel import built_wheel, installed


def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheel = built_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "djxz/cli/__init__.py" in names
    assert not any(n.startswith(("tests/", "data/", "bench/")) for n in names)

    env_dir, env = installed(wheel, tmp_path)
    py = env_dir / "bin" / "python"
    out = subprocess.run([str(env_dir / "bin" / "djxz"), "--help"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "检查协作区" in out.stdout
    where = subprocess.run([str(py), "-c", "import djxz; print(djxz.__file__)"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert str(env_dir) in where.stdout, "djxz must come from the installed wheel, not the checkout"


# What each layer may import (STYLE.md): model and domain stand alone; only vcs touches git.
FORBIDDEN = {
    "djxz.model": ["yaml", "ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.load", "djxz.checks", "djxz.app", "djxz.cli"],
    "djxz.domain.periods": ["yaml", "ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.load", "djxz.app", "djxz.cli"],
    "djxz.load.loader": ["ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.app", "djxz.cli"],
    "djxz.checks": ["ruamel", "typer", "rich", "git", "jinja2", "docx", "djxz.app", "djxz.cli"],
    "djxz.app.check": ["typer", "rich", "git", "jinja2", "docx", "djxz.cli"],
    "djxz.cli": ["ruamel", "git", "jinja2", "docx", "docxtpl", "openpyxl", "icalendar", "rich"],
}


def _modules_after_import(module: str) -> set[str]:
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(out.stdout))


def test_layers_import_only_what_they_may() -> None:
    for module, forbidden in FORBIDDEN.items():
        loaded = _modules_after_import(module)
        leaks = sorted(f for f in forbidden if f in loaded or any(m.startswith(f + ".") for m in loaded))
        assert not leaks, f"{module} imports {leaks}"


def test_check_command_does_not_load_heavy_libraries(tmp_path: Path) -> None:
    """`djxz check` runs in a fresh interpreter without git, docx, jinja2, openpyxl or ruamel."""
    code = (
        "import sys, json\n"
        "from djxz.cli import main\n"
        "try:\n    main(['check', '--zone', sys.argv[1], '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    from conftest import MINI_ZONE, write_zone

    root = write_zone(tmp_path / "z", MINI_ZONE)
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, cwd=tmp_path)
    loaded = set(json.loads(out.stderr.strip().splitlines()[-1]))
    heavy = [m for m in ("git", "docx", "docxtpl", "jinja2", "openpyxl", "icalendar", "ruamel") if m in loaded]
    assert heavy == []
