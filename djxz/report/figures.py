"""The figures a summary report states: counts by 五共 category, attendance, units that hosted or took part, comparisons
with earlier periods (同比/环比), the choice of representative activities, and the findings of 存在的问题.

Numbers and selections only: no sentence is built here (the templates word them). Every quantity is computed once from
the records, so the document prints one figure per quantity.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from djxz.domain.periods import Period
from djxz.model import Activity, Zone
from djxz.vocabulary import CATEGORIES

# A category is thin when it holds less than this share of the period's activities (and is not empty).
THIN_SHARE = 0.05
REPRESENTATIVES = 3

# Free text that states a zone-wide total (activities, attendance in 人次, bulletins). Such a sentence is never quoted
# next to a computed figure: it was true on the day it was written, and the records may have grown since.
_STATED_TOTAL = re.compile(
    r"(开展|组织|举办|共)?活动\s*[0-9０-９]+\s*(次|项|场)|[0-9０-９]+\s*人次|简报\s*[0-9０-９]+\s*期|编发.{0,6}[0-9０-９]+\s*期"
)


def states_total(text: str) -> bool:
    """True when a sentence states a total the report computes (so it must not be printed beside the computed one)."""
    return bool(_STATED_TOTAL.search(text or ""))


def sentences(text: str) -> list[str]:
    """Free text cut into sentences at 。！？ (each keeps its end mark)."""
    return [s for s in re.findall(r"[^。！？\n]+[。！？]?", text or "") if s.strip()]


def without_totals(text: str) -> str:
    """The sentences of `text` that state no zone-wide total."""
    return "".join(s.strip() for s in sentences(text) if not states_total(s))


def attendance_of(acts: list[Activity]) -> int:
    return sum(a.attendance for a in acts if a.attendance is not None)


def by_category(acts: list[Activity]) -> dict[str, list[Activity]]:
    return {c: [a for a in acts if a.category == c] for c in CATEGORIES}


@dataclass(frozen=True)
class Comparison:
    """A quantity now and in an earlier period: `before` is None when the earlier period has no records."""

    now: int
    before: int | None

    @property
    def known(self) -> bool:
        return self.before is not None

    @property
    def diff(self) -> int:
        return self.now - self.before if self.before is not None else 0

    @property
    def direction(self) -> str:
        """up, down, same, or unknown (no earlier records)."""
        if self.before is None:
            return "unknown"
        return "up" if self.diff > 0 else "down" if self.diff < 0 else "same"

    def as_dict(self) -> dict:
        return {"now": self.now, "before": self.before, "diff": abs(self.diff), "direction": self.direction,
                "known": self.known}


def same_period_a_year_earlier(period: Period) -> Period:
    return Period(period.kind, period.year - 1, period.index) if period.kind == "half" else Period("year", period.year - 1)


def previous_half(period: Period) -> Period | None:
    """环比 applies to half years: the half before (H2 of last year before H1)."""
    if period.kind != "half":
        return None
    return Period("half", period.year, 1) if period.index == 2 else Period("half", period.year - 1, 2)


def has_records(zone: Zone, period: Period) -> bool:
    """Whether an earlier period can be compared with: the zone existed for all of it, or it holds activity records."""
    established = zone.info.established
    if established is not None and established <= period.start:
        return True
    return bool(zone.activities_between(period.start, period.end))


def compare(zone: Zone, acts: list[Activity], earlier: Period | None) -> dict | None:
    """Activities, attendance and each category's count against `earlier`; None when there is no earlier period."""
    if earlier is None:
        return None
    known = has_records(zone, earlier)
    old = zone.activities_between(earlier.start, earlier.end) if known else []
    now_cat, old_cat = by_category(acts), by_category(old)
    return {
        "period": earlier.label if earlier.kind == "half" else f"{earlier.year}年",
        "known": known,
        "activities": Comparison(len(acts), len(old) if known else None).as_dict(),
        "attendance": Comparison(attendance_of(acts), attendance_of(old) if known else None).as_dict(),
        "categories": {c: Comparison(len(now_cat[c]), len(old_cat[c]) if known else None).as_dict()
                       for c in CATEGORIES},
    }


def has_result(act: Activity) -> bool:
    """A recorded result the report can quote (one stating a zone-wide total cannot be quoted) or a commendation."""
    return bool(without_totals(act.result or "") or act.honors)


def representative(acts: list[Activity], n: int = REPRESENTATIVES) -> list[Activity]:
    """The activities a category's paragraph names: highlights first, then those with a recorded result, then the
    largest attendance; ties by date and id, so the same records always give the same choice (kept in date order)."""
    ranked = sorted(acts, key=lambda a: (not a.highlight, not has_result(a), -(a.attendance or 0), a.date, a.id))
    return sorted(ranked[:n], key=lambda a: (a.date, a.id))


def participation(zone: Zone, acts: list[Activity], start: dt.date, end: dt.date) -> list[dict]:
    """Every unit active in the period, members first: how many activities it hosted and joined."""
    hosted: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    for a in acts:
        for u in a.hosts:
            hosted[u] += 1
        for u in a.participants:
            if u not in a.hosts:
                joined[u] += 1
    rows = []
    for unit in sorted(zone.units.values(), key=lambda u: (not u.is_member_unit, u.id)):
        active = not (unit.joined and unit.joined > end) and not (unit.left and unit.left <= start)
        if not active and not (hosted[unit.id] or joined[unit.id]):
            continue
        rows.append({"id": unit.id, "member": unit.is_member_unit, "hosted": hosted[unit.id],
                     "joined": joined[unit.id]})
    return rows


def thin_categories(acts: list[Activity]) -> list[dict]:
    """Categories with no activity, or with less than THIN_SHARE of the period's activities."""
    total = len(acts)
    out = []
    for cat, group in by_category(acts).items():
        if not group or (total and len(group) / total < THIN_SHARE):
            out.append({"name": cat, "count": len(group), "share": round(100 * len(group) / total) if total else 0})
    return out


def weakest_category(acts: list[Activity]) -> dict | None:
    """The category with the fewest activities (first in 五共 order on a tie): the measurable weak point."""
    if not acts:
        return None
    groups = by_category(acts)
    cat = min(CATEGORIES, key=lambda c: len(groups[c]))
    return {"name": cat, "count": len(groups[cat]), "share": round(100 * len(groups[cat]) / len(acts))}
