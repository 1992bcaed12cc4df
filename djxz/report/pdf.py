"""Converting rendered DOCX files to PDF with LibreOffice (`soffice --headless --convert-to pdf`), the same path
every time: the README's previews, the tests and `djxz brief --format pdf` all go through `docx_to_pdf`.

Each conversion runs with a private, temporary LibreOffice profile (two runs at once, or a user's open LibreOffice, do
not block each other), under a timeout, and is killed with its children when the time is up. On Linux a private
fontconfig file lets the standard's fonts (仿宋_GB2312, 方正小标宋简体 …) fall back to an installed serif or sans CJK face
of the same kind instead of whatever fontconfig picks first; an installed real font still wins.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from djxz.errors import DjxzError, UserError

TIMEOUT_SECONDS = 180
INSTALL_HINT = (
    "请安装 LibreOffice 后重试：Debian/Ubuntu/统信/麒麟用 sudo apt install libreoffice-writer；"
    "Windows 和 macOS 从 https://zh-cn.libreoffice.org/download/ 下载安装。"
    "也可以用 WPS 或 Word 打开已生成的 DOCX，另存为 PDF"
)

# The standard's faces and what stands in for each where it is missing: serif (Song/Fangsong/Kai) or sans (Hei).
_FALLBACK = {
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "SimSun", "宋体", "Noto Serif CJK SC", "Source Han Serif SC", "serif"),
    "仿宋_GB2312": ("FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "serif"),
    "仿宋": ("FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "serif"),
    "楷体_GB2312": ("KaiTi", "楷体", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", "serif"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "serif"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"),
}


class PdfUnavailable(UserError):
    """LibreOffice is not installed: the user has to install it (exit 2)."""


class PdfFailed(DjxzError):
    """LibreOffice is there but did not convert (exit 1)."""


def find_soffice() -> str | None:
    """The LibreOffice program: $DJXZ_SOFFICE, else soffice or libreoffice on PATH, else the usual install folder."""
    override = os.environ.get("DJXZ_SOFFICE")
    if override:
        return override if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = []
    if sys.platform == "win32":
        for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(p) for p in candidates if p.is_file()), None)


def docx_to_pdf(documents: dict[str, bytes], timeout: float = TIMEOUT_SECONDS) -> dict[str, bytes]:
    """PDF bytes for each named DOCX (name -> bytes), converted by one LibreOffice run in a temporary folder.

    Raises PdfUnavailable when LibreOffice is not installed, PdfFailed when it fails or runs out of time.
    """
    if not documents:
        return {}
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(f"没有找到 LibreOffice（soffice），无法生成 PDF。{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="djxz-pdf-") as tmp:
        tmp_path = Path(tmp)
        src, out = tmp_path / "in", tmp_path / "out"
        src.mkdir()
        out.mkdir()
        # Plain ASCII names inside the folder: the output name follows the input's, whatever the locale.
        names = {}
        for i, (name, data) in enumerate(documents.items(), start=1):
            (src / f"d{i}.docx").write_bytes(data)
            names[name] = f"d{i}"
        command = [
            soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
            *(str(src / f"{stem}.docx") for stem in names.values()),
        ]
        _run(command, _environment(tmp_path), timeout)
        result = {}
        for name, stem in names.items():
            pdf = out / f"{stem}.pdf"
            data = pdf.read_bytes() if pdf.is_file() else b""
            if not data.startswith(b"%PDF-"):
                raise PdfFailed(f"LibreOffice 没有把《{name}》转换为 PDF（{soffice}）。DOCX 已照常生成，可用 WPS 或 Word 另存为 PDF")
            result[name] = data
        return result


def _run(command: list[str], env: dict[str, str], timeout: float) -> None:
    """Run LibreOffice; on timeout end it and every process it started (its own process group / job)."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=posix)
    except OSError as exc:
        raise PdfUnavailable(f"无法启动 LibreOffice（{command[0]}：{exc.strerror or exc}）。{INSTALL_HINT}") from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if posix:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            proc.kill()
        proc.communicate()
        raise PdfFailed(f"LibreOffice 在 {timeout:g} 秒内没有完成 PDF 转换，已终止。DOCX 已照常生成，可稍后重试") from None
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"退出码 {proc.returncode}"]
        raise PdfFailed(f"LibreOffice 转换 PDF 失败：{detail[0]}")


def _environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform in ("win32", "darwin"):
        return env
    system = env.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    if not Path(system).is_file():
        return env
    conf = tmp / "fonts.conf"
    conf.write_text(_fonts_conf(system), encoding="utf-8")
    env["FONTCONFIG_FILE"] = str(conf)
    return env


def _fonts_conf(system: str) -> str:
    """The system's fontconfig plus, for each face of the standard, its stand-ins after it (`accept`: the real face,
    when installed, still comes first)."""
    from xml.sax.saxutils import escape

    aliases = []
    for face, stand_ins in _FALLBACK.items():
        accept = "".join(f"<family>{escape(s)}</family>" for s in stand_ins)
        aliases.append(f"  <alias binding=\"strong\"><family>{escape(face)}</family><accept>{accept}</accept></alias>")
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(system)}</include>\n' + "\n".join(aliases) + "\n</fontconfig>\n"
    )
