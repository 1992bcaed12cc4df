"""Pieces every document's context shares: text helpers (Chinese dates, heading numbers, one-line text) and the
blocks that describe a zone, a unit, an activity and a plan item as plain data.

Pure functions over the zone's records. Every string is single-line and free of control characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Iterable

from djxz.domain.rotation import duty_unit_for
from djxz.model import Activity, Document, PlanItem, Unit, Zone

HALF_YEAR = "half_year"
ANNUAL = "annual"
PLAN = "plan"
BULLETIN = "bulletin"

BULLETIN_KIND = "信息简报"
RECORD_KINDS = {HALF_YEAR: "半年总结通报", ANNUAL: "年度总结通报", PLAN: "年度协作计划", BULLETIN: BULLETIN_KIND}

# Meetings the plan schedules again and again (DOMAIN.md, "Recurring meetings"); every other item is an activity.
MEETING_KINDS = ("月度党建座谈", "半年总结部署会", "年度工作谋划会", "发展工作联席会", "联席会议", "工作调度会")

_DIGITS = "零一二三四五六七八九"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


# -- text helpers -------------------------------------------------------------------------------------------------------

def clean(text: object) -> str:
    """One line of text: control characters dropped, runs of whitespace (tabs, newlines) made one space."""
    if text is None:
        return ""
    value = _CONTROL.sub("", str(text).replace("\t", " "))
    return re.sub(r"\s*\n\s*", " ", value).strip()


def paragraphs(text: str | None) -> list[str]:
    """A record's free text as paragraphs: one per non-empty line (how clerks write multi-line YAML text)."""
    if not text:
        return []
    out = []
    for line in str(text).splitlines():
        line = clean(line)
        if line:
            out.append(line)
    return out


def cn_date(day: dt.date) -> str:
    """GB/T 9704: Arabic numerals, no leading zeros: 2024年7月15日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (heading numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def heading1(n: int, text: str) -> str:
    return f"{cn_number(n)}、{text}"


def heading2(n: int, text: str) -> str:
    return f"（{cn_number(n)}）{text}"


def join(names: Iterable[str], sep: str = "、") -> str:
    return sep.join(n for n in names if n)


def display_width(text: str) -> float:
    """Width in full-width characters: CJK and full-width count 1, everything else ½ (for right-indents by 字)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


# -- shared pieces ------------------------------------------------------------------------------------------------------

def _unit_name(zone: Zone, unit_id: str | None, short: bool = False) -> str:
    return clean(zone.unit_name(unit_id, short=short))


def _signature_name(unit: Unit | None, fallback: str) -> str:
    """A party document is signed by the party committee; the unit's own name when its committee is not recorded."""
    if unit is None:
        return clean(fallback)
    if unit.party_org and unit.party_org.name:
        return clean(unit.party_org.name)
    return clean(unit.name)


def _zone_block(zone: Zone) -> dict:
    info = zone.info
    return {
        "name": clean(info.name),
        "short_name": clean(info.short_name or info.name),
        "lead_unit": _unit_name(zone, info.lead_unit),
        "city_committee": clean(info.city_committee),
        "political_office": clean(info.political_office),
    }


def _unit_block(zone: Zone, unit_id: str | None, recorded: bool | None = None) -> dict:
    unit = zone.unit(unit_id or "")
    return {
        "id": unit_id or "",
        "name": _unit_name(zone, unit_id),
        "short_name": _unit_name(zone, unit_id, short=True),
        "signature": _signature_name(unit, unit_id or ""),
        "recorded": recorded,
    }


def _duty_slot(zone: Zone, day: dt.date):
    return duty_unit_for(zone, day)


def recorded_document(zone: Zone, kind: str, period: str | None = None) -> Document | None:
    """The issued document of a kind for a period (the latest when there are several), or None."""
    found = [d for d in zone.documents_of(kind) if period is None or d.period == period]
    return max(found, key=lambda d: (d.date, d.id)) if found else None


