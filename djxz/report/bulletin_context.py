"""The numbered bulletin's context (信息简报): masthead, activities, distribution footer."""

from __future__ import annotations

import datetime as dt

from djxz.model import Activity, Document, Zone
from djxz.report.common import (
    BULLETIN, BULLETIN_KIND, _activity_block, _duty_slot, _recorded_block, _unit_block, _zone_block, clean, cn_date, heading1,
    join,
)

def recorded_bulletin(zone: Zone, activity_id: str) -> Document | None:
    """The issued bulletin (信息简报) that covers an activity (the earliest, if it was covered twice)."""
    found = [d for d in zone.documents_of(BULLETIN_KIND) if activity_id in d.activities]
    return min(found, key=lambda d: (d.date, d.number or 0, d.id)) if found else None


def next_bulletin_number(zone: Zone, year: int) -> int:
    """The next free number of a year: one past the highest issued, so a number is never reused, not even a gap's."""
    numbers = [d.number for d in zone.documents_of(BULLETIN_KIND) if d.date.year == year and d.number]
    return max(numbers, default=0) + 1


def build_bulletin_context(
    zone: Zone,
    activities: list[Activity],
    number: int,
    issued: dt.date,
    provisional: bool = False,
    record: Document | None = None,
) -> dict:
    """A numbered bulletin (信息简报) on one or more activities. `record` is its document record once issued."""
    info = zone.info
    settings = info.bulletin
    slot = _duty_slot(zone, issued)
    compiler_id = record.issuer if record and record.issuer else (slot.unit if slot else info.lead_unit)
    compiler = _unit_block(zone, compiler_id)
    blocks = [_activity_block(zone, a) for a in sorted(activities, key=lambda a: (a.date, a.id))]
    if record is not None:
        title = clean(record.title)
    elif len(blocks) == 1:
        title = blocks[0]["title"]
    else:
        title = f"{blocks[0]['title']}等{len(blocks)}项活动" if blocks else ""
    for i, b in enumerate(blocks, start=1):
        b["heading"] = heading1(i, b["title"]) if len(blocks) > 1 else ""
    report_to = [clean(x) for x in settings.report_to] or ["协作区领导小组", clean(info.political_office)]
    send_to = [clean(x) for x in settings.send_to]
    distribute_to = [clean(x) for x in settings.distribute_to] or ["协作区各成员单位"]

    def line(label: str, names: list[str]) -> str:
        names = [n for n in names if n]
        return f"{label}：{join(names, '，')}。" if names else ""

    year = issued.year
    number_text = f"第{number}期" + ("（期号待定）" if provisional else "")
    stem = f"{year}年第{number}期信息简报" + ("（期号待定）" if provisional else "")
    return {
        "kind": BULLETIN,
        "title": title,
        "file_stem": stem,
        "zone": _zone_block(zone),
        "masthead": {
            "name": clean(settings.name) or "党建协作区工作简报",
            "number": number,
            "year": year,
            "number_text": number_text,
            "compiler": f"{clean(info.short_name or info.name)}轮值单位（{compiler['short_name']}）编",
            "date": cn_date(issued),
        },
        "provisional": provisional,
        "compiler": compiler,
        "activities": blocks,
        "multiple": len(blocks) > 1,
        "footer": {
            "report_to": line("报", report_to),
            "send_to": line("送", send_to),
            "distribute_to": line("发", distribute_to),
            "copies": settings.copies,
            "copies_text": f"（共印{settings.copies}份）" if settings.copies else "",
        },
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }
