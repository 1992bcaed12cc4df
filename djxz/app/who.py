"""Use case: who leads, who is on duty on a date and who comes next. Reads only zone.yaml and units/, nothing heavy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from djxz.app.who_answer import day_for_year  # noqa: F401 - part of this module's interface
from djxz.checks import CheckContext, references, rules
from djxz.domain.periods import KIND_NAMES, period_of
from djxz.domain.rotation import SOURCE_NAMES, Slot, find_rotation, schedule_for
from djxz.errors import DataError, UserError
from djxz.load.loader import ZONE_FILE, load_zone, zone_files
from djxz.model import ERROR, Rotation, Zone, sorted_diagnostics


@dataclass(frozen=True)
class WhoResult:
    zone: Zone
    day: dt.date
    rotation: Rotation
    current: Slot | None
    upcoming: list[Slot]

    def unit_json(self, unit_id: str | None) -> dict | None:
        if not unit_id:
            return None
        unit = self.zone.units.get(unit_id)
        return {"id": unit_id, "name": unit.name if unit else unit_id, "short_name": unit.short_name if unit else unit_id}

    def slot_json(self, slot: Slot | None) -> dict | None:
        if slot is None:
            return None
        return {
            "period": str(slot.period),
            "label": slot.period.label,
            "start": slot.start.isoformat(),
            "end": slot.end.isoformat(),
            "unit": self.unit_json(slot.unit),
            "status": slot.source,
            "recorded": slot.recorded,
            "note": slot.note,
            "override": slot.override.kind if slot.override else None,
        }

    def to_json(self) -> dict:
        """The stable shape of `djxz who --format json`: docs/who.schema.json."""
        return {
            "schema_version": 1,
            "zone": self.zone.info.name,
            "date": self.day.isoformat(),
            "rotation": {
                "name": self.rotation.name,
                "title": self.rotation.title,
                "period": self.rotation.period,
            },
            "lead_unit": self.unit_json(self.zone.info.lead_unit),
            "current": self.slot_json(self.current),
            "next": [self.slot_json(s) for s in self.upcoming],
        }


def load_rotation_zone(root: Path) -> Zone:
    """zone.yaml and the units only: all `who` needs, so it stays fast on a zone with thousands of activities."""
    files, notes = zone_files(root, only=("units",))
    zone, diagnostics = load_zone(root, listing=(files, notes))
    if not zone.info_ok:
        first = next((d for d in diagnostics if d.severity == ERROR and d.src and d.src.path == ZONE_FILE), None)
        where = f"{first.src}: {first.message}" if first else "zone.yaml 无法读取"
        raise DataError(f"zone.yaml 有错误，无法确定轮值：{where}。请运行 djxz check 查看全部问题")
    # A unit file that did not load, or a turn or an order entry that was dropped, changes whose turn it is: an answer
    # from half the data would be wrong without saying so.
    errors = sorted_diagnostics(d for d in diagnostics + _rotation_problems(zone) if d.severity == ERROR)
    if errors:
        first = errors[0]
        raise DataError(f"zone.yaml 或单位文件有 {len(errors)} 个错误，据此得出的轮值可能不对，没有作答。"
                        f"第一个错误：{first.src}: {first.message}。请运行 djxz check 查看全部问题")
    return zone


def _rotation_problems(zone: Zone) -> list:
    """The checks that decide whose turn it is, on zone.yaml and the units (all that `who` reads)."""
    ctx = CheckContext(today=dt.date.today())
    checks = (references.check_zone_references, rules.check_rotations)
    return [d for check in checks for d in check(zone, ctx)]


def who(root: Path, day: dt.date, rotation: str | None = None, count: int = 3) -> WhoResult:
    if count < 0:
        raise UserError("--next 不能是负数")
    zone = load_rotation_zone(root)
    rot = find_rotation(zone, rotation)
    if rot is None:
        if rotation is None:
            raise DataError("zone.yaml 中没有轮值安排（rotations）")
        names = "、".join(r.name for r in zone.info.rotations) or "（无）"
        raise UserError(f"没有名为“{rotation}”的轮值安排；可用的有：{names}")
    schedule = schedule_for(zone, rot)
    current = schedule.slot_on(day)
    if current is not None and current.unit is None:
        current = None
    upcoming = schedule.following(period_of(day, schedule.kind), count)
    return WhoResult(zone, day, rot, current, upcoming)


def kind_name(rotation: Rotation) -> str:
    return KIND_NAMES.get(rotation.period, rotation.period)


STATUS_NAMES = SOURCE_NAMES
