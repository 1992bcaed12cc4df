"""The example zone in data/ is complete, realistic, clean under --strict, and round-trips byte for byte."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from conftest import EXAMPLE, EXAMPLE_TODAY, run_cli

from djxz.edit.yamlio import round_trip
from djxz.load.loader import load_zone
from djxz.vocabulary import ACTIVITY_KINDS, CATEGORIES

FILES = sorted(EXAMPLE.rglob("*.yaml"))


@pytest.fixture(scope="module")
def zone():
    loaded, diagnostics = load_zone(EXAMPLE)
    assert diagnostics == []
    return loaded


def test_check_strict_is_clean() -> None:
    code, out, err = run_cli("check", "--strict", "--zone", str(EXAMPLE), "--as-of", EXAMPLE_TODAY)
    assert (code, err) == (0, "")
    assert out.strip().endswith("0 个错误，0 个警告")


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(EXAMPLE).as_posix() for p in FILES])
def test_every_file_round_trips_byte_identical(path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert round_trip(text) == text


def test_the_zone_is_as_large_and_varied_as_a_real_one(zone) -> None:
    members = [u for u in zone.units.values() if u.is_member_unit]
    partners = {u.type for u in zone.units.values() if not u.is_member_unit}
    assert len(members) >= 7 and {"高校", "国企"} <= partners
    assert any(u.joined and u.joined.year == 2024 for u in members)
    assert any(u.left and u.left.year == 2025 for u in members)
    assert sorted(zone.plans) == [2023, 2024, 2025, 2026]
    assert [t.period for t in zone.info.rotations[0].turns] == ["2023", "2024", "2025", "2026"]
    assert len(zone.activities) >= 150
    assert set(CATEGORIES) <= {a.category for a in zone.activities}
    assert set(ACTIVITY_KINDS) <= {a.kind for a in zone.activities}
    assert all(a.summary.strip() for a in zone.activities)
    assert sum(1 for a in zone.activities if a.practices) >= len(zone.activities) // 3


def test_bulletins_are_numbered_per_year_without_reuse(zone) -> None:
    numbers = Counter((d.date.year, d.number) for d in zone.documents_of("信息简报"))
    assert numbers and max(numbers.values()) == 1
    for year in {y for y, _ in numbers}:
        issued = sorted(n for y, n in numbers if y == year)
        assert issued == list(range(1, len(issued) + 1))


def test_nothing_is_recorded_after_the_example_date(zone) -> None:
    last = dt.date.fromisoformat(EXAMPLE_TODAY)
    assert max(a.date for a in zone.activities) <= last
    assert max(d.date for d in zone.documents) <= last
