"""`djxz who` answers an unchanged zone.yaml and units/ from its data-only cache, exactly as it would compute it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import MINI_ZONE, run_cli, write_zone

import djxz.app.who as who_app
from djxz.load import cache


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    return write_zone(tmp_path / "zone", MINI_ZONE)


def _refuse(*args, **kwargs):
    raise AssertionError("computed instead of answered from the cache")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_second_answer_comes_from_the_cache_and_is_the_same(zone: Path, monkeypatch, fmt: str) -> None:
    first = run_cli("who", "--zone", str(zone), "--format", fmt, "--next", "2")
    monkeypatch.setattr(who_app, "who", _refuse)
    assert run_cli("who", "--zone", str(zone), "--format", fmt, "--next", "2") == first
    assert first[0] == 0


def test_another_question_is_computed(zone: Path, monkeypatch) -> None:
    run_cli("who", "--zone", str(zone))
    monkeypatch.setattr(who_app, "who", _refuse)
    code, _, err = run_cli("who", "--zone", str(zone), "--date", "2025-03-01")
    assert code != 0, "the refusing stand-in ran: a new date is not answered from the cache"


def test_a_changed_unit_changes_the_answer(zone: Path) -> None:
    _, before, _ = run_cli("who", "--zone", str(zone), "--format", "json")
    alpha = zone / "units" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("name: 甲站党委", "name: 甲站党委（新）"), encoding="utf-8")
    _, after, _ = run_cli("who", "--zone", str(zone), "--format", "json")
    assert before != after and "甲站党委（新）" in after


def test_a_new_file_under_units_changes_the_key(zone: Path) -> None:
    from djxz.app.who_answer import answer_key
    import datetime as dt

    day = dt.date(2026, 11, 26)
    key = answer_key(zone, day, None, 3)
    write_zone(zone, {"units/delta.yaml": "id: delta\n"})
    assert answer_key(zone, day, None, 3) != key


def test_a_forged_answer_of_the_wrong_shape_is_recomputed(zone: Path) -> None:
    _, expected, _ = run_cli("who", "--zone", str(zone), "--format", "json")
    entry = cache.entry_path(zone, "who")
    payload = json.loads(entry.read_bytes())
    payload["value"]["json"]["next"] = [{"label": 1}]
    entry.write_text(json.dumps(payload), encoding="utf-8")
    assert run_cli("who", "--zone", str(zone), "--format", "json")[1] == expected


def test_a_cached_answer_imports_no_yaml_reader_and_no_records(zone: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DJXZ_CACHE_DIR": str(tmp_path / "c"), "DJXZ_TODAY": "2026-11-26"}
    probe = textwrap.dedent("""
        import sys
        from djxz.cli import main
        sys.argv = ["djxz", "who", "--zone", sys.argv[1]]
        try:
            main()
        except SystemExit:
            pass
        heavy = sorted(m for m in ("yaml", "djxz.model", "djxz.load.loader", "ryml", "djxz.domain.rotation", "rich")
                       if m in sys.modules)
        print("HEAVY", heavy, file=sys.stderr)
    """)
    first = subprocess.run([sys.executable, "-c", probe, str(zone)], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", probe, str(zone)], env=env, capture_output=True, text=True)
    assert "HEAVY ['djxz.domain.rotation', 'djxz.load.loader', 'djxz.model', 'rich', 'yaml']" in first.stderr
    assert "HEAVY []" in second.stderr
    assert first.stdout == second.stdout and "轮值单位" in second.stdout


def test_the_printed_text_is_kept_per_screen_and_is_what_rich_prints(zone: Path, tmp_path: Path) -> None:
    """On a pipe the printed text is kept with the answer, keyed by what rich reads (COLUMNS here): a second run prints
    the same bytes without rich, and another width is printed afresh, as rich would print it."""
    def run(cache_dir: str, columns: str) -> str:
        env = {**os.environ, "DJXZ_CACHE_DIR": str(tmp_path / cache_dir), "DJXZ_TODAY": "2026-11-26", "COLUMNS": columns}
        return subprocess.run([sys.executable, "-m", "djxz", "who", "--zone", str(zone)], env=env, capture_output=True,
                              text=True, check=True).stdout

    wide, narrow = run("a", "120"), run("a", "40")
    assert wide != narrow and "┏━━━━━━━━━━┳" in narrow and "┏━━━━━━━━━━━━━━━━┳" in wide  # the table fits the width
    assert run("a", "120") == wide and run("a", "40") == narrow  # from the kept text
    assert run("fresh", "40") == narrow  # rich, no cache


def test_kept_text_from_a_forged_entry_is_escaped_like_all_output(zone: Path) -> None:
    first = run_cli("who", "--zone", str(zone))[1]
    entry = cache.entry_path(zone, "who")
    payload = json.loads(entry.read_bytes())
    [screen] = payload["value"]["printed"]
    assert payload["value"]["printed"][screen] == first
    payload["value"]["printed"][screen] = "\x1b]0;pwned\x07轮值\n"
    entry.write_text(json.dumps(payload), encoding="utf-8")
    assert run_cli("who", "--zone", str(zone))[1] == "\\e]0;pwned\\x07轮值\n"
