"""`djxz who`'s answer, kept as plain data in the user's cache: an unchanged zone.yaml and units/ answer again without
importing the YAML readers, the records or the rotation rules.

The key holds everything the answer depends on: the stat of zone.yaml and of every entry under units/ (as git's
index tells changed files), the day asked about, the rotation, the number of turns, today's date (the rotation checks
use it) and a fingerprint of the code. The entry is read with the cache's safety rules (djxz.load.cache).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from djxz.errors import UserError
from djxz.load import cache

_CODE = ("model.py", "load/schema.py", "load/convert.py", "load/yamlread.py", "load/fastread.py", "load/loader.py",
         "app/who.py", "app/who_answer.py")


def answer_key(root: Path, day: dt.date, rotation: str | None, count: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    for path in _inputs(root):
        try:
            st = os.stat(path)
            h.update(f"{path}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            h.update(f"{path}\0missing\n".encode())
    fingerprint = cache.code_fingerprint(_CODE, folders=("domain", "checks"))
    return "|".join((h.hexdigest(), day.isoformat(), rotation or "", str(count), dt.date.today().isoformat(), fingerprint))


def _inputs(root: Path) -> list[str]:
    """zone.yaml, the units folder and everything below it (a subfolder or a symlink changes the answer too)."""
    top = os.path.join(str(root), "zone.yaml")
    units = os.path.join(str(root), "units")
    found = [top, units]
    for folder, dirs, names in os.walk(units):
        dirs.sort()
        found += [os.path.join(folder, n) for n in sorted(dirs + names)]
    return found


def load_answer(root: Path, key: str) -> dict | None:
    """The stored answer ({"json": who's JSON, "kind": the rotation's period name}), or None."""
    value = cache.load_result(root, "who", key)
    return value if _well_formed(value) else None


def save_answer(root: Path, key: str, answer: dict) -> None:
    cache.save_result(root, "who", key, answer)


def _well_formed(value) -> bool:
    """The shape the printer reads; anything else is a miss."""
    try:
        data = value["json"]
        names = value["status_names"]
        ok = isinstance(names, dict) and all(isinstance(v, str) for v in names.values())
        ok = ok and isinstance(value["kind"], str) and isinstance(data["zone"], str) and isinstance(data["date"], str)
        ok = ok and isinstance(data["rotation"]["title"], str) and isinstance(data["next"], list)
        ok = ok and (data["lead_unit"] is None or isinstance(data["lead_unit"]["name"], str))
        for slot in ([data["current"]] if data["current"] is not None else []) + data["next"]:
            ok = ok and all(isinstance(slot[k], str) for k in ("label", "start", "end", "status")) and slot["status"] in names
            ok = ok and (slot["unit"] is None or isinstance(slot["unit"]["name"], str))
            ok = ok and (slot["note"] is None or isinstance(slot["note"], str))
        return bool(ok)
    except (KeyError, TypeError, IndexError):
        return False


def day_for_year(year: int, today: dt.date) -> dt.date:
    """`--year Y`: today when it is in Y, else 1 January of Y."""
    if not 1900 <= year <= 2999:
        raise UserError(f"--year 的年份 {year} 不合理")
    return today if today.year == year else dt.date(year, 1, 1)
