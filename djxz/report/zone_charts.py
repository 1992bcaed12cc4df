"""The charts of one zone's period, as data for `charts.draw`: activities by month, by 五共 category, and by unit
(hosted and attended). The summary reports attach them; the numbers are the same records' counts the text uses."""

from __future__ import annotations

import datetime as dt

from djxz.domain.periods import Period
from djxz.model import Activity, Zone
from djxz.report.charts import BarChart, Series
from djxz.vocabulary import CATEGORIES


def period_months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(year, month) of every month from `start` to `end`, in order."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(acts: list[Activity], start: dt.date, end: dt.date) -> list[int]:
    """How many of `acts` fall in each month of period_months(start, end)."""
    index = {ym: i for i, ym in enumerate(period_months(start, end))}
    counts = [0] * len(index)
    for a in acts:
        i = index.get((a.date.year, a.date.month))
        if i is not None:
            counts[i] += 1
    return counts


def category_counts(acts: list[Activity]) -> dict[str, int]:
    """How many of `acts` are of each 五共 category, in the fixed order."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for a in acts:
        if a.category in counts:
            counts[a.category] += 1
    return counts


def months_chart(label: str, start: dt.date, end: dt.date, series: tuple[Series, ...]) -> BarChart:
    """`label`各月活动次数: one bar group a month of the period, a series per zone (or one for a zone's own report)."""
    months = period_months(start, end)
    return BarChart(f"{label}各月活动次数", tuple(f"{m}月" for _, m in months), series,
                    fallback_labels=tuple(str(m) for _, m in months), fallback_title="activities by month")


def zone_charts(zone: Zone, period: Period) -> list[BarChart]:
    acts = zone.activities_between(period.start, period.end)
    label = period.label
    charts = [
        months_chart(label, period.start, period.end, (Series("活动", tuple(monthly_counts(acts, period.start, period.end)), "n"),)),
        BarChart(f"{label}“五共”各类活动次数", tuple(CATEGORIES), (Series("活动", tuple(category_counts(acts).values()), "n"),),
                 fallback_labels=tuple(f"C{i}" for i in range(1, len(CATEGORIES) + 1)),
                 fallback_title="activities by category"),
    ]
    units = [u for u in zone.units.values() if any(u.id in a.units for a in acts) or u.active_on(period.end)]
    if units:
        hosted = tuple(sum(1 for a in acts if u.id in a.hosts) for u in units)
        attended = tuple(sum(1 for a in acts if u.id in a.participants and u.id not in a.hosts) for u in units)
        charts.append(BarChart(f"{label}各单位主办和参加活动次数", tuple(u.short_name or u.name for u in units),
                               (Series("主办", hosted, "host"), Series("参加", attended, "join")),
                               fallback_labels=tuple(u.id for u in units), fallback_title="activities by unit",
                               horizontal=True))
    return charts
