"""The numbered bulletin's context (信息简报): masthead, the activities as news facts, distribution footer.

Data only: who hosted, who took part (member units and 共建单位 apart), how many, where, what for (the plan item's
note), and the words of the record's title that name the event. `templates/bulletin.md.j2` writes the headline, the
lead sentence and every other phrase from these facts; see docs/documents.md for its blocks.
"""

from __future__ import annotations

import datetime as dt
import re

from djxz.model import Activity, Document, Zone
from djxz.report.common import (
    BULLETIN, BULLETIN_KIND, _duty_slot, _recorded_block, _unit_block, _unit_name, _zone_block, clean, cn_date,
    cn_month_day, cn_number, paragraphs,
)

# A record title often starts by naming the zone ("协作区篮球比赛"); the headline names its actor itself.
_ZONE_WORD = re.compile(r"^本?协作区|(?<=年度)协作区")
_END_PUNCT = "。；;，,、 "


def recorded_bulletin(zone: Zone, activity_id: str) -> Document | None:
    """The issued bulletin (信息简报) that covers an activity (the earliest, if it was covered twice)."""
    found = [d for d in zone.documents_of(BULLETIN_KIND) if activity_id in d.activities]
    return min(found, key=lambda d: (d.date, d.number or 0, d.id)) if found else None


def next_bulletin_number(zone: Zone, year: int) -> int:
    """The next free number of a year: one past the highest issued, so a number is never reused, not even a gap's."""
    numbers = [d.number for d in zone.documents_of(BULLETIN_KIND) if d.date.year == year and d.number]
    return max(numbers, default=0) + 1


def event_words(title: str) -> tuple[str, str]:
    """The words of a record's title that name the event, and its topic: "联片党课：守好祖国西大门" gives
    ("联片党课", "守好祖国西大门"); "协作区" is dropped ("2026年度协作区联席会议" gives "2026年度联席会议"), since the
    headline names its own actor."""
    text = _ZONE_WORD.sub("", clean(title)) or clean(title)
    for sep in ("：", ":"):
        if sep in text:
            event, topic = text.split(sep, 1)
            if event.strip() and topic.strip():
                return event.strip(), topic.strip()
    return text, ""


def _sentence(text: str) -> str:
    """A record's phrase without its closing punctuation, so a template can put it inside its own sentence."""
    return clean(text).rstrip(_END_PUNCT)


def _when(act: Activity) -> str:
    when = cn_month_day(act.date)
    if act.end_date and act.end_date != act.date:
        when += f"至{cn_month_day(act.end_date) if act.end_date.year == act.date.year else cn_date(act.end_date)}"
    return when


def _is_member(zone: Zone, unit_id: str) -> bool:
    unit = zone.unit(unit_id)
    return unit is None or unit.is_member_unit


def _purpose(zone: Zone, act: Activity) -> str:
    """What the activity was for, when a record says so: the note of the plan item it carried out."""
    if not act.plan_item:
        return ""
    plan = zone.plans.get(act.date.year)
    item = next((i for i in plan.items if i.id == act.plan_item), None) if plan else None
    return _sentence(item.note) if item and item.note else ""


def news_block(zone: Zone, act: Activity, index: int) -> dict:
    """One activity as the facts a news item is written from."""
    others = [u for u in act.participants if u not in act.hosts]
    members = [u for u in act.units if _is_member(zone, u)]
    partners = [u for u in act.units if not _is_member(zone, u)]
    event, topic = event_words(act.title)
    return {
        "id": act.id,
        "number": index,
        "number_cn": cn_number(index),
        "date": cn_date(act.date),
        "when": _when(act),
        "title": clean(act.title),
        "event": event,
        "topic": topic,
        # A topic with its own quotation marks is not quoted again (docxtpl cannot test for "“" inside a tag).
        "topic_quoted": "“" in topic,
        "category": act.category,
        "kind": act.kind,
        "hosts": [_unit_name(zone, u, short=True) for u in act.hosts],
        # Who took part besides the hosts, member units first; partners are also listed apart for "联合…".
        "participants": [_unit_name(zone, u, short=True) for u in others],
        "partners": [_unit_name(zone, u, short=True) for u in partners],
        "member_units": len(members),
        "units": len(act.units),
        # More than one member unit: a zone activity, whose actor in a headline is the zone.
        "zone_wide": len(members) > 1,
        "attendance": act.attendance,
        "location": clean(act.location),
        "purpose": _purpose(zone, act),
        "summary": paragraphs(act.summary),
        "practices": [_sentence(p) for p in paragraphs("\n".join(act.practices))],
        "highlight": act.highlight,
    }


