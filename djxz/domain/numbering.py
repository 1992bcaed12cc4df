"""发文字号: the zone's document numbers (伊协〔2026〕3号), one sequence a year over every issued document but the
bulletins, which have their own 第N期 sequence."""

from __future__ import annotations

from djxz.model import Document, Zone

BULLETIN_KIND = "信息简报"
# The full-width space a clerk writes the number into by hand, on a draft: 伊协〔2026〕　　号.
BLANK_NUMBER = "\u3000\u3000"


def numbered_in(zone: Zone, year: int) -> list[Document]:
    """The documents of `year` (by issue date) that hold a number of the 发文字号 sequence."""
    return [d for d in zone.documents if d.kind != BULLETIN_KIND and d.number is not None and d.date.year == year]


def next_document_number(zone: Zone, year: int) -> int:
    """One past the highest number of the year, so a number is never reused, not even a gap's."""
    return max((d.number for d in numbered_in(zone, year)), default=0) + 1


def number_text(prefix: str, year: int, number: int | None) -> str:
    """伊协〔2026〕3号; without a number (a draft), the blank to fill: 伊协〔2026〕　　号. GB/T 9704 7.2.3: the year in
    六角括号 〔〕, the number without leading zeros and without 第."""
    return f"{prefix}〔{year}〕{number if number is not None else BLANK_NUMBER}号"


def duplicate_numbers(zone: Zone) -> list[tuple[int, int, list[Document]]]:
    """(year, number, documents) for every 发文字号 held by more than one document, the earliest document first."""
    by_number: dict[tuple[int, int], list[Document]] = {}
    for doc in zone.documents:
        if doc.kind != BULLETIN_KIND and doc.number is not None:
            by_number.setdefault((doc.date.year, doc.number), []).append(doc)
    return [(year, number, sorted(docs, key=lambda d: (d.date, d.id)))
            for (year, number), docs in sorted(by_number.items()) if len(docs) > 1]
