"""Who the zone file names: the leading group and the office, with the role each person holds there."""

from __future__ import annotations

from typing import Iterator

from djxz.model import Person, ZoneInfo


def iter_people(info: ZoneInfo) -> Iterator[tuple[str, Person]]:
    """Every person named in the zone file with the role they hold there."""
    group = info.leading_group
    if group:
        if group.leader:
            yield "leading_group.leader", group.leader
        for i, p in enumerate(group.deputies):
            yield f"leading_group.deputies.{i}", p
        for i, p in enumerate(group.members):
            yield f"leading_group.members.{i}", p
    if info.office:
        if info.office.director:
            yield "office.director", info.office.director
        for i, p in enumerate(info.office.staff):
            yield f"office.staff.{i}", p
