"""LibreOffice converts every document of the example zone to PDF through `--format pdf` (the path users take), and
the PDF is measured with `pdftotext -bbox-layout` (tests/pdf_layout.py): 28 ± 1 汉字 a line and 22 ± 1 lines a page of
body text (GB/T 9704), numbered "— N —" on the outer side of every page, the 版记 at the foot of the last page, title
lines cut between words. Skipped, with the reason, where LibreOffice or poppler is not installed (.ci/run installs
them from Debian's packages when it can)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE, EXAMPLE_TODAY, run_cli
from pdf_layout import BOTTOM, LEFT, PAGE_HEIGHT, RIGHT, full_line_counts, lines_of, lines_per_page, plain_pages

from djxz.report.titles import title_words

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）把 DOCX 转换为 PDF"),
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                       reason="需要 poppler-utils（pdftotext、pdfinfo）读取 PDF"),
]

DOCUMENTS = {
    "half-year": ["brief", "--half-year"],
    "annual": ["brief", "--annual"],
    "plan": ["brief", "--plan", "--year", "2026"],
    "bulletin": ["bulletin", "2026-03-25-lianpian-dangke"],
}


def _expected(zone_root: Path) -> dict[str, tuple[str, str]]:
    """(title, duty unit) of each document, from the context builders."""
    from djxz.app.check import load_valid_zone
    from djxz.domain.periods import Period
    from djxz.report import context as c

    today = dt.date.fromisoformat(EXAMPLE_TODAY)
    zone = load_valid_zone(zone_root, today)
    half = c.build_report_context(zone, Period("half", 2026, 1), today)
    annual = c.build_report_context(zone, Period("year", 2025), today)
    plan = c.build_plan_context(zone, 2026, today)
    bulletin = c.build_bulletin_context(zone, [zone.activity("2026-03-25-lianpian-dangke")], 5, today,
                                        record=c.recorded_bulletin(zone, "2026-03-25-lianpian-dangke"))
    return {
        "half-year": (half["title"], half["duty_unit"]["name"]),
        "annual": (annual["title"], annual["duty_unit"]["name"]),
        # The plan is issued as a notice whose title the template writes around the plan's own (recorded) title.
        "plan": (f"关于印发《{plan['plan_title'] or c.recorded_document(zone, '年度协作计划', '2026').title}》的通知",
                 plan["duty_unit"]["name"]),
        "bulletin": (bulletin["title"], bulletin["compiler"]["short_name"]),
    }


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("pdf")
    zone = base / "data"
    shutil.copytree(EXAMPLE, zone)
    result: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
        for name, args in DOCUMENTS.items():
            out = base / name
            code, _, err = run_cli(*args, "--zone", str(zone), "--out", str(out), "--format", "pdf")
            assert code == 0, err
            [result[name]] = out.glob("*.pdf")
    result["_zone"] = zone
    return result


def _squeeze(text: str) -> str:
    """LibreOffice may set CJK text on its character grid with spaces in between: compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_libreoffice_converts_the_document(pdfs: dict[str, Path], name: str) -> None:
    pdf = pdfs[name]
    assert pdf.is_file(), f"LibreOffice did not convert {name}"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    assert (round(width), round(height)) == (595, 842)  # A4
    assert pages >= 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = _squeeze(text)
    # Every page carries its number from the PAGE field, so the numbers found are exactly 1..pages.
    numbers = sorted({int(n) for n in re.findall(r"—(\d+)—", flat)})
    assert numbers == list(range(1, pages + 1))
    title, duty_unit = _expected(pdfs["_zone"])[name]
    assert _squeeze(title) in flat
    assert _squeeze(duty_unit) in flat


# -- the layout, measured -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_body_lines_hold_28_characters(pdfs: dict[str, Path], name: str) -> None:
    counts = full_line_counts(lines_of(str(pdfs[name])))
    assert counts, f"{name}: no full line of body text found"
    if len(counts) >= 5:  # enough lines for a mode; a one-page bulletin may have a single full line
        assert max(set(counts), key=counts.count) == 28, counts
    # Line-breaking rules (a closing mark may hang in the margin, an opening quote is not left at a line's end) move a
    # character now and then; nearly every line still holds 28 ± 1.
    within = [c for c in counts if 27 <= c <= 29]
    assert len(within) >= 0.9 * len(counts), counts


@pytest.mark.parametrize("name", ["half-year", "annual", "plan"])
def test_a_full_page_holds_22_lines(pdfs: dict[str, Path], name: str) -> None:
    pages = lines_of(str(pdfs[name]))
    plain = plain_pages(pages)
    assert plain, f"{name}: no page of body text only"
    counts = [lines_per_page(pages[i]) for i in plain]
    # 22 on the grid (GB/T 9704: 22 ± 1); 21 where widow and orphan control, or a heading kept with its paragraph,
    # carries a line over to the next page.
    assert all(21 <= c <= 22 for c in counts), counts


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_page_numbers_sit_on_the_outer_side(pdfs: dict[str, Path], name: str) -> None:
    one_char = 14  # 四号
    for number, page in enumerate(lines_of(str(pdfs[name])), start=1):
        [mark] = [ln for ln in page if ln.y0 > BOTTOM and re.fullmatch(r"—\s*\d+\s*—", ln.text)]
        assert int(re.sub(r"\D", "", mark.text)) == number
        if number % 2:  # odd: right, one character in from the edge of the type area
            assert abs(mark.x1 - (RIGHT - one_char)) < 2, (number, mark)
        else:
            assert abs(mark.x0 - (LEFT + one_char)) < 2, (number, mark)


def test_the_bulletins_closing_block_is_at_the_foot_of_its_last_page(pdfs: dict[str, Path]) -> None:
    last = lines_of(str(pdfs["bulletin"]))[-1]
    [copies] = [ln for ln in last if "共印" in ln.text]
    assert copies.y0 > 0.75 * PAGE_HEIGHT
    assert copies.y1 <= BOTTOM + 2  # inside the type area, its rule on the bottom edge


@pytest.mark.parametrize("name", ["half-year", "annual", "plan"])
def test_the_reports_closing_block_is_at_the_foot_of_its_last_page(pdfs: dict[str, Path], name: str) -> None:
    last = lines_of(str(pdfs[name]))[-1]
    [printed] = [ln for ln in last if ln.text.endswith("印发")]
    assert printed.y0 > 0.75 * PAGE_HEIGHT


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_title_lines_start_and_end_between_words(pdfs: dict[str, Path], name: str) -> None:
    title, _ = _expected(pdfs["_zone"])[name]
    first = lines_of(str(pdfs[name]))[0]
    lines = [ln.text for ln in first if 26 <= ln.height <= 31]  # 二号 (22 pt) lines
    assert "".join(lines) == _squeeze(title)
    words = title_words(title)
    ends = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    cuts = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    assert all(cut in ends for cut in cuts), (lines, words)


def test_the_issued_report_shows_its_number_under_the_mark(pdfs: dict[str, Path]) -> None:
    first = lines_of(str(pdfs["half-year"]))[0]
    texts = [ln.text for ln in first]
    assert texts[:2] == ["伊犁河谷协作区文件", "伊协〔2026〕6号"]
