"""The check-result cache: reused when nothing changed, never trusted when something did, and only ever data."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

from conftest import MINI_ZONE, run_cli, write_zone

from djxz.app.check import check_zone
from djxz.load import cache
from djxz.load.loader import load_zone

TODAY = dt.date(2026, 11, 26)
ACT = "activities/2024/2024-03-15-dangke.yaml"


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / ".cache" / "djxz").glob("*.json"))


def test_cache_lives_outside_the_zone(tmp_path: Path, mini_zone: Path) -> None:
    before = sorted(p.relative_to(mini_zone) for p in mini_zone.rglob("*"))
    check_zone(mini_zone, TODAY)
    assert sorted(p.relative_to(mini_zone) for p in mini_zone.rglob("*")) == before
    names = [p.name.split("-")[0] for p in _cache_files(tmp_path)]
    assert names == ["check"]


def test_unchanged_zone_is_answered_from_the_cache(mini_zone: Path) -> None:
    first = check_zone(mini_zone, TODAY)
    second = check_zone(mini_zone, TODAY)
    assert first.zone is not None
    assert second.zone is None, "the second run must come from the result cache"
    assert second.diagnostics == first.diagnostics


def test_a_changed_file_is_always_read_again(mini_zone: Path) -> None:
    assert check_zone(mini_zone, TODAY).errors == 0
    path = mini_zone / ACT
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    # Same size, same mtime: only the content differs. The result cache may not notice (ctime does); the records must.
    path.write_text(text.replace("category: 组织共建", "category: 组织共健"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = check_zone(mini_zone, TODAY)
    assert [(d.code, d.src.path, d.src.line) for d in result.diagnostics] == [("DJX014", ACT, 4)]


def test_a_new_file_is_read(mini_zone: Path) -> None:
    check_zone(mini_zone, TODAY)
    write_zone(mini_zone, {"activities/2024/2024-04-01-new.yaml": "id: 2024-04-01-new\n"})
    result = check_zone(mini_zone, TODAY)
    assert {d.code for d in result.diagnostics} == {"DJX011"}


def test_a_deleted_attachment_is_noticed_on_a_cached_run(mini_zone: Path) -> None:
    write_zone(mini_zone, {
        "attachments/photo.txt": "照片",
        ACT: textwrap.dedent(MINI_ZONE[ACT]) + "attachments:\n  - attachments/photo.txt\n",
    })
    assert check_zone(mini_zone, TODAY).errors == 0
    (mini_zone / "attachments" / "photo.txt").unlink()
    assert [d.code for d in check_zone(mini_zone, TODAY).diagnostics] == ["DJX113"]


def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(tmp_path: Path, mini_zone: Path) -> None:
    check_zone(mini_zone, TODAY)
    for path in _cache_files(tmp_path):
        path.write_bytes(b"\x80\x04not a pickle at all")
    code, out, err = run_cli("check", "--zone", str(mini_zone))
    assert code == 0 and "0 个错误" in out
    assert check_zone(mini_zone, TODAY).zone is None, "the rebuilt cache answers the next run"


def test_another_day_is_not_answered_from_yesterdays_result(mini_zone: Path) -> None:
    future = textwrap.dedent(MINI_ZONE[ACT]).replace("2024-03-15", "2026-12-01")
    write_zone(mini_zone, {"activities/2026/2026-12-01-dangke.yaml": future})
    assert [d.code for d in check_zone(mini_zone, TODAY).diagnostics] == ["DJX114"]
    assert check_zone(mini_zone, dt.date(2026, 12, 2)).diagnostics == []


def test_unwritable_cache_directory_does_not_fail_the_check(tmp_path: Path, mini_zone: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("DJXZ_CACHE_DIR", str(blocker / "sub"))
    code, out, _ = run_cli("check", "--zone", str(mini_zone))
    assert code == 0 and "0 个错误" in out


def test_git_versions_leave_the_cache_alone(tmp_path: Path, mini_zone: Path) -> None:
    from djxz.load.loader import load_zone_from_bytes, read_zone_blobs

    check_zone(mini_zone, TODAY)
    before = {p: p.read_bytes() for p in _cache_files(tmp_path)}
    blobs = read_zone_blobs(mini_zone)
    blobs[ACT] = blobs[ACT].replace("attendance: 60".encode(), "attendance: 61".encode())
    zone, diagnostics = load_zone_from_bytes(mini_zone, blobs)
    assert diagnostics == [] and zone.activities[0].attendance == 61
    assert {p: p.read_bytes() for p in _cache_files(tmp_path)} == before
