"""`djxz calendar`: the .ics parses back, one event per planned item and deadline, and a re-import is harmless."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import MINI_ZONE, run_cli, write_zone

PLAN_2026 = """\
    # yaml-language-server: $schema=../../schemas/plan.schema.json
    year: 2026
    duty_unit: alpha
    items:
      - id: 2026-joint-meeting
        title: 年度联席会议
        kind: 联席会议
        category: 组织共建
        date: 2026-01-22
        host: lead
      - id: 2026-forum-03
        title: 3月份党建座谈会
        kind: 月度党建座谈
        category: 组织共建
        month: '2026-03'
        host: beta
      - id: 2026-half-year-report
        title: 年中总结通报上半年工作
        kind: 其他
        category: 组织共建
        date: 2026-07-24
        host: alpha
        note: 提前一周报送
    """

# The built-in duty deadlines of 2026 that fall in 2026, on working days (see test_rotate for the placements).
DEADLINES = {
    "2026-annual-report": dt.date(2026, 1, 30),
    "2026-annual-plan": dt.date(2026, 2, 28),
    "2026-rotation-arrangement": dt.date(2026, 2, 28),
    "2026-city-summary-report": dt.date(2026, 2, 28),
    "2026-city-plan-report": dt.date(2026, 3, 31),
}
KEY = "lead-20230301.djxz"


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    return write_zone(tmp_path / "zone", {**MINI_ZONE, "plans/2026.yaml": PLAN_2026})


def events_of(path: Path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    return {str(e["UID"]): e for e in events}


def test_one_event_per_duty_period_planned_item_and_deadline(zone: Path, tmp_path: Path):
    out = tmp_path / "2026.ics"
    code, text, err = run_cli("calendar", "--zone", str(zone), "--year", "2026", "-o", str(out))
    assert (code, err) == (0, "")
    events = events_of(out)
    expected = {f"rotation-duty-2026@{KEY}", f"plan-2026-joint-meeting@{KEY}", f"plan-2026-forum-03@{KEY}",
                f"plan-2026-half-year-report@{KEY}"} | {f"plan-{i}@{KEY}" for i in DEADLINES}
    assert set(events) == expected

    duty = events[f"rotation-duty-2026@{KEY}"]
    assert str(duty["SUMMARY"]) == "轮值单位：甲站党委"
    assert (duty.decoded("DTSTART"), duty.decoded("DTEND")) == (dt.date(2026, 1, 1), dt.date(2027, 1, 1))

    meeting = events[f"plan-2026-joint-meeting@{KEY}"]
    assert str(meeting["SUMMARY"]) == "年度联席会议"
    assert (meeting.decoded("DTSTART"), meeting.decoded("DTEND")) == (dt.date(2026, 1, 22), dt.date(2026, 1, 23))
    assert "承办单位：测试总站机关党委" in str(meeting["DESCRIPTION"])

    month = events[f"plan-2026-forum-03@{KEY}"]
    assert str(month["SUMMARY"]) == "3月份党建座谈会（本月内）"
    assert (month.decoded("DTSTART"), month.decoded("DTEND")) == (dt.date(2026, 3, 1), dt.date(2026, 4, 1))

    # the plan lists the half-year report under the duty's id: one event, on the plan's date, marked as a deadline
    report = events[f"plan-2026-half-year-report@{KEY}"]
    assert str(report["SUMMARY"]) == "【截止】年中总结通报上半年工作"
    assert report.decoded("DTSTART") == dt.date(2026, 7, 24)
    for item_id, day in DEADLINES.items():
        event = events[f"plan-{item_id}@{KEY}"]
        assert str(event["SUMMARY"]).startswith("【截止】")
        assert event.decoded("DTSTART") == day
        assert event.walk("VALARM")[0].decoded("TRIGGER") == dt.timedelta(days=-3)
    total = next(line for line in text.splitlines() if "合计" in line)
    assert total.split("│")[2].strip() == "9"


def test_exporting_again_gives_the_same_file_and_a_changed_plan_keeps_its_uids(zone: Path, tmp_path: Path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run_cli("calendar", "--zone", str(zone), "-y", "2026", "-o", str(first))[0] == 0
    assert run_cli("calendar", "--zone", str(zone), "-y", "2026", "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()

    plan = zone / "plans" / "2026.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("2026-01-22", "2026-01-27"), encoding="utf-8")
    moved = tmp_path / "c.ics"
    assert run_cli("calendar", "--zone", str(zone), "-y", "2026", "-o", str(moved))[0] == 0
    before, after = events_of(first), events_of(moved)
    # importing the new file over the old one updates the moved meeting (same UID) and adds nothing
    assert set(before) == set(after)
    changed = {uid for uid in before if before[uid].to_ical() != after[uid].to_ical()}
    assert changed == {f"plan-2026-joint-meeting@{KEY}"}
    assert after[f"plan-2026-joint-meeting@{KEY}"].decoded("DTSTART") == dt.date(2026, 1, 27)


def test_importing_twice_into_one_calendar_is_harmless(zone: Path, tmp_path: Path):
    """A calendar keyed by UID, as Outlook and phone calendars are, holds the same events after a second import."""
    out = tmp_path / "x.ics"
    run_cli("calendar", "--zone", str(zone), "-y", "2026", "-o", str(out))
    store: dict[str, bytes] = {}
    for _ in range(2):
        for event in Calendar.from_ical(out.read_bytes()).walk("VEVENT"):
            store[str(event["UID"])] = event.to_ical()
    assert len(store) == len(events_of(out)) == 9


def test_rotate_then_calendar_shows_each_deadline_once(zone: Path, tmp_path: Path):
    assert run_cli("rotate", "--zone", str(zone), "--year", "2027")[0] == 0
    out = tmp_path / "2027.ics"
    code, text, _ = run_cli("calendar", "--zone", str(zone), "--year", "2027", "-o", str(out), "--format", "json")
    assert code == 0
    data = json.loads(text)
    kinds = [e["kind"] for e in data["events"]]
    assert (kinds.count("duty"), kinds.count("planned"), kinds.count("deadline")) == (1, 17, 6)
    assert len(events_of(out)) == 24  # the plan's deadline items and the duty deadlines are the same events
    deadlines = [e for e in data["events"] if e["kind"] == "deadline"]
    assert all(e["summary"].startswith("【截止】") for e in deadlines)
    assert {e["uid"] for e in deadlines} == {f"plan-2027-{r}@{KEY}" for r in (
        "annual-report", "annual-plan", "rotation-arrangement", "city-summary-report", "city-plan-report", "half-year-report")}
    assert data["warnings"] and "2027 年的法定节假日" in data["warnings"][0]


def test_stdout_and_a_wrong_suffix(zone: Path, tmp_path: Path):
    code, out, _ = run_cli("calendar", "--zone", str(zone), "-y", "2026", "-o", "-")
    assert code == 0
    assert len(Calendar.from_ical(out.encode("utf-8")).walk("VEVENT")) == 9
    code, _, err = run_cli("calendar", "--zone", str(zone), "-y", "2026", "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "应以 .ics 结尾" in err
    assert not (tmp_path / "x.txt").exists()


def test_default_file_name_in_the_current_directory(zone: Path, tmp_path: Path):
    code, text, _ = run_cli("calendar", "--zone", str(zone), "-y", "2026", cwd=tmp_path)
    assert code == 0 and (tmp_path / "djxz-2026.ics").is_file()
    assert "2026 年日历：djxz-2026.ics" in text


ADJUSTED = PLAN_2026.rstrip(" ") + """\
    adjustments:
      - duty: annual-plan
        period: '2026'
        action: 顺延
        to: 2026-03-20
        reason: 春节假期后集中研究
        approved_by: 协作区领导小组
      - duty: city-plan-report
        period: '2026'
        action: 免于
        reason: 市委本年不要求单独报送
        approved_by: 协作区领导小组
      - duty: half-year-report
        period: '2026'
        action: 顺延
        to: 2026-08-14
        reason: 防汛任务
        approved_by: 协作区领导小组
    """


def test_a_postponed_deadline_moves_and_an_exempted_one_is_gone(tmp_path: Path):
    """The leading group's adjustments (docs/duties.md) are what the calendar shows: 顺延 on the new date with the
    reason, for a rule deadline and for one the plan lists; 免于 no event at all."""
    zone = write_zone(tmp_path / "zone", {**MINI_ZONE, "plans/2026.yaml": ADJUSTED})
    assert run_cli("check", "--zone", str(zone))[0] == 0
    out = tmp_path / "2026.ics"
    assert run_cli("calendar", "--zone", str(zone), "--year", "2026", "-o", str(out))[0] == 0
    events = events_of(out)
    assert f"plan-2026-city-plan-report@{KEY}" not in events
    plan = events[f"plan-2026-annual-plan@{KEY}"]
    assert plan.decoded("DTSTART") == dt.date(2026, 3, 20)
    assert "经协作区领导小组批准顺延至 2026-03-20（原因：春节假期后集中研究）" in str(plan["DESCRIPTION"])
    listed = events[f"plan-2026-half-year-report@{KEY}"]  # the plan said 07-24; the postponement wins
    assert str(listed["SUMMARY"]) == "【截止】年中总结通报上半年工作"
    assert listed.decoded("DTSTART") == dt.date(2026, 8, 14)
    assert "防汛任务" in str(listed["DESCRIPTION"])
    others = {i: d for i, d in DEADLINES.items() if i not in ("2026-annual-plan", "2026-city-plan-report")}
    assert all(events[f"plan-{i}@{KEY}"].decoded("DTSTART") == d for i, d in others.items())
