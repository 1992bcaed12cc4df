"""Rotations: who serves which period, from the recorded turns, today's order, memberships and overrides. Pure.

The rules, in the words of the zone's plan ("轮值单位按照……的顺序，以年度为单位进行轮值"), made to survive change:

- A recorded turn (`turns:` in zone.yaml) is a fact: it is returned as written and never recomputed.
- The anchor (`anchor:`) says who starts; with neither turns nor anchor the first unit of the order starts in the
  period the zone was established.
- Every other period is projected: the unit after the previous period's unit in *today's* order, skipping units that are
  not members for the whole period (`Unit.active_on`). A unit that joins is in the order and simply starts to count.
- Overrides change projected periods only, each with its reason:
  `assign` gives a period to a unit without using up anybody's turn (the unit that was due serves the next period);
  `skip` passes a unit over in one period (it has lost that round; the next unit serves);
  `swap` exchanges the units of two periods; the order carries on as if nothing had been swapped.
  An override that cannot be honoured (the unit is not a member then, it would leave a period empty) is ignored and the
  turn says so in its note.
- Recording the projected unit of a period never changes any later projection: `djxz rotate` depends on that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Mapping

from djxz.domain.periods import Period, parse_period, period_of
from djxz.model import Override, Rotation, Source, Turn, Zone
from djxz.vocabulary import PERIOD_KINDS

RECORDED = "recorded"
ANCHOR = "anchor"
PROJECTED = "projected"
SOURCE_NAMES = {RECORDED: "已记录", ANCHOR: "起点", PROJECTED: "推算"}

# Membership of one unit as the rotation needs it: (is a member unit, joined, left).
Membership = tuple[bool, "dt.date | None", "dt.date | None"]


@dataclass(frozen=True)
class Slot:
    """One period of a rotation and the unit serving it. `unit` is None when no member unit can serve."""

    period: Period
    unit: str | None
    source: str = PROJECTED
    override: Override | None = None
    note: str | None = None
    src: Source | None = None

    @property
    def recorded(self) -> bool:
        """True for a turn written in zone.yaml: a fact, never recomputed."""
        return self.source == RECORDED

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end


@dataclass(frozen=True)
class _Step:
    """The order's own choice for one period, before swaps: what the chain of turns is built from."""

    unit: str | None
    override: Override | None
    note: str | None


