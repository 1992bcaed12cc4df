"""The 版头 (issuing mark, 发文字号, red rule) and 版记 of an official document (GB/T 9704 7.2, 7.4), as context data.

Only a zone that declares `documents:` in zone.yaml issues its reports and plans as 文件 with a 版头; the others keep
the plain layout. A draft (no number yet) shows the number's blank, 伊协〔2026〕　　号, for the office to fill in or to
re-render with `--issue`; it carries no 征求意见稿 mark, so the draft and the issued file lay out the same.
"""

from __future__ import annotations

import datetime as dt

from djxz.domain.numbering import number_text
from djxz.model import Zone
from djxz.report.context import clean, cn_date, join


def issue_block(zone: Zone, day: dt.date, number: int | None) -> dict:
    """`issue` in a report's or plan's context: whether it has a 版头, the mark, the number text, and the 版记 lines.

    `day` is the issue date (its year goes in 〔〕), `number` the 发文字号 序号 or None for a draft."""
    settings = zone.info.documents
    if settings is None:
        return {"header": False, "mark": "", "number": None, "number_text": "", "issued": False, "closing": None}
    mark = clean(settings.issuer_mark)
    if not mark.endswith("文件"):
        mark += "文件"
    short = clean(zone.info.short_name or zone.info.name)
    copy_to = [clean(x) for x in settings.copy_to if clean(x)]
    return {
        "header": True,
        "mark": mark,
        "number": number,
        "number_text": number_text(clean(settings.number_prefix), day.year, number),
        "issued": number is not None,
        "closing": {
            "copy_to": f"抄送：{join(copy_to, '，')}。" if copy_to else "",
            "printer": clean(settings.printer) or f"{short}领导小组办公室",
            "print_date": f"{cn_date(day)}印发",
            "copies_text": f"（共印{settings.copies}份）" if settings.copies else "",
        },
    }
