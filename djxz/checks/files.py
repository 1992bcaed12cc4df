"""Checks that a record lives where its id and date say: file names, year folders, unique ids."""

from __future__ import annotations

from typing import Iterator

from djxz.checks.context import CheckContext
from djxz.model import ERROR, Diagnostic, Zone


def _stem(path: str) -> str:
    """posixpath.splitext(posixpath.basename(path))[0], at a third of the cost (it runs for every record)."""
    name = path.rpartition("/")[2]
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem.lstrip(".") else name


def _folder_year(path: str) -> str:
    """The name of the folder the file is in (`2024` for activities/2024/x.yaml)."""
    return path.rpartition("/")[0].rpartition("/")[2]


def check_file_names(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX017: a unit, activity or document is in `<id>.yaml`; a plan in `<year>.yaml`."""
    for record in (*zone.units.values(), *zone.activities, *zone.documents):
        stem = _stem(record.src.path)
        if record.id != stem:
            yield Diagnostic(record.at("id"), "DJX017", ERROR, f"编号“{record.id}”与文件名“{stem}.yaml”不一致",
                             f"把文件改名为 {record.id}.yaml，或把 id 改为 {stem}")
    for year, plan in zone.plans.items():
        stem = _stem(plan.src.path)
        if stem != str(year):
            yield Diagnostic(plan.at("year"), "DJX017", ERROR, f"计划年度 {year} 与文件名“{stem}.yaml”不一致",
                             f"把文件改名为 {year}.yaml，或改正 year")


def check_activity_names(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX105: an activity's or document's id starts with its date, and its folder is its year."""
    for record in (*zone.activities, *zone.documents):
        folder = _folder_year(record.src.path)
        if folder != str(record.date.year):
            yield Diagnostic(record.at("date"), "DJX105", ERROR, f"日期 {record.date} 不在所在的年度目录“{folder}”",
                             f"把文件移到 {record.date.year}/ 目录，或改正日期")
        elif not record.id.startswith(record.date.isoformat()):
            yield Diagnostic(record.at("id"), "DJX105", ERROR, f"编号“{record.id}”应以日期 {record.date} 开头",
                             f"编号写成 {record.date}-<英文短名>，文件同名")


def check_unique_ids(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX103: activity, document and plan-item ids are unique across the zone."""
    seen: dict[str, object] = {}
    items = [*zone.activities, *zone.documents]
    items += [item for plan in zone.plans.values() for item in plan.items]
    for record in items:
        first = seen.setdefault(record.id, record)
        if first is not record:
            yield Diagnostic(record.at("id"), "DJX103", ERROR, f"编号“{record.id}”重复",
                             f"已在 {first.src} 使用，换一个编号")


CHECKS = [check_file_names, check_activity_names, check_unique_ids]