class RotationSchedule:
    """The turns of one rotation, computed forward from its first period and remembered; ask it for any period."""

    def __init__(self, rotation: Rotation, members: Mapping[str, Membership], established: dt.date | None = None):
        self.rotation = rotation
        self.kind = rotation.period if rotation.period in PERIOD_KINDS else "year"
        self.order = tuple(dict.fromkeys(rotation.order))
        self._index = {uid: i for i, uid in enumerate(self.order)}
        self._members = dict(members)
        self.facts: dict[Period, tuple[Turn, str]] = {}
        for turn in rotation.turns:
            period = parse_period(turn.period, self.kind)
            if period is not None and turn.unit:
                self.facts.setdefault(period, (turn, RECORDED))  # a duplicate is reported by `djxz check`
        anchor = rotation.anchor
        if anchor is not None and anchor.unit:
            period = parse_period(anchor.period, self.kind)
            if period is not None:
                self.facts.setdefault(period, (anchor, ANCHOR))
        self.assigns: dict[Period, Override] = {}
        self.skips: dict[Period, list[Override]] = {}
        self.swaps: dict[Period, tuple[Period, Override]] = {}
        for ov in rotation.overrides:
            periods = [parse_period(p, self.kind) for p in ov.periods]
            if any(p is None for p in periods):
                continue
            if ov.kind == "assign" and len(periods) == 1 and ov.unit:
                self.assigns.setdefault(periods[0], ov)
            elif ov.kind == "skip" and len(periods) == 1 and ov.unit:
                self.skips.setdefault(periods[0], []).append(ov)
            elif ov.kind == "swap" and len(periods) == 2 and periods[0] != periods[1]:
                a, b = periods
                if a not in self.swaps and b not in self.swaps:  # a period swapped twice: the first swap wins
                    self.swaps[a] = (b, ov)
                    self.swaps[b] = (a, ov)
        if self.facts:
            self.first: Period | None = min(self.facts)
        elif established is not None and self.order:
            self.first = period_of(established, self.kind)
        else:
            self.first = None
        self._steps: list[_Step] = []
        self._cursor = -1  # index in `order` of the unit the chain last advanced to

    # -- membership ---------------------------------------------------------------------------------------------------

    def eligible(self, unit_id: str | None, period: Period) -> bool:
        """A member unit for the whole period: only such a unit is given a period by projection."""
        member = self._members.get(unit_id or "")
        if member is None or not member[0]:
            return False
        _, joined, left = member
        if joined and joined > period.start:
            return False
        return not (left and left <= period.end)

    # -- the chain ----------------------------------------------------------------------------------------------------

    def _next_after(self, cursor: int, period: Period, excluded: set[str]) -> int | None:
        n = len(self.order)
        for k in range(1, n + 1):
            i = (cursor + k) % n
            uid = self.order[i]
            if uid not in excluded and self.eligible(uid, period):
                return i
        return None

    def _advance(self, period: Period) -> _Step:
        """The order's choice for `period` given the chain so far; moves the chain on."""
        assign = self.assigns.get(period)
        note = None
        if assign is not None:
            if self.eligible(assign.unit, period):
                step = _Step(assign.unit, assign, assign.reason)
                self._after_fact(period, advance=None)
                return step
            note = f"调整未生效：{assign.unit} 在该期不是协作区成员（{assign.reason}）"
        skips = self.skips.get(period, [])
        skipped = {ov.unit for ov in skips if ov.unit}
        plain = self._next_after(self._cursor, period, set())
        chosen = self._next_after(self._cursor, period, skipped) if skipped else plain
        override = None
        if skipped and chosen is None and plain is not None:
            chosen = plain
            note = "调整未生效：跳过后该期没有可轮值的单位"
        elif skipped and chosen != plain:
            override = next(ov for ov in skips if ov.unit == self.order[plain])
            note = override.reason
        unit = self.order[chosen] if chosen is not None else None
        self._after_fact(period, advance=chosen)
        return _Step(unit, override, note)

    def _after_fact(self, period: Period, advance: int | None) -> None:
        """Move the chain past `period`: a recorded turn redirects it, unless an override explains that period."""
        fact = self.facts.get(period)
        overridden = period in self.assigns or period in self.skips or period in self.swaps
        if fact is not None and not overridden:
            index = self._index.get(fact[0].unit)
            if index is not None:
                self._cursor = index
            # a unit that is no longer in the order used up nobody's turn: the chain stays where it was
            return
        if advance is not None:
            self._cursor = advance

    def _step(self, period: Period) -> _Step | None:
        if self.first is None or period < self.first:
            return None
        offset = period.ordinal() - self.first.ordinal()
        while len(self._steps) <= offset:
            current = self.first.next(len(self._steps))
            self._steps.append(self._advance(current))
        return self._steps[offset]

    # -- answers ------------------------------------------------------------------------------------------------------

    def slot(self, period: Period) -> Slot | None:
        """Who serves `period` (a period of this rotation's kind); None before the rotation starts."""
        if period.kind != self.kind:
            raise ValueError(f"period {period} is not a {self.kind} period")
        step = self._step(period)
        if step is None:
            return None
        fact = self.facts.get(period)
        if fact is not None:
            turn, source = fact
            return Slot(period, turn.unit, source, note=turn.note, src=turn.src)
        swap = self.swaps.get(period)
        if swap is not None:
            partner, ov = swap
            other = self._step(partner)
            if other is not None and other.unit and self.eligible(other.unit, period) and self.eligible(step.unit, partner):
                return Slot(period, other.unit, PROJECTED, ov, ov.reason)
            if other is not None:
                return Slot(period, step.unit, PROJECTED, step.override, f"调整未生效：与 {partner} 互换的单位在对方期内不是协作区成员")
        return Slot(period, step.unit, PROJECTED, step.override, step.note)

    def slot_on(self, day: dt.date) -> Slot | None:
        return self.slot(period_of(day, self.kind))

    def slots(self, start: Period, end: Period) -> Iterator[Slot]:
        """Every period from `start` to `end` (inclusive) that the rotation covers, serving unit or not."""
        period = start if self.first is None or start >= self.first else self.first
        while period <= end:
            slot = self.slot(period)
            if slot is not None:
                yield slot
            period = period.next()

    def following(self, period: Period, count: int) -> list[Slot]:
        """The next `count` periods after `period` that have a serving unit."""
        out: list[Slot] = []
        current = period.next()
        if self.first is not None and current < self.first:
            current = self.first
        misses = 0
        while len(out) < count and self.first is not None and misses < 1000:
            slot = self.slot(current)
            if slot is not None and slot.unit:
                out.append(slot)
                misses = 0
            else:
                misses += 1  # nobody can serve: stop rather than walk forever
            current = current.next()
        return out


