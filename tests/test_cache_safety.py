"""The cache is data, never code, and whoever can write the cache folder can at worst make djxz compute afresh.

Each test plants something in an entry's place, then runs a real check: the answer must be the true one, the run must
not hang or follow the plant, and the next write must replace the plant with a regular 0600 file of ours.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import stat
from pathlib import Path

import pytest

from djxz.app.check import check_zone
from djxz.load import cache

TODAY = dt.date(2026, 11, 26)


def _entry(zone: Path) -> Path:
    return cache.entry_path(zone, "check")


def _is_our_fresh_entry(path: Path) -> bool:
    st = os.lstat(path)
    payload = json.loads(path.read_bytes())
    return stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600 and payload["magic"] == cache.MAGIC


def test_folder_is_private_and_entries_are_0600_json(mini_zone: Path) -> None:
    check_zone(mini_zone, TODAY)
    entry = _entry(mini_zone)
    assert stat.S_IMODE(os.stat(entry.parent).st_mode) == 0o700
    assert _is_our_fresh_entry(entry)
    assert not list(entry.parent.glob("*.tmp")), "no temp file is left behind"


def test_a_group_readable_folder_is_made_private(mini_zone: Path) -> None:
    folder = _entry(mini_zone).parent
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    check_zone(mini_zone, TODAY)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_no_pickle_anywhere_in_djxz() -> None:
    import djxz

    base = Path(djxz.__file__).parent
    offenders = [p for p in base.rglob("*.py") if "import pickle" in p.read_text(encoding="utf-8")
                 or "from pickle" in p.read_text(encoding="utf-8")]
    assert offenders == []


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def test_a_planted_pickle_is_never_executed(tmp_path: Path, mini_zone: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    check_zone(mini_zone, TODAY)
    entry = _entry(mini_zone)
    entry.write_bytes(pickle.dumps(_Boom()))
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None, "a planted pickle is a miss: the zone is checked afresh"
    assert result.errors == 0
    assert not (tmp_path / "PWNED").exists()
    assert _is_our_fresh_entry(entry)


@pytest.mark.parametrize("junk", [b"", b"{", b"[]", b'{"magic": "djxz-cache-2", "key": 1}', "你好".encode("gbk"),
                                  b'{"magic": "djxz-cache-2", "key": "K", "value": {"diagnostics": [[1, 2]]}}'])
def test_a_corrupt_entry_is_a_miss_never_an_error(mini_zone: Path, junk: bytes) -> None:
    check_zone(mini_zone, TODAY)
    _entry(mini_zone).write_bytes(junk)
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None and result.errors == 0
    assert _is_our_fresh_entry(_entry(mini_zone))


def test_an_entry_with_a_forged_result_of_the_wrong_shape_is_a_miss(mini_zone: Path) -> None:
    check_zone(mini_zone, TODAY)
    entry = _entry(mini_zone)
    payload = json.loads(entry.read_bytes())
    payload["value"]["diagnostics"] = [["zone.yaml", "1", 1, "DJX001", "error", "伪造", ""]]  # line is not an int
    entry.write_text(json.dumps(payload), encoding="utf-8")
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None and result.errors == 0


def test_a_fifo_in_the_entrys_place_does_not_block(mini_zone: Path) -> None:
    entry = _entry(mini_zone)
    entry.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(entry)  # opening it for reading without O_NONBLOCK would wait for a writer forever
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None and result.errors == 0
    assert _is_our_fresh_entry(entry)


def test_a_symlink_in_the_entrys_place_is_not_followed(tmp_path: Path, mini_zone: Path) -> None:
    check_zone(mini_zone, TODAY)
    entry = _entry(mini_zone)
    target = tmp_path / "victim.json"
    target.write_bytes(entry.read_bytes())  # a valid entry behind the link: still not trusted, still not written
    entry.unlink()
    entry.symlink_to(target)
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None, "an entry reached through a symlink is a miss"
    assert not entry.is_symlink() and _is_our_fresh_entry(entry)
    assert target.read_bytes() != b"" and json.loads(target.read_bytes())["magic"] == cache.MAGIC


def test_a_huge_entry_is_ignored_unread(mini_zone: Path, monkeypatch) -> None:
    check_zone(mini_zone, TODAY)
    entry = _entry(mini_zone)
    valid = entry.read_bytes()
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", len(valid) - 1)  # the valid entry is now "too large"
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None


def test_a_sparse_file_over_the_cap_is_ignored(mini_zone: Path) -> None:
    entry = _entry(mini_zone)
    entry.parent.mkdir(parents=True, mode=0o700)
    with open(entry, "wb") as fh:
        fh.truncate(cache.MAX_ENTRY_BYTES + 1)
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None
    assert _is_our_fresh_entry(entry)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown to another user needs root")
def test_an_entry_owned_by_someone_else_is_ignored_and_replaced(mini_zone: Path) -> None:
    check_zone(mini_zone, TODAY)
    entry = _entry(mini_zone)
    os.chown(entry, 12345, 12345)
    result = check_zone(mini_zone, TODAY)
    assert result.zone is not None, "someone else's entry is a miss"
    assert os.lstat(entry).st_uid == os.getuid()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown to another user needs root")
def test_a_folder_owned_by_someone_else_is_not_used(mini_zone: Path) -> None:
    folder = _entry(mini_zone).parent
    folder.mkdir(parents=True, mode=0o700)
    os.chown(folder, 12345, 12345)
    check_zone(mini_zone, TODAY)
    assert not _entry(mini_zone).exists()
    assert check_zone(mini_zone, TODAY).zone is not None
