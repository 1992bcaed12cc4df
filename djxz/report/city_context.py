"""What the city roll-up (各协作区工作情况汇总) says, as plain data: each zone's figures for a period and the one before,
the comparison across zones, the findings a city reader wants, and the charts' data. The wording is in the templates.

Zones are kept apart by their key (the folder given on the command line): two zones may both have a unit `yining-zhan`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from djxz.domain.duties import DONE, OVERDUE, count_by_status, evaluate
from djxz.domain.periods import Period
from djxz.domain.rotation import duty_unit_for
from djxz.model import Zone
from djxz.report.charts import BarChart, Series
from djxz.report.zone_charts import category_counts, months_chart, monthly_counts
from djxz.vocabulary import CATEGORIES

BULLETIN = "信息简报"
# A category is neglected city-wide when at least half of the zones ran none of it, or it holds under this share of
# all the city's activities in the period.
NEGLECTED_SHARE = 0.10


@dataclass(frozen=True)
class CityZone:
    key: str  # the zone's place on the command line, unique: keeps equal unit ids of two zones apart
    zone: Zone


def previous_period(period: Period) -> Period:
    """The period a comparison is made with: the same half a year earlier (同比), or the year before."""
    if period.kind == "half":
        return Period("half", period.year - 1, period.index)
    return Period("year", period.year - 1)


def zone_figures(zone: Zone, period: Period, as_of: dt.date) -> dict:
    """One zone's figures for `period`, seen on `as_of`."""
    start, end = period.start, period.end
    acts = zone.activities_between(start, end)
    by_category = category_counts(acts)
    involved = {u for a in acts for u in a.units}
    units = [u for u in zone.units.values() if u.active_on(start) or u.active_on(end)]
    idle = [u for u in units if u.id not in involved]
    duties = evaluate(zone, as_of, start, end)
    counts = count_by_status(duties)
    slot = duty_unit_for(zone, end if end <= as_of else as_of)
    bulletins = [d for d in zone.documents if d.kind == BULLETIN and start <= d.date <= end]
    return {
        "activities": len(acts),
        "by_category": by_category,
        "attendance": sum(a.attendance or 0 for a in acts),
        "units_total": len(units),
        "units_active": len([u for u in units if u.id in involved]),
        "idle_units": [{"id": u.id, "name": u.short_name or u.name, "role": u.role} for u in idle],
        "duty_unit": zone.unit_name(slot.unit) if slot is not None else "",
        "duties": {"done": counts.get(DONE, 0), "overdue": counts.get(OVERDUE, 0),
                   "waived": sum(v for k, v in counts.items() if k not in (DONE, OVERDUE) and "免" in k),
                   "total": len(duties)},
        "overdue_duties": [d.title for d in duties if d.status == OVERDUE],
        "bulletins": len(bulletins),
        "by_month": monthly_counts(acts, start, end),
    }


def _change(now: int, before: int | None) -> dict | None:
    if before is None:
        return None
    return {"before": before, "delta": now - before}


def zone_row(cz: CityZone, period: Period, as_of: dt.date) -> dict:
    """One zone's part of the roll-up: its figures for `period` and for the period before, when it has records then.

    Only this row is kept, not the zone: a city of many large zones is read one zone at a time.
    """
    now = zone_figures(cz.zone, period, as_of)
    previous = previous_period(period)
    has_before = any(a.date < period.start for a in cz.zone.activities)
    before = zone_figures(cz.zone, previous, as_of) if has_before else None
    return {
        "key": cz.key,
        "name": cz.zone.info.name,
        "short_name": cz.zone.info.short_name or cz.zone.info.name,
        **now,
        "previous": before and {"activities": before["activities"], "attendance": before["attendance"]},
        "change": {"activities": _change(now["activities"], before and before["activities"]),
                   "attendance": _change(now["attendance"], before and before["attendance"])},
    }


