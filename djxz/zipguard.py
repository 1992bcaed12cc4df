"""Office files (.xlsx, .docx) are zip archives of XML: measure one before anything parses it.

An .xlsx given to `djxz import`, or a .docx template from a pull request, can be a zip bomb (a few kilobytes that
inflate to gigabytes) or hold thousands of members. The archive's directory is read first and the file is refused when
it has too many members or too much uncompressed data. Python's zipfile never inflates a member past the size its
directory declares, so these totals bound what any later reader can be made to inflate. The XML inside is parsed with
entity expansion forbidden (defusedxml, which openpyxl uses when it is installed; python-docx resolves no entities).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from djxz.errors import DataError

MAX_MEMBERS = 5_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a real workbook of ten thousand rows is a few megabytes
MAX_RATIO = 200  # deflate rarely passes 20:1 on office XML; a member over 200:1 is built to explode


def check_office_zip(path: Path, what: str) -> None:
    """Refuse (DataError, exit 1) an archive over the limits; a file that is not a zip is left to the parser to say."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > MAX_MEMBERS:
        raise DataError(f"{what} {Path(path).name} 含有 {len(members)} 个内部文件，超过上限 {MAX_MEMBERS}：这不是正常的 Office 文件，已拒绝读取")
    total = 0
    for info in members:
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise DataError(f"{what} {Path(path).name} 解压后超过 {MAX_UNCOMPRESSED // (1024 * 1024)} MB（可能是“压缩炸弹”），已拒绝读取")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DataError(f"{what} {Path(path).name} 中的 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)}:1，"
                            "可能是“压缩炸弹”），已拒绝读取")
