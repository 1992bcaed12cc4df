#!/usr/bin/env python3
"""Render page 1 of each document of the example zone to docs/*.png (the pictures in the README).

    python tools/render_previews.py          # needs soffice (LibreOffice) and pdftoppm (poppler-utils)

The documents are made by the real commands (`djxz brief`, `djxz bulletin`) at the date the tests use. Two things are
adjusted for LibreOffice only, in a copy:
- the fonts of the standard (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) are mapped to the Noto CJK faces with a
  private fontconfig file, serif for the Song/Fangsong/Kai faces and sans for 黑体;
- the character grid: Word and WPS squeeze 三号 (16 pt) characters into the 28-per-line grid's 15.8 pt cells, while
  LibreOffice (7.x) gives each such character two cells. The preview copy uses a 16 pt cell instead, so LibreOffice
  lays out 27 characters a line rather than 28; everything else is the file as generated.
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

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {aliases}
</fontconfig>
"""
FONT_MAP = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}


def lo_copy(src: Path, dst: Path) -> None:
    """The preview copy: the character grid's cell made 16 pt wide (see the module docstring)."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(src))
    for section in doc.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:charSpace"), "0")
    doc.save(str(dst))


def main() -> int:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"需要 {tool}（LibreOffice / poppler-utils）", file=sys.stderr)
            return 1
    djxz = [sys.executable, "-m", "djxz"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        conf = tmp / "fonts.conf"
        aliases = "\n  ".join(
            f'<alias binding="strong"><family>{k}</family><prefer><family>{v}</family></prefer></alias>'
            for k, v in FONT_MAP.items()
        )
        conf.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
        env = {**os.environ, "DJXZ_TODAY": TODAY, "FONTCONFIG_FILE": str(conf)}
        copies = []
        for name, args in DOCUMENTS:
            out = tmp / name
            subprocess.run([*djxz, *args, "--zone", str(ROOT / "data"), "--format", "docx", "--out", str(out)],
                           check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
            made = next(out.glob("*.docx"))
            copy = tmp / f"{name}.docx"
            lo_copy(made, copy)
            copies.append(copy)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp), *map(str, copies)], check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=600)
        DOCS.mkdir(exist_ok=True)
        for copy in copies:
            pdf = copy.with_suffix(".pdf")
            stem = tmp / copy.stem
            subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                           check=True)
            target = DOCS / f"{copy.stem}.png"
            shutil.copyfile(f"{stem}.png", target)
            print(f"已生成 {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