def build_city_context(rows: list[dict], period: Period, as_of: dt.date, today: dt.date) -> dict:
    """The roll-up of the zones' rows (`zone_row`) for `period`: the comparison, totals and findings."""
    previous = previous_period(period)
    totals = {
        "zones": len(rows),
        "activities": sum(r["activities"] for r in rows),
        "attendance": sum(r["attendance"] for r in rows),
        "bulletins": sum(r["bulletins"] for r in rows),
        "overdue": sum(r["duties"]["overdue"] for r in rows),
        "by_category": {c: sum(r["by_category"][c] for r in rows) for c in CATEGORIES},
    }
    with_before = [r for r in rows if r["previous"] is not None]
    totals["previous"] = ({"activities": sum(r["previous"]["activities"] for r in with_before),
                           "attendance": sum(r["previous"]["attendance"] for r in with_before)}
                          if with_before and len(with_before) == len(rows) else None)
    return {
        "title": f"{period.label}各党建工作联建协作区工作情况汇总",
        "period": {"label": period.label, "kind": period.kind, "year": period.year,
                   "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "previous_label": previous.label},
        "as_of": as_of.isoformat(),
        "date": f"{today.year}年{today.month}月{today.day}日",
        "date_iso": today.isoformat(),
        "categories": list(CATEGORIES),
        "zones": rows,
        "totals": totals,
        "findings": findings(rows, totals),
        "weakest": weakest_category(totals),
    }


def weakest_category(totals: dict) -> dict:
    """The category with the fewest activities city-wide (the first in 五共 order on a tie): what the roll-up names as
    the weakest point when nothing else is wrong."""
    total = totals["activities"]
    category = min(CATEGORIES, key=lambda c: (totals["by_category"][c], CATEGORIES.index(c)))
    count = totals["by_category"][category]
    return {"category": category, "count": count, "share": round(count / total * 100, 1) if total else 0.0}


def findings(rows: list[dict], totals: dict) -> dict:
    """What a city reader looks for: zones behind on duties, categories neglected city-wide, idle units by zone."""
    behind = [{"zone": r["short_name"], "overdue": r["duties"]["overdue"], "duties": r["overdue_duties"]}
              for r in rows if r["duties"]["overdue"]]
    behind.sort(key=lambda b: (-b["overdue"], b["zone"]))
    neglected = []
    total = totals["activities"]
    for c in CATEGORIES:
        missing = [r["short_name"] for r in rows if r["by_category"][c] == 0]
        share = totals["by_category"][c] / total if total else 0.0
        if rows and (len(missing) * 2 >= len(rows) or share < NEGLECTED_SHARE):
            neglected.append({"category": c, "count": totals["by_category"][c], "share": round(share * 100, 1),
                              "zones_without": missing})
    idle = [{"zone": r["short_name"], "units": [u["name"] for u in r["idle_units"]]} for r in rows if r["idle_units"]]
    falling = [{"zone": r["short_name"], "before": r["change"]["activities"]["before"], "now": r["activities"]}
               for r in rows if r["change"]["activities"] and r["change"]["activities"]["delta"] < 0]
    found = {"behind": behind, "neglected": neglected, "falling": falling, "idle": idle}
    return {**found, "present": [kind for kind, items in found.items() if items]}


def city_charts(ctx: dict) -> list[BarChart]:
    """The roll-up's charts: activities by zone and category, and by month across zones."""
    rows = ctx["zones"]
    names = tuple(r["short_name"] for r in rows)
    ids = tuple(f"Z{i + 1}" for i in range(len(rows)))
    cats = ctx["categories"]
    by_category = BarChart(
        title=f"{ctx['period']['label']}各协作区“五共”各类活动次数", labels=names, fallback_labels=ids,
        series=tuple(Series(c, tuple(r["by_category"][c] for r in rows), f"C{i + 1}") for i, c in enumerate(cats)),
        fallback_title="activities by zone and category")
    by_month = months_chart(ctx["period"]["label"], dt.date.fromisoformat(ctx["period"]["start"]),
                            dt.date.fromisoformat(ctx["period"]["end"]),
                            tuple(Series(r["short_name"], tuple(r["by_month"]), ids[k]) for k, r in enumerate(rows)))
    return [by_category, by_month]