def _activity_block(zone: Zone, act: Activity) -> dict:
    hosts = [_unit_name(zone, u, short=True) for u in act.hosts]
    others = [_unit_name(zone, u, short=True) for u in act.participants if u not in act.hosts]
    when = cn_month_day(act.date)
    if act.end_date and act.end_date != act.date:
        when += f"至{cn_month_day(act.end_date) if act.end_date.year == act.date.year else cn_date(act.end_date)}"
    line = f"{when}，{join(hosts)}"
    if act.location:
        line += f"在{clean(act.location)}"
    line += f"组织{clean(act.title)}"
    if others:
        line += f"，{join(others)}参加"
    if act.attendance is not None:
        line += f"，共{act.attendance}人"
    line += "。"
    return {
        "id": act.id,
        "date": cn_date(act.date),
        "when": when,
        "title": clean(act.title),
        "category": act.category,
        "kind": act.kind,
        "hosts": join(hosts),
        "participants": join(others),
        "units": len(act.units),
        "attendance": act.attendance,
        "location": clean(act.location),
        "summary": paragraphs(act.summary),
        "practices": paragraphs("\n".join(act.practices)),
        "highlight": act.highlight,
        "line": line,
    }


def _item_when(item: PlanItem) -> str:
    if item.date:
        return cn_month_day(item.date)
    if item.month:
        return f"{int(item.month[5:7])}月"
    return "全年"


def _item_sort_key(item: PlanItem) -> tuple:
    if item.date:
        return (item.date.month, item.date.day, item.id)
    if item.month:
        return (int(item.month[5:7]), 99, item.id)
    return (13, 0, item.id)


def _item_month(item: PlanItem) -> int | None:
    if item.date:
        return item.date.month
    if item.month:
        return int(item.month[5:7])
    return None


def _item_block(zone: Zone, item: PlanItem) -> dict:
    host = _unit_name(zone, item.host, short=True) if item.host else ""
    extra = [f"{host}承办"] if host else []
    if item.note:
        extra.append(clean(item.note))
    line = f"{_item_when(item)}，{clean(item.title)}" + (f"（{'；'.join(extra)}）" if extra else "") + "。"
    return {
        "id": item.id,
        "when": _item_when(item),
        "title": clean(item.title),
        "kind": item.kind,
        "category": item.category,
        "host": host,
        "note": clean(item.note),
        "line": line,
    }


def _items_in(items: Iterable[PlanItem], start: dt.date, end: dt.date) -> list[PlanItem]:
    """Plan items dated (or, without a date, in a month) that falls in [start, end]; undated items are left out."""
    out = []
    for item in items:
        if item.date:
            inside = start <= item.date <= end
        elif item.month:
            first = dt.date(int(item.month[:4]), int(item.month[5:7]), 1)
            inside = start <= first <= end
        else:
            inside = False
        if inside:
            out.append(item)
    return sorted(out, key=_item_sort_key)


def _sort_units(zone: Zone, ids: Iterable[str]) -> list[str]:
    """Lead unit first, then the duty rotation's order, then the rest by id; partners (共建单位) last."""
    order = {uid: i for i, uid in enumerate(zone.info.rotations[0].order)} if zone.info.rotations else {}

    def key(uid: str) -> tuple:
        unit = zone.unit(uid)
        partner = unit is not None and not unit.is_member_unit
        return (partner, uid != zone.info.lead_unit, order.get(uid, len(order)), uid)

    return sorted(set(ids), key=key)


def _member_during(unit: Unit, start: dt.date, end: dt.date) -> bool:
    if unit.joined and unit.joined > end:
        return False
    return not (unit.left and unit.left <= start)



def _recorded_block(record: Document | None) -> dict | None:
    if record is None:
        return None
    return {"id": record.id, "title": clean(record.title), "date": cn_date(record.date), "path": record.src.path}

