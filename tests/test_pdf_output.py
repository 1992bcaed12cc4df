"""`--format pdf` and `all`: LibreOffice converts the DOCX into the output folder; without LibreOffice a Chinese error
(exit 2) that names the package, and the Markdown and DOCX are still written. The real conversion runs where soffice is
installed (CI installs it); the error paths run everywhere, with LibreOffice hidden or replaced by a stand-in script."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE_TODAY, run_cli

from djxz.app.brief import parse_formats
from djxz.errors import UserError
from djxz.report.pdf import PdfFailed, PdfUnavailable, docx_to_pdf, find_soffice

HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="需要 LibreOffice（soffice）和 poppler-utils（pdftotext）")


def test_all_means_the_three_formats() -> None:
    assert parse_formats("all") == ("md", "docx", "pdf")
    assert parse_formats("pdf") == ("pdf",)
    assert parse_formats("md，pdf") == ("md", "pdf")
    with pytest.raises(UserError, match="all"):
        parse_formats("odt")


def _hide_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "no-office"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DJXZ_SOFFICE", raising=False)


def test_without_libreoffice_md_and_docx_are_written_and_exit_2(example_zone: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _hide_libreoffice(monkeypatch, tmp_path)
    monkeypatch.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("brief", "--half-year", "--zone", str(example_zone), "--out", str(out),
                                   "--format", "all")
    assert code == 2
    assert "没有找到 LibreOffice" in stderr and "libreoffice-writer" in stderr and "Windows" in stderr
    written = sorted(p.suffix for p in out.iterdir())
    assert written == [".docx", ".md"]  # no PDF, and nothing pretending to be one
    assert "已写入" in stdout  # the files that were written are listed before the error


def test_pdf_alone_without_libreoffice_leaves_the_docx_to_convert_by_hand(example_zone: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _hide_libreoffice(monkeypatch, tmp_path)
    monkeypatch.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
    out = tmp_path / "out"
    code, _, stderr = run_cli("bulletin", "2026-03-25-lianpian-dangke", "--zone", str(example_zone),
                              "--out", str(out), "--format", "pdf")
    assert code == 2, stderr
    assert [p.suffix for p in out.iterdir()] == [".docx"]


def _stand_in(tmp_path: Path, body: str) -> Path:
    """A script in LibreOffice's place, to drive the error paths (it never produces a PDF)."""
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.skipif(os.name != "posix", reason="stand-in LibreOffice is a shell script")
def test_a_conversion_that_hangs_is_ended_at_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "child.pid"
    # The stand-in starts a child, as soffice starts soffice.bin; the timeout must end both.
    script = _stand_in(tmp_path, f"sh -c 'echo $$ > {pid_file}; exec sleep 60' >/dev/null 2>&1 &\nexec sleep 60")
    monkeypatch.setenv("DJXZ_SOFFICE", str(script))
    with pytest.raises(PdfFailed, match="秒内没有完成"):
        docx_to_pdf({"文件": b"PK"}, timeout=2)
    child = int(pid_file.read_text().strip())
    for _ in range(50):  # the orphaned child is reaped by init shortly after the kill
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.is_file() and state.read_text().split()[2] == "Z")


@pytest.mark.skipif(os.name != "posix", reason="stand-in LibreOffice is a shell script")
def test_a_conversion_that_writes_nothing_is_an_error_not_an_empty_pdf(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    args_file = tmp_path / "args"
    monkeypatch.setenv("DJXZ_SOFFICE", str(_stand_in(tmp_path, f'printf "%s\\n" "$@" > {args_file}')))
    with pytest.raises(PdfFailed, match="没有把《文件》转换为 PDF"):
        docx_to_pdf({"文件": b"PK"})
    args = args_file.read_text(encoding="utf-8").splitlines()
    # A private profile in a temporary folder, headless, converting to PDF.
    assert args[0].startswith("-env:UserInstallation=file:///") and args[0].endswith("/profile")
    assert "--headless" in args and args[args.index("--convert-to") + 1].startswith("pdf")


def test_soffice_named_by_the_environment_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJXZ_SOFFICE", str(tmp_path / "missing"))
    assert find_soffice() is None
    with pytest.raises(PdfUnavailable):
        docx_to_pdf({"文件": b"PK"})


@needs_soffice
@pytest.mark.slow
def test_brief_format_pdf_writes_a_real_pdf(example_zone: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("brief", "--half-year", "--zone", str(example_zone), "--out", str(out),
                                   "--format", "pdf")
    assert code == 0, stderr
    files = list(out.iterdir())
    assert [p.suffix for p in files] == [".pdf"]  # only what was asked for
    pdf = files[0]
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "上半年" in text and "PDF" in stdout


@needs_soffice
@pytest.mark.slow
def test_bulletin_all_writes_md_docx_and_pdf(example_zone: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
    out = tmp_path / "out"
    code, _, stderr = run_cli("bulletin", "2026-03-25-lianpian-dangke", "--zone", str(example_zone),
                              "--out", str(out), "--format", "all")
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["2026年第5期信息简报.docx", "2026年第5期信息简报.md",
                                                     "2026年第5期信息简报.pdf"]
    text = subprocess.run(["pdftotext", str(out / "2026年第5期信息简报.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "第5期" in text
