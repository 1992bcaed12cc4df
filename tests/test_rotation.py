"""The rotation model: recorded turns are facts, projection follows today's order, overrides, memberships; properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from djxz.domain.periods import Period, parse_period, period_of
from djxz.domain.rotation import RotationSchedule, duty_unit_for, next_turns, schedule_for, turns_between
from djxz.load.loader import load_zone
from djxz.model import Override, Rotation, Turn

from conftest import MINI_ZONE, write_zone

D = dt.date
ALWAYS = (True, None, None)


def schedule(order, turns=(), anchor=None, overrides=(), members=None, period="year", established=None):
    rotation = Rotation(
        name="duty",
        period=period,
        order=tuple(order),
        anchor=Turn(period=anchor[0], unit=anchor[1]) if anchor else None,
        turns=tuple(Turn(period=p, unit=u) for p, u in turns),
        overrides=tuple(overrides),
    )
    members = members if members is not None else {u: ALWAYS for u in order}
    return RotationSchedule(rotation, members, established)


def units_of(s: RotationSchedule, first: str, last: str) -> list[str | None]:
    return [slot.unit for slot in s.slots(parse_period(first), parse_period(last))]


# -- the rules, one example each ---------------------------------------------------------------------------------------

def test_anchor_starts_and_order_repeats():
    s = schedule("abc", anchor=("2023", "b"))
    assert units_of(s, "2021", "2028") == ["b", "c", "a", "b", "c", "a"]
    assert s.slot(Period("year", 2022)) is None
    assert s.slot(Period("year", 2023)).source == "anchor"
    assert not s.slot(Period("year", 2023)).recorded


def test_without_turns_or_anchor_the_first_unit_starts_when_the_zone_was_established():
    s = schedule("abc", established=D(2023, 3, 1))
    assert units_of(s, "2023", "2026") == ["a", "b", "c", "a"]
    assert schedule("abc").slot(Period("year", 2030)) is None


def test_recorded_turns_are_facts_and_the_next_turn_follows_the_last_one():
    # 2024 was given to c by the office (recorded), so 2025 follows c, not b.
    s = schedule("abcd", turns=[("2023", "a"), ("2024", "c")])
    slots = list(s.slots(Period("year", 2023), Period("year", 2027)))
    assert [x.unit for x in slots] == ["a", "c", "d", "a", "b"]
    assert [x.recorded for x in slots] == [True, True, False, False, False]


def test_a_gap_in_the_record_is_projected_from_the_turn_before_it():
    s = schedule("abc", turns=[("2023", "a"), ("2026", "a")])
    assert units_of(s, "2023", "2027") == ["a", "b", "c", "a", "b"]


def test_a_unit_that_is_not_a_member_for_the_whole_period_is_skipped():
    members = {"a": ALWAYS, "b": (True, None, D(2025, 7, 1)), "c": ALWAYS, "d": (True, D(2024, 3, 1), None)}
    s = schedule("abcd", turns=[("2023", "a")], members=members)
    # 2024: b (still a member); 2025: b leaves mid-year, c; 2026: d joined 2024-03-01 and serves; then a, c, d.
    assert units_of(s, "2023", "2029") == ["a", "b", "c", "d", "a", "c", "d"]


def test_a_unit_that_joins_takes_its_place_in_the_order():
    members = {"a": ALWAYS, "b": ALWAYS, "n": (True, D(2025, 2, 1), None), "c": ALWAYS}
    s = schedule("abnc", turns=[("2023", "a")], members=members)
    assert units_of(s, "2023", "2028") == ["a", "b", "c", "a", "b", "n"]


def test_a_co_building_unit_never_serves():
    s = schedule("abc", anchor=("2023", "a"), members={"a": ALWAYS, "b": (False, None, None), "c": ALWAYS})
    assert units_of(s, "2023", "2026") == ["a", "c", "a", "c"]


def test_assign_gives_a_period_away_and_the_unit_that_was_due_serves_next():
    ov = Override(kind="assign", periods=("2025",), unit="c", reason="承担重大安保任务")
    s = schedule("abcd", turns=[("2023", "a"), ("2024", "b")], overrides=[ov])
    slots = list(s.slots(Period("year", 2025), Period("year", 2028)))
    assert [x.unit for x in slots] == ["c", "c", "d", "a"]
    assert slots[0].override is ov and slots[0].note == "承担重大安保任务"


def test_skip_passes_a_unit_over_for_one_round():
    ov = Override(kind="skip", periods=("2025",), unit="c", reason="单位整合")
    s = schedule("abcd", turns=[("2023", "a"), ("2024", "b")], overrides=[ov])
    slots = list(s.slots(Period("year", 2025), Period("year", 2029)))
    assert [x.unit for x in slots] == ["d", "a", "b", "c", "d"]
    assert slots[0].override is ov


def test_skip_of_a_unit_that_was_not_due_changes_nothing():
    ov = Override(kind="skip", periods=("2025",), unit="a", reason="无关")
    s = schedule("abcd", turns=[("2023", "a"), ("2024", "b")], overrides=[ov])
    assert units_of(s, "2025", "2027") == ["c", "d", "a"]
    assert s.slot(Period("year", 2025)).override is None


def test_swap_exchanges_two_periods_and_the_order_carries_on():
    ov = Override(kind="swap", periods=("2025", "2026"), reason="互换")
    s = schedule("abcd", turns=[("2023", "a"), ("2024", "b")], overrides=[ov])
    assert units_of(s, "2025", "2029") == ["d", "c", "a", "b", "c"]


def test_overrides_never_touch_a_recorded_turn():
    ovs = [Override(kind="assign", periods=("2024",), unit="d", reason="x"),
           Override(kind="swap", periods=("2023", "2025"), reason="y")]
    s = schedule("abcd", turns=[("2023", "a"), ("2024", "b")], overrides=ovs)
    assert units_of(s, "2023", "2024") == ["a", "b"]


def test_an_override_that_cannot_be_honoured_is_ignored_and_says_why():
    members = {"a": ALWAYS, "b": ALWAYS, "c": ALWAYS, "x": (True, None, D(2024, 1, 1))}
    ovs = [Override(kind="assign", periods=("2025",), unit="x", reason="已退出"),
           Override(kind="skip", periods=("2026",), unit="a", reason="全部跳过？"),
           Override(kind="skip", periods=("2026",), unit="b", reason="全部跳过？"),
           Override(kind="skip", periods=("2026",), unit="c", reason="全部跳过？")]
    s = schedule("abc", turns=[("2024", "a")], overrides=ovs, members=members)
    slot25, slot26 = s.slot(Period("year", 2025)), s.slot(Period("year", 2026))
    assert (slot25.unit, slot26.unit) == ("b", "c")
    assert "调整未生效" in slot25.note and "调整未生效" in slot26.note


def test_other_period_kinds():
    s = schedule("abc", anchor=("2024-H2", "a"), period="half")
    assert units_of(s, "2024-H1", "2025-H2") == ["a", "b", "c"]
    s = schedule("ab", anchor=("2024-W52", "a"), period="week")
    assert units_of(s, "2024-W52", "2025-W02") == ["a", "b", "a"]
    assert s.slot_on(D(2024, 12, 30)).period == Period("week", 2025, 1)
    s = schedule("abc", anchor=("2024-11", "c"), period="month")
    assert units_of(s, "2024-11", "2025-02") == ["c", "a", "b", "c"]


def test_a_wrong_period_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        schedule("ab", anchor=("2024", "a")).slot(Period("month", 2024, 3))


# -- through a loaded zone -------------------------------------------------------------------------------------------

def test_duty_unit_for_on_a_loaded_zone(tmp_path):
    zone, diags = load_zone(write_zone(tmp_path, MINI_ZONE))
    assert diags == []
    table = {D(2023, 12, 31): ("alpha", True), D(2024, 1, 1): ("beta", True), D(2024, 12, 31): ("beta", True),
             D(2025, 1, 1): ("gamma", False), D(2026, 11, 26): ("alpha", False), D(2027, 1, 1): ("beta", False)}
    for day, (unit, recorded) in table.items():
        slot = duty_unit_for(zone, day)
        assert (slot.unit, slot.recorded, slot.period) == (unit, recorded, period_of(day, "year")), day
    assert duty_unit_for(zone, D(2022, 12, 31)) is None
    assert duty_unit_for(zone, D(2025, 1, 1), rotation="nope") is None
    assert [(str(s.period), s.unit) for s in turns_between(zone, D(2024, 6, 1), D(2026, 1, 1))] == [
        ("2024", "beta"), ("2025", "gamma"), ("2026", "alpha")]
    assert [s.unit for s in next_turns(zone, D(2026, 11, 26), 4)] == ["beta", "gamma", "alpha", "beta"]
    assert schedule_for(zone) is schedule_for(zone)  # memoised: `who` and the duty checks share one computation


# -- properties -------------------------------------------------------------------------------------------------------

UNIT_IDS = [f"u{i}" for i in range(7)]
KINDS = ["year", "half", "quarter", "month", "week"]
START = Period("year", 2023)


@st.composite
def rotations(draw, stable: bool = False, with_overrides: bool = True, with_facts: bool = True):
    kind = draw(st.sampled_from(KINDS))
    first = period_of(D(2023, 1, 1), kind)
    span = 30
    periods = [first.next(i) for i in range(span)]
    order = draw(st.lists(st.sampled_from(UNIT_IDS), min_size=1, max_size=6, unique=True))
    members = {}
    for i, uid in enumerate(order):
        if stable or i == 0:  # the first unit is always a member, so some unit can always serve
            members[uid] = ALWAYS
            continue
        joined = left = None
        if draw(st.booleans()):
            joined = draw(st.sampled_from(periods)).start + dt.timedelta(days=draw(st.integers(0, 3)))
        if draw(st.booleans()):
            left = draw(st.sampled_from(periods)).start
            if joined and left <= joined:
                left = None
        members[uid] = (draw(st.booleans()), joined, left)  # False: a co-building unit named in the order
    anchor = (str(first), order[0])
    turns = []
    if with_facts:
        for p in draw(st.lists(st.sampled_from(periods), max_size=8, unique=True)):
            turns.append((str(p), draw(st.sampled_from(order))))
    overrides = []
    if with_overrides:
        for _ in range(draw(st.integers(0, 4))):
            k = draw(st.sampled_from(["assign", "skip", "swap"]))
            if k == "swap":
                ps = draw(st.lists(st.sampled_from(periods), min_size=2, max_size=2, unique=True))
                overrides.append(Override(kind=k, periods=tuple(map(str, ps)), reason="r"))
            else:
                p = draw(st.sampled_from(periods))
                overrides.append(Override(kind=k, periods=(str(p),), unit=draw(st.sampled_from(order)), reason="r"))
    return dict(order=order, anchor=anchor, turns=turns, overrides=overrides, members=members, period=kind), periods


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(rotations(stable=True, with_overrides=False, with_facts=False), st.integers(0, 20))
def test_with_stable_membership_every_unit_serves_once_in_any_n_consecutive_periods(case, at):
    spec, periods = case
    s = schedule(**spec)
    n = len(spec["order"])
    window = [s.slot(periods[0].next(at + i)).unit for i in range(n)]
    assert sorted(window) == sorted(spec["order"])


@PROPS
@given(rotations(stable=True, with_overrides=False), st.integers(0, 20))
def test_with_stable_membership_each_n_periods_after_the_last_record_cover_every_unit(case, at):
    spec, periods = case
    s = schedule(**spec)
    last = max([parse_period(p) for p, _ in spec["turns"]], default=periods[0])
    n = len(spec["order"])
    window = [s.slot(last.next(1 + at + i)).unit for i in range(n)]
    assert sorted(window) == sorted(spec["order"])


@PROPS
@given(rotations(), st.sampled_from(UNIT_IDS), st.integers(0, 29), st.booleans())
def test_adding_or_removing_a_unit_never_changes_a_recorded_turn(case, other, when, remove):
    spec, periods = case
    before = schedule(**spec)
    order = list(spec["order"])
    members = dict(spec["members"])
    if remove and len(order) > 1:
        gone = order.pop()
        members.pop(gone)
    elif other not in order:
        order.insert(when % (len(order) + 1), other)
        members[other] = (True, periods[when].start, None)
    after = schedule(**{**spec, "order": order, "members": members})
    for p, unit in spec["turns"]:
        period = parse_period(p)
        assert before.slot(period).unit == after.slot(period).unit == unit
        assert after.slot(period).recorded


@PROPS
@given(rotations(with_overrides=False), st.integers(1, 29))
def test_a_unit_that_joins_changes_nothing_before_it_joins(case, when):
    spec, periods = case
    newcomer = next(u for u in UNIT_IDS if u not in spec["order"]) if len(spec["order"]) < len(UNIT_IDS) else None
    assume(newcomer is not None)
    joined = periods[when].start
    before = schedule(**spec)
    after = schedule(**{**spec, "order": [*spec["order"], newcomer], "members": {**spec["members"], newcomer: (True, joined, None)}})
    for p in periods[:when]:
        assert before.slot(p) == after.slot(p)


@PROPS
@given(rotations(), st.lists(st.integers(0, 29), min_size=1, max_size=10))
def test_the_same_input_always_gives_the_same_answer_in_any_order_of_questions(case, picks):
    spec, periods = case
    forward = [schedule(**spec).slot(p) for p in periods]
    asked = schedule(**spec)
    for i in picks:  # out of order first, so the memo is filled in a different order
        assert asked.slot(periods[i]) == forward[i]
    assert [asked.slot(p) for p in periods] == forward


@PROPS
@given(rotations())
def test_every_projected_turn_names_a_member_for_its_whole_period_and_no_period_is_empty(case):
    spec, periods = case
    s = schedule(**spec)
    slots = list(s.slots(periods[0], periods[-1]))
    assert [x.period for x in slots] == periods  # one turn per period, none missing, none twice
    for slot in slots:
        assert slot.unit is not None
        if slot.source == "projected":
            assert s.eligible(slot.unit, slot.period), slot
            assert slot.period.start <= slot.period.end


@PROPS
@given(rotations(), st.integers(0, 29))
def test_recording_the_projected_turn_changes_no_other_period(case, when):
    spec, periods = case
    s = schedule(**spec)
    target = periods[when]
    slot = s.slot(target)
    assume(not slot.recorded and slot.source != "anchor")
    recorded = schedule(**{**spec, "turns": [*spec["turns"], (str(target), slot.unit)]})
    assert recorded.slot(target).unit == slot.unit and recorded.slot(target).recorded
    for p in periods:
        if p != target:
            assert recorded.slot(p).unit == s.slot(p).unit, p


# -- the example zone -------------------------------------------------------------------------------------------------

EXAMPLE_TABLE = [
    # (day, unit, recorded): the first year, each boundary, the unit that joined (都拉塔, 2024-03-01) and the unit that
    # left (特克斯, 2025-07-01, whose turn in 2027 is skipped).
    (D(2023, 1, 1), "yining-zhan", True),
    (D(2023, 12, 31), "yining-zhan", True),
    (D(2024, 1, 1), "huocheng-zhan", True),
    (D(2024, 12, 31), "huocheng-zhan", True),
    (D(2025, 1, 1), "chabuchaer-zhan", True),
    (D(2025, 12, 31), "chabuchaer-zhan", True),
    (D(2026, 1, 1), "zhaosu-zhan", True),
    (D(2026, 12, 31), "zhaosu-zhan", True),
    (D(2027, 1, 1), "dulata-kouan", False),
    (D(2027, 12, 31), "dulata-kouan", False),
    (D(2028, 1, 1), "yining-zhan", False),
    (D(2028, 12, 31), "yining-zhan", False),
    (D(2029, 1, 1), "huocheng-zhan", False),
    (D(2029, 12, 31), "huocheng-zhan", False),
    (D(2030, 1, 1), "chabuchaer-zhan", False),
    (D(2030, 12, 31), "chabuchaer-zhan", False),
]


@pytest.fixture(scope="module")
def example():
    from conftest import EXAMPLE

    if not (EXAMPLE / "zone.yaml").exists():
        pytest.skip("the example zone is not there")
    zone, _ = load_zone(EXAMPLE)
    return zone


@pytest.mark.parametrize("day, unit, recorded", EXAMPLE_TABLE, ids=[str(row[0]) for row in EXAMPLE_TABLE])
def test_example_zone_duty_unit_table(example, day, unit, recorded):
    slot = duty_unit_for(example, day)
    assert (slot.unit, slot.recorded, slot.period) == (unit, recorded, Period("year", day.year))


def test_example_zone_before_its_first_year_and_the_units_that_came_and_went(example):
    assert duty_unit_for(example, D(2022, 12, 31)) is None
    units = [s.unit for s in turns_between(example, D(2023, 1, 1), D(2040, 12, 31))]
    assert "tekesi-zhan" not in units  # in the order, but it left before its next turn came
    assert units.count("dulata-kouan") == 3  # 2027, 2032, 2037: it joined in 2024 and serves from its place
    tekesi, dulata = example.units["tekesi-zhan"], example.units["dulata-kouan"]
    assert (tekesi.left, dulata.joined) == (D(2025, 7, 1), D(2024, 3, 1))


# -- layering ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("module, forbidden", [
    ("djxz.domain.rotation", ["yaml", "ruamel", "typer", "rich", "git", "jinja2", "docx", "icalendar", "chinese_calendar",
                              "djxz.load", "djxz.app", "djxz.cli", "djxz.edit"]),
    ("djxz.domain.workdays", ["yaml", "ruamel", "typer", "rich", "chinese_calendar", "djxz.load", "djxz.app", "djxz.cli"]),
    ("djxz.domain.yearplan", ["yaml", "ruamel", "typer", "rich", "chinese_calendar", "djxz.load", "djxz.app", "djxz.cli"]),
    ("djxz.vcs", ["git", "yaml", "ruamel", "typer", "rich", "djxz.load", "djxz.app", "djxz.cli"]),
    ("djxz.edit.rotation_edit", ["ruamel", "typer", "rich", "git", "djxz.app", "djxz.cli"]),
])
def test_the_rotation_modules_import_only_what_their_layer_may(module, forbidden):
    import json
    import subprocess
    import sys

    from conftest import ROOT

    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                           cwd=ROOT).stdout))
    assert module in loaded
    leaks = sorted(f for f in forbidden if f in loaded or any(m.startswith(f + ".") for m in loaded))
    assert leaks == []
