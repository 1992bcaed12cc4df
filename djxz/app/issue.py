"""Use case: the record of an issued document (documents/<year>/<date>-<slug>.yaml), which fixes its number.

`djxz brief --issue` and `djxz bulletin --issue` write it; `djxz new document` may call `new_document_record` too.
Issuing twice is issuing once: a period's report that already has a record keeps it and its number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from djxz.domain.numbering import next_document_number
from djxz.edit.document_edit import set_number
from djxz.edit.new_record import record_text
from djxz.errors import UserError
from djxz.model import Zone
from djxz.report.context import recorded_document

# The file name's short part of each kind djxz issues (as in the example zone's records).
RECORD_SLUGS = {
    "半年总结通报": "bannian-zongjie-tongbao",
    "年度总结通报": "niandu-zongjie-tongbao",
    "年度协作计划": "niandu-xiezuo-jihua",
}


@dataclass(frozen=True)
class IssuedRecord:
    """The record of an issued document: where it is, its text to write (None: already on disk as it should be),
    its number, and whether the file is new."""

    path: Path
    rel: str
    text: str | None
    number: int | None
    created: bool


def new_document_record(root: Path, values: dict, slug: str) -> tuple[Path, str, str]:
    """(path, relative path, text) of a new document record `documents/<year>/<date>-<slug>.yaml`. `values` holds
    the record's fields (kind, title, date, issuer, number, period, activities …), `id` is made here."""
    day: dt.date = values["date"]
    record_id = f"{day.isoformat()}-{slug}"
    rel = f"documents/{day.year}/{record_id}.yaml"
    path = root / rel
    if path.exists():
        raise UserError(f"{rel} 已存在，没有覆盖")
    return path, rel, record_text("document", rel, {"id": record_id, **values})


def issue_document(root: Path, zone: Zone, kind: str, period: str, title: str, day: dt.date,
                   issuer: str | None) -> IssuedRecord:
    """The record that issues a report or plan (`kind` as in DOCUMENT_KINDS) of `period`.

    An existing record of that kind and period is kept; when the zone numbers its documents and the record has no
    number yet, it gets the year's next one. Otherwise a new record with the year's next number (if the zone numbers
    its documents, `documents:` in zone.yaml)."""
    numbering = zone.info.documents is not None
    existing = recorded_document(zone, kind, period)
    if existing is not None:
        path = root / existing.src.path
        if existing.number is not None or not numbering:
            return IssuedRecord(path, existing.src.path, None, existing.number, False)
        number = next_document_number(zone, existing.date.year)
        text = set_number(path.read_text(encoding="utf-8"), number)
        return IssuedRecord(path, existing.src.path, text, number, False)
    number = next_document_number(zone, day.year) if numbering else None
    values = {"kind": kind, "title": title, "date": day, "issuer": issuer or None, "number": number, "period": period}
    path, rel, text = new_document_record(root, values, RECORD_SLUGS[kind])
    return IssuedRecord(path, rel, text, number, True)
