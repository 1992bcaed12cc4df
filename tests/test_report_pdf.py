"""LibreOffice converts every document of the example zone to PDF: A4 pages, numbered "— N —" on every page, and the
text holds the title and the duty unit. Skipped, with the reason, where LibreOffice or poppler is not installed
(.ci/run installs them from Debian's packages when it can)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE, EXAMPLE_TODAY, run_cli

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
        "plan": (plan["title"], plan["duty_unit"]["name"]),
        "bulletin": (bulletin["title"], bulletin["compiler"]["short_name"]),
    }


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("pdf")
    zone = base / "data"
    shutil.copytree(EXAMPLE, zone)
    docx = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
        for name, args in DOCUMENTS.items():
            out = base / name
            code, _, err = run_cli(*args, "--zone", str(zone), "--out", str(out), "--format", "docx")
            assert code == 0, err
            made = next(out.glob("*.docx"))
            target = base / f"{name}.docx"
            shutil.copyfile(made, target)
            docx.append(target)
    # A private LibreOffice profile: other LibreOffice processes on the machine do not block this one.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{base}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(base), *map(str, docx)], check=True, capture_output=True, timeout=600)
    result = {name: base / f"{name}.pdf" for name in DOCUMENTS}
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
