"""The project's wheel, built and installed the way a user gets it, without touching the checkout.

A setuptools build writes build/ beside the sources it builds, so the wheel is built from a copy of the sources (the
files git tracks plus the untracked ones it does not ignore, as they are in the working tree) in the test's temp dir.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from conftest import ROOT


def built_wheel(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True)
    if listed.returncode == 0:
        for rel in filter(None, listed.stdout.decode("utf-8", "surrogateescape").split("\0")):
            source, target = ROOT / rel, src / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():  # djxz/templates and djxz/skeleton/example link to the top-level folders
                target.symlink_to(os.readlink(source))
            elif source.is_file():
                shutil.copy2(source, target)
    else:  # not a git checkout (an unpacked sdist): everything but what a build or a run leaves
        shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(".git", "build", "dist", "out", "*.egg-info", "__pycache__",
                                                                 ".venv", "venv"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(src)],
                   check=True, cwd=tmp_path, capture_output=True)
    return next(dist.glob("djxz-*.whl"))


def installed(wheel: Path, tmp_path: Path, **env: str) -> tuple[Path, dict[str, str]]:
    """A fresh venv holding the wheel alone, and the environment to run it in: its dependencies come from this test
    environment's site-packages, never from the checkout."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install", "--no-deps", "-q",
                    str(wheel)], check=True)
    return env_dir, {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "PYTHONNOUSERSITE": "1", **env}
