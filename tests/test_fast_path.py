"""The fast read path against the positional one: the same records and the same diagnostics, byte for byte.

Both paths read each zone: the positional path (libyaml + the converter) for every file, and the check's own way (the
fast path for clean files, the files its findings cite read again with positions). Records must be equal field by
field (a fast record has no field positions, by design: its top position must still be exact, and its marks must
name the same fields), and the check's diagnostics must equal those of checking the positional records.

Corpora: the example zone, a small generated bench zone (the full one: bench/differential.py, which bench/run.py
runs), every damaged zone of the hostile corpus, and the structured fuzzer's zones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given

from conftest import EXAMPLE, MINI_ZONE, ROOT, write_zone
from test_fuzz_structured import SETTINGS, fresh, write, zones
from test_hostile_corpus import CORPUS

from djxz.app.check import check_zone, diagnose
from djxz.load import fastpool, fastread, schema
from djxz.load.loader import Loaded, zone_files
from djxz.model import Record, Source, sorted_diagnostics

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

TODAY = dt.date(2026, 11, 26)


def _norm(value, top: bool):
    """A record as comparable data: exact top position, field names of the marks, nested positions left out."""
    if isinstance(value, Record):
        out = {f.name: _norm(getattr(value, f.name), False) for f in dataclasses.fields(value) if f.name not in ("src", "marks")}
        out["@type"] = type(value).__name__
        out["@src"] = value.src if top else value.src.path
        marks = value.marks.keys if isinstance(value.marks, fastread.LazyMarks) else value.marks  # not read again
        out["@marks"] = sorted(k for k in marks if "." not in k)
        return out
    if isinstance(value, tuple):
        return tuple(_norm(v, False) for v in value)
    return value


def compare(root: Path) -> int:
    """Assert both paths agree on `root`; the number of files the fast path read."""
    files, notes = zone_files(root)
    slow = Loaded(root, files, [], fast=False)
    fast = Loaded(root, files, [], fast=True)
    for i, zf in enumerate(files):
        if zf.rel in fast.fast:
            assert fast.results[i][1] == []
            assert _norm(fast.results[i][0], True) == _norm(slow.results[i][0], True), zf.rel
            assert slow.results[i][1] == [], f"{zf.rel}: the fast path read a file the positional path reports"
    expected = sorted_diagnostics(notes + diagnose(slow.zone, slow.diagnostics, TODAY))
    got = check_zone(root, TODAY, use_cache=False).diagnostics
    assert [(str(d.src), d.code, d.severity, d.message, d.hint) for d in got] == \
           [(str(d.src), d.code, d.severity, d.message, d.hint) for d in expected]
    return len(fast.fast)


def test_example_zone() -> None:
    read = compare(EXAMPLE)
    assert read >= 0.9 * len(zone_files(EXAMPLE)[0]), "clean files take the fast path"


def test_generated_bench_zone(tmp_path: Path) -> None:
    root = tmp_path / "data"
    count = generate(root, units=6, years=2, per_year=80)
    assert compare(root) == count, "every file of a clean generated zone takes the fast path"


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_hostile_corpus(tmp_path: Path, case) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    marker = str(tmp_path / "executed")
    for rel, content in case.files.items():
        if content is None:
            (root / rel).unlink()
        else:
            write_zone(root, {rel: content.replace("@MARKER@", marker) if isinstance(content, str) else content})
    if case.setup is not None:
        case.setup(root, tmp_path / "outside")
    compare(root)
    assert not Path(marker).exists()


@SETTINGS
@given(files=zones())
def test_structured_fuzzer(tmp_path_factory, files) -> None:
    compare(write(fresh(tmp_path_factory), files))


# Hand-made files where rapidyaml and libyaml could part ways, or where a JSON value does not say what the YAML was:
# each must come out as the positional path reads it (most by falling back to it).
TRICKY = {
    "no-is-text": "location: no\n",
    "octal-looking": "location: 0123\n",
    "int-quoted": 'attendance: "12"\n',
    "int-plain-zero": "attendance: 0\n",
    "int-leading-zero": "attendance: 012\n",
    "int-plus": "attendance: +12\n",
    "float-in-text": "location: 1.50\n",
    "minus-zero-text": "location: -0\n",
    "tilde-text": "location: ~\n",
    "quoted-tilde": "location: '~'\n",
    "null-word": "location: NULL\n",
    "quoted-empty": "location: ''\n",
    "true-text": "location: true\n",
    "True-bool": "highlight: True\n",
    "yes-bool": "highlight: yes\n",
    "quoted-bool": "highlight: 'true'\n",
    "duplicate-key": "location: a\nlocation: b\n",
    "anchor-alias": "location: &a x\npractices:\n  - *a\n",
    "merge-key": "<<: {location: x}\n",
    "tag": "location: !!str 12\n",
    "escape": 'location: "a\\tb\\u00e9"\n',
    "multiline-plain": "location: a\n  b\n\n  c\n",
    "multiline-quoted": 'location: "a\n  b"\n',
    "folded": "practices:\n  - >\n    a\n    b\n\n    c\n",
    "literal-keep": "practices:\n  - |+\n    a\n\n",
    "flow-list": "participants: [beta, alpha ,]\n",
    "scalar-list": "participants: beta\n",
    "flow-practices": "practices: [a, 'b c' ,]\n",
    "comment-after": "location: a # note\n",
    "hash-inside": "location: a#b\n",
    "colon-inside": "location: 'a: b'\n",
    "trailing-space": "location: a   \n",
    "crlf": "location: a\r\n",
    "tab": "location:\ta\n",
    "nel": "location: a\u0085b\n",
    "complex-key": "? location\n: a\n",
    "document-end": "location: a\n...\n",
    "unknown-key": "locaton: a\n",
    "list-of-maps-where-scalars": "participants:\n  - id: beta\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_scalars_and_structures(tmp_path: Path, name: str) -> None:
    act = "activities/2024/2024-03-15-dangke.yaml"
    text = textwrap.dedent(MINI_ZONE[act])
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith(("location:", "attendance:", "highlight:"))]
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / act).write_bytes(("".join(lines) + TRICKY[name]).encode("utf-8"))
    compare(root)
    if name in READ_FAST:  # the comparison above ran on a fast record, not on two positional ones
        assert act in Loaded(root, zone_files(root)[0], []).fast


READ_FAST = {"no-is-text", "octal-looking", "true-text", "quoted-empty", "multiline-plain", "folded", "literal-keep",
             "comment-after", "hash-inside", "colon-inside", "trailing-space", "flow-practices"}


def test_a_comment_header_gives_the_exact_top_position() -> None:
    data = b"# header\n\n  # indented comment\nid: x\nname: y\n"
    rec = fastread.record(data, "units/x.yaml", schema.PERSON)
    assert rec is None or rec.src == Source("units/x.yaml", 4, 1)
    assert fastread._top(data) == (4, 1)


# Two processes (djxz/load/fastpool.py): a forked helper reads and parses chunks while this process builds records.
# The thresholds are lowered so a small zone takes that road; the answer must be the one process's, field for field.

def _two_process_zone(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    generate(root, units=6, years=2, per_year=150)
    acts = sorted((root / "activities").rglob("*.yaml"))
    acts[3].write_text("id: [broken\n", encoding="utf-8")  # the positional path reports it
    acts[40].write_text(acts[40].read_text(encoding="utf-8") + "location: &a x\n", encoding="utf-8")  # not for the fast path
    if hasattr(os, "mkfifo"):
        os.mkfifo(acts[77].with_name("2016-12-31-fifo.yaml"))  # a read problem
    return root


def _same_loads(one: Loaded, two: Loaded) -> None:
    assert two.fast == one.fast
    assert [_norm(r[0], True) for r in two.results] == [_norm(r[0], True) for r in one.results]
    assert [r[1] for r in two.results] == [r[1] for r in one.results]
    assert two.diagnostics == one.diagnostics
    assert [c[0] for c in two.contents] == [c[0] for c in one.contents]


def _one_process_load(tmp_path: Path, monkeypatch) -> tuple[Path, list, Loaded]:
    """The test zone, its files and their one-process load, with thresholds low enough for two processes."""
    root = _two_process_zone(tmp_path)
    files, _ = zone_files(root)
    monkeypatch.setattr(fastpool, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fastpool, "CHUNK", 8)
    return root, files, Loaded(root, files, [], workers=1)


def test_two_processes_load_what_one_does(tmp_path: Path, monkeypatch) -> None:
    root, files, one = _one_process_load(tmp_path, monkeypatch)
    here = []
    real = fastpool._do_here
    monkeypatch.setattr(fastpool, "_do_here", lambda *a: here.append(a[-1]) or real(*a))
    two = Loaded(root, files, [], workers=2)
    chunks = -(-len(files) // 8)
    assert len(here) < chunks, "the helper process read some of the chunks"
    _same_loads(one, two)
    assert len(one.fast) > 0.9 * len(files) and any(r[1] for r in one.results), "the zone has fast, broken and unread files"


def test_a_helper_that_dies_leaves_its_chunks_to_this_process(tmp_path: Path, monkeypatch) -> None:
    root, files, one = _one_process_load(tmp_path, monkeypatch)

    def dies_after_claiming(sender, files, root, read, front, back, lock):
        fastpool._claim_front(front, back, lock)  # claimed, never sent
        fastpool._claim_front(front, back, lock)
        os._exit(9)

    monkeypatch.setattr(fastpool, "_helper", dies_after_claiming)
    _same_loads(one, Loaded(root, files, [], workers=2))


@pytest.mark.parametrize("trouble", ["no-semaphores", "cannot-fork"])
def test_without_a_helper_one_process_reads_it_all(tmp_path: Path, monkeypatch, trouble: str) -> None:
    """Some containers have no POSIX semaphores, and a process may fail to fork: the load is then one process's."""
    import multiprocessing.context

    root, files, one = _one_process_load(tmp_path, monkeypatch)

    def refuse(*_args, **_kwargs):
        raise OSError(38, "Function not implemented")

    if trouble == "no-semaphores":
        monkeypatch.setattr(multiprocessing.context.ForkContext, "Lock", refuse)
    else:
        monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    _same_loads(one, Loaded(root, files, [], workers=2))
