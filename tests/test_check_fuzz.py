"""Random damage to real zone files never makes `djxz check` crash, and every line it names exists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, run_cli

FILES = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.yaml"))
# A spread of file kinds, so each run damages something of every kind.
SAMPLE = [f for f in FILES if f == "zone.yaml" or "/" in f][:: max(1, len(FILES) // 40)] or FILES


def _delete_key(text: str, n: int) -> str:
    lines = text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    if not keyed:
        return text
    del lines[keyed[n % len(keyed)]]
    return "".join(lines)


def _change_type(text: str, n: int) -> str:
    lines = text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    if not keyed:
        return text
    i = keyed[n % len(keyed)]
    key = lines[i].split(": ", 1)[0]
    replacement = ["[1, 2]", "{a: b}", "true", "123", "''", "~", "2024-13-45", "no"][n % 8]
    lines[i] = f"{key}: {replacement}\n"
    return "".join(lines)


EDITS = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 500)),
    st.tuples(st.just("type"), st.integers(0, 500)),
    st.tuples(st.just("garbage"), st.integers(0, 5000), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("truncate"), st.integers(0, 5000)),
)


def _damage(data: bytes, edit) -> bytes:
    kind = edit[0]
    if kind == "delete":
        return _delete_key(data.decode("utf-8", "surrogateescape"), edit[1]).encode("utf-8", "surrogateescape")
    if kind == "type":
        return _change_type(data.decode("utf-8", "surrogateescape"), edit[1]).encode("utf-8", "surrogateescape")
    if kind == "garbage":
        at = edit[1] % (len(data) + 1)
        return data[:at] + edit[2] + data[at:]
    return data[: edit[1] % (len(data) + 1)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rel=st.sampled_from(SAMPLE), edits=st.lists(EDITS, min_size=1, max_size=3))
def test_random_damage_never_crashes_check(tmp_path_factory, rel: str, edits) -> None:
    root = tmp_path_factory.mktemp("zone") / "data"
    shutil.copytree(EXAMPLE, root)
    path = root / rel
    data = path.read_bytes()
    for edit in edits:
        data = _damage(data, edit)
    path.write_bytes(data)

    code, out, err = run_cli("check", "--zone", str(root), "--format", "json")

    assert code in (0, 1), err
    assert "Traceback" not in err
    report = json.loads(out)
    for d in report["diagnostics"]:
        if d["line"]:
            target = Path(d["path"])
            lines = target.read_bytes().split(b"\n")
            assert 1 <= d["line"] <= len(lines), d