def _common(blocks: list[dict]) -> dict:
    """What several activities share, for one headline on their common theme."""
    kinds = {b["kind"] for b in blocks}
    categories = {b["category"] for b in blocks}
    partners = [p for p in dict.fromkeys(p for b in blocks for p in b["partners"]) if all(p in b["partners"] for b in blocks)]
    attendance = [b["attendance"] for b in blocks if b["attendance"] is not None]
    return {
        "count": len(blocks),
        "kind": blocks[0]["kind"] if len(kinds) == 1 else "",
        "category": blocks[0]["category"] if len(categories) == 1 else "",
        "categories": list(dict.fromkeys(b["category"] for b in blocks)),
        "partners": partners,
        "first": blocks[0]["when"],
        "last": blocks[-1]["when"],
        "attendance": sum(attendance),
        "attendance_complete": len(attendance) == len(blocks),
    }


def build_bulletin_context(
    zone: Zone,
    activities: list[Activity],
    number: int,
    issued: dt.date,
    provisional: bool = False,
    record: Document | None = None,
    title: str | None = None,
) -> dict:
    """A numbered bulletin (信息简报) on one or more activities. `record` is its document record once issued.

    `title` is the headline: the one given (`--title`), else the issued record's, else empty, and then the template's
    `headline` block writes it (djxz.app.brief fills it in before rendering, so Markdown, DOCX and the record agree).
    """
    info = zone.info
    settings = info.bulletin
    slot = _duty_slot(zone, issued)
    compiler_id = record.issuer if record and record.issuer else (slot.unit if slot else info.lead_unit)
    compiler = _unit_block(zone, compiler_id)
    ordered = sorted(activities, key=lambda a: (a.date, a.id))
    blocks = [news_block(zone, a, i) for i, a in enumerate(ordered, start=1)]
    if title:
        headline = clean(title)
    elif record is not None:
        headline = clean(record.title)
    else:
        headline = ""
    report_to = [clean(x) for x in settings.report_to] or [clean(info.political_office)]
    stem = f"{issued.year}年第{number}期信息简报" + ("（期号待定）" if provisional else "")
    return {
        "kind": BULLETIN,
        "title": headline,
        "file_stem": stem,
        "zone": _zone_block(zone),
        "masthead": {
            "name": clean(settings.name) or "党建协作区工作简报",
            "number": number,
            "year": issued.year,
            "date": cn_date(issued),
        },
        "provisional": provisional,
        "compiler": compiler,
        "activities": blocks,
        "multiple": len(blocks) > 1,
        "common": _common(blocks) if blocks else {},
        "footer": {
            # Default recipients when the zone names none: the leading group (written by the template) and the
            # superior's political office (DOMAIN.md, duty unit ④).
            "report_to": [n for n in report_to if n],
            "report_to_default": not settings.report_to,
            "send_to": [n for n in (clean(x) for x in settings.send_to) if n],
            "distribute_to": [n for n in (clean(x) for x in settings.distribute_to) if n],
            "copies": settings.copies,
        },
        "date": cn_date(issued),
        "date_iso": issued.isoformat(),
        "recorded": _recorded_block(record),
    }
