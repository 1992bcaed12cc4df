#!/usr/bin/env python3
"""Render page 1 of each document of the example zone to docs/*.png (the pictures in the README).

    python tools/render_previews.py          # needs soffice (LibreOffice) and pdftoppm (poppler-utils)

The documents are the exact files the real commands write (`djxz brief …`, `djxz bulletin …` with `--format pdf`, at
the date the tests use), converted to PDF by djxz's own path (djxz/report/pdf.py): what a user gets, nothing adjusted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TODAY = "2026-11-26"
DPI = "60"

# (picture name, djxz arguments)
DOCUMENTS = [
    ("half-year", ["brief", "--half-year", "--year", "2026", "--half", "1"]),
    ("annual", ["brief", "--annual", "--year", "2025"]),
    ("plan", ["brief", "--plan", "--year", "2026"]),
    ("bulletin", ["bulletin", "2026-03-25-lianpian-dangke"]),
]


def main() -> int:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"需要 {tool}（LibreOffice / poppler-utils）", file=sys.stderr)
            return 1
    djxz = [sys.executable, "-m", "djxz"]
    env = {**os.environ, "DJXZ_TODAY": TODAY}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in DOCUMENTS:
            out = Path(tmp) / name
            subprocess.run([*djxz, *args, "--zone", str(ROOT / "data"), "--format", "pdf", "--out", str(out)],
                           check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
            [pdf] = out.glob("*.pdf")
            stem = Path(tmp) / f"{name}-page1"
            subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                           check=True)
            DOCS.mkdir(exist_ok=True)
            target = DOCS / f"{name}.png"
            shutil.copyfile(f"{stem}.png", target)
            print(f"已生成 {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