def memberships(zone: Zone, rotation: Rotation) -> dict[str, Membership]:
    """What the schedule needs to know about each unit the rotation names."""
    ids = set(rotation.order) | {ov.unit for ov in rotation.overrides if ov.unit}
    out: dict[str, Membership] = {}
    for uid in sorted(ids):
        unit = zone.units.get(uid)
        if unit is not None:
            out[uid] = (unit.is_member_unit, unit.joined, unit.left)
    return out


@lru_cache(maxsize=64)
def _cached_schedule(rotation: Rotation, members: tuple, established: dt.date | None) -> RotationSchedule:
    return RotationSchedule(rotation, dict(members), established)


def find_rotation(zone: Zone, name: str | None = None) -> Rotation | None:
    """The rotation called `name`; the first one (the yearly duty rotation) when no name is given."""
    rotations = zone.info.rotations
    if name is None:
        return rotations[0] if rotations else None
    return next((r for r in rotations if r.name == name), None)


def schedule_for(zone: Zone, rotation: str | Rotation | None = None) -> RotationSchedule | None:
    """The (shared, memoised) schedule of a rotation of the zone; None when the zone has no such rotation."""
    rot = rotation if isinstance(rotation, Rotation) else find_rotation(zone, rotation)
    if rot is None:
        return None
    members = tuple(sorted(memberships(zone, rot).items()))
    return _cached_schedule(rot, members, zone.info.established)


def duty_unit_for(zone: Zone, day: dt.date, rotation: str | None = None) -> Slot | None:
    """The turn covering `day` of a rotation (the duty rotation by default): `.unit`, `.period`, `.recorded`.

    None when the zone has no such rotation, the rotation had not started on `day`, or no member unit can serve then.
    """
    schedule = schedule_for(zone, rotation)
    if schedule is None:
        return None
    slot = schedule.slot_on(day)
    return slot if slot is not None and slot.unit else None


def turns_between(zone: Zone, start: dt.date, end: dt.date, rotation: str | None = None) -> list[Slot]:
    """The turns (with a serving unit) of every period that overlaps [start, end], in order."""
    schedule = schedule_for(zone, rotation)
    if schedule is None or end < start:
        return []
    first, last = period_of(start, schedule.kind), period_of(end, schedule.kind)
    return [s for s in schedule.slots(first, last) if s.unit]


def next_turns(zone: Zone, day: dt.date, count: int, rotation: str | None = None) -> list[Slot]:
    """The `count` turns after the period containing `day`."""
    schedule = schedule_for(zone, rotation)
    if schedule is None or count <= 0:
        return []
    return schedule.following(period_of(day, schedule.kind), count)
