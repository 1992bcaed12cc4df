"""Measuring a PDF's layout with `pdftotext -bbox-layout` (poppler): lines, their boxes and text, page by page.

    python tests/pdf_layout.py out/*.pdf      # prints characters a line, lines a page and pages of each file

The page geometry is GB/T 9704's: A4, type area from 37 mm to 262 mm down and 28 mm to 184 mm across.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = "{http://www.w3.org/1999/xhtml}"
MM = 72 / 25.4
TOP, BOTTOM = 37 * MM, (297 - 35) * MM  # 104.9 pt, 742.7 pt
LEFT, RIGHT = 28 * MM, (210 - 26) * MM  # 79.4 pt, 521.6 pt
PAGE_HEIGHT = 297 * MM
BODY_HEIGHT = (19.5, 22.5)  # the box pdftotext gives a 三号 (16 pt) line (20.8 pt); 四号 table text is 18.2


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def lines_of(pdf: str) -> list[list[Line]]:
    """Every page's text lines, top to bottom."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, check=True).stdout
    pages = []
    for number, page in enumerate(ET.fromstring(xml).iter(f"{NS}page"), start=1):
        found = []
        for line in page.iter(f"{NS}line"):
            words = list(line.iter(f"{NS}word"))
            if not words:
                continue
            found.append(Line(number, min(float(w.get("xMin")) for w in words), float(line.get("yMin")),
                              max(float(w.get("xMax")) for w in words), float(line.get("yMax")),
                              "".join(w.text or "" for w in words)))
        pages.append(sorted(found, key=lambda ln: (round(ln.y0), ln.x0)))
    return pages


def is_cjk_only(text: str) -> bool:
    return bool(text) and all(unicodedata.east_asian_width(ch) in "WFA" for ch in text)


def body_lines(pages: list[list[Line]]) -> list[Line]:
    """Lines of body text inside the type area (not the page number below it)."""
    return [ln for page in pages for ln in page
            if BODY_HEIGHT[0] <= ln.height <= BODY_HEIGHT[1] and TOP - 2 <= ln.y0 and ln.y1 <= BOTTOM + 2]


def full_line_counts(pages: list[list[Line]]) -> list[int]:
    """Characters on each full body line: starting at the left edge, reaching the right edge, all 汉字 or full-width
    punctuation (so each character is one cell, whatever the font's Latin widths)."""
    return [len(ln.text) for ln in body_lines(pages)
            if ln.x0 <= LEFT + 2 and ln.x1 >= RIGHT - 16 and is_cjk_only(ln.text)]


def lines_per_page(page: list[Line]) -> int:
    """Distinct body-text lines of a page (a line split into several boxes counts once)."""
    tops = sorted({round(ln.y0) for ln in body_lines([page])})
    merged = [t for i, t in enumerate(tops) if i == 0 or t - tops[i - 1] > 3]
    return len(merged)


def plain_pages(pages: list[list[Line]]) -> list[int]:
    """Indexes of the pages that hold only body text, filled to the foot: neither the first nor the last page, no
    table or title lines (other heights), the last line within two lines of the bottom of the type area."""
    found = []
    for i, page in enumerate(pages[1:-1], start=1):
        inside = [ln for ln in page if ln.y1 <= BOTTOM + 2]
        if inside and all(BODY_HEIGHT[0] <= ln.height <= BODY_HEIGHT[1] for ln in inside) \
                and max(ln.y1 for ln in inside) >= BOTTOM - 2 * 29:
            found.append(i)
    return found


def summary(pdf: str) -> dict:
    pages = lines_of(pdf)
    counts = full_line_counts(pages)
    plain = plain_pages(pages)
    per_page = [lines_per_page(pages[i]) for i in plain]
    return {
        "pages": len(pages),
        "chars_per_line": statistics.mode(counts) if counts else None,
        "chars_range": (min(counts), max(counts)) if counts else None,
        "full_lines": len(counts),
        "lines_per_page": statistics.mode(per_page) if per_page else None,
        "lines_range": (min(per_page), max(per_page)) if per_page else None,
        "plain_pages": len(plain),
    }


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(path, summary(path))
