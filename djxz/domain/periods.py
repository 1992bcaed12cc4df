"""Periods of a rotation (year, half year, quarter, month, ISO week): parsing, naming, arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERNS = {
    "year": re.compile(r"([0-9]{4})"),  # ASCII digits, matched whole (fullmatch below)
    "half": re.compile(r"([0-9]{4})-H([12])"),
    "quarter": re.compile(r"([0-9]{4})-Q([1-4])"),
    "month": re.compile(r"([0-9]{4})-([0-9]{2})"),
    "week": re.compile(r"([0-9]{4})-W([0-9]{2})"),
}
_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}
KIND_NAMES = {"year": "年度", "half": "半年", "quarter": "季度", "month": "月", "week": "周"}


@dataclass(frozen=True, order=True)
class Period:
    """One period: `index` is 1 for a year, 1-2 for halves, 1-4 quarters, 1-12 months, 1-53 ISO weeks."""

    kind: str
    year: int
    index: int = 1

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-W{self.index:02d}"

    @property
    def label(self) -> str:
        """The Chinese name: 2024年, 2024年上半年, 2024年第一季度, 2024年3月, 2024年第5周."""
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        return f"{self.year}年第{self.index}周"

    @property
    def start(self) -> dt.date:
        if self.kind == "week":
            return dt.date.fromisocalendar(self.year, self.index, 1)
        months = 12 // _PER_YEAR[self.kind]
        return dt.date(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self, steps: int = 1) -> "Period":
        if self.kind == "week":
            return period_of(self.start + dt.timedelta(weeks=steps), "week")
        per_year = _PER_YEAR[self.kind]
        serial = self.year * per_year + self.index - 1 + steps
        return Period(self.kind, serial // per_year, serial % per_year + 1)

    def ordinal(self) -> int:
        """A serial number: consecutive periods of one kind have consecutive ordinals."""
        if self.kind == "week":
            return self.start.toordinal() // 7
        return self.year * _PER_YEAR[self.kind] + self.index - 1


def parse_period(text: str, kind: str | None = None) -> Period | None:
    """Parse `2024`, `2024-H1`, `2024-Q3`, `2024-03` or `2024-W05`; None when it is none of them (or not `kind`)."""
    kinds = (kind,) if kind else tuple(_PATTERNS)
    for k in kinds:
        match = _PATTERNS[k].fullmatch(text.strip())
        if not match:
            continue
        year = int(match.group(1))
        index = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
        if not 1900 <= year <= 2999:
            return None
        if k == "month" and not 1 <= index <= 12:
            return None
        if k == "week":
            try:
                dt.date.fromisocalendar(year, index, 1)
            except ValueError:
                return None
        return Period(k, year, index)
    return None


def period_of(day: dt.date, kind: str) -> Period:
    """The period of `kind` that contains `day`."""
    if kind == "year":
        return Period(kind, day.year)
    if kind == "half":
        return Period(kind, day.year, 1 if day.month <= 6 else 2)
    if kind == "quarter":
        return Period(kind, day.year, (day.month - 1) // 3 + 1)
    if kind == "month":
        return Period(kind, day.year, day.month)
    year, week, _ = day.isocalendar()
    return Period(kind, year, week)


def kind_of(text: str) -> str | None:
    period = parse_period(text)
    return period.kind if period else None
