"""The charts of one zone's period, as data for `charts.draw`: activities by month, by 五共 category, and by unit
(hosted and attended). The summary reports attach them; the numbers are the same records' counts the text uses."""

from __future__ import annotations

from djxz.domain.periods import Period
from djxz.model import Zone
from djxz.report.charts import BarChart, Series
from djxz.vocabulary import CATEGORIES


def period_months(period: Period) -> list[tuple[int, int]]:
    """(year, month) of every month of the period, in order."""
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def zone_charts(zone: Zone, period: Period) -> list[BarChart]:
    acts = zone.activities_between(period.start, period.end)
    months = period_months(period)
    by_month = [sum(1 for a in acts if (a.date.year, a.date.month) == ym) for ym in months]
    label = period.label
    charts = [
        BarChart(f"{label}各月活动次数", tuple(f"{m}月" for _, m in months), (Series("活动", tuple(by_month), "n"),),
                 fallback_labels=tuple(str(m) for _, m in months), fallback_title="activities by month"),
        BarChart(f"{label}“五共”各类活动次数", tuple(CATEGORIES),
                 (Series("活动", tuple(sum(1 for a in acts if a.category == c) for c in CATEGORIES), "n"),),
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
