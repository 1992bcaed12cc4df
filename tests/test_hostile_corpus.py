"""The hostile-input corpus, through every command that reads a zone: check, who, status, brief, rotate and diff.

Each case damages a small valid zone in one way (an encoding, a byte, a structure, a type, a date, a unit, a name, a
file that is not a file) on a pull-request branch of a real git repository. Every command then runs through the CLI's
real error boundary, and for every one of them:

- no traceback and no "内部错误" (exit 3), ever;
- the exit code says what happened: 1 for invalid data (0 where the input is odd but valid, or not read at all);
- a refusal names the file and the line: check's diagnostic, and in the message of who, status, brief and rotate the
  first error check reports (`path:line:col`); diff names a file it could not read, with the line;
- nothing is written by a command that refuses (the work tree is compared byte for byte before and after), and git's
  HEAD and branches stay as they were;
- nothing is executed: the YAML tags that would run code name a marker file that must never appear.

The 58 cases of test_check_corpus.py run here too, through the other five commands.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import MINI_ZONE, run_cli, write_zone
from gitrepo import commit_all, git, make_repo
from test_check_corpus import CASES as CHECK_CASES

ZONE = textwrap.dedent(MINI_ZONE["zone.yaml"])
ACT = "activities/2024/2024-03-15-dangke.yaml"
ACT_TEXT = textwrap.dedent(MINI_ZONE[ACT])
ALPHA = "units/alpha.yaml"
ALPHA_TEXT = textwrap.dedent(MINI_ZONE[ALPHA])
BETA = "units/beta.yaml"
BETA_TEXT = textwrap.dedent(MINI_ZONE[BETA])
PLAN = "plans/2024.yaml"
PLAN_TEXT = "year: 2024\nduty_unit: beta\n"
MARKER = "@MARKER@"  # replaced by a path in the test's tmp_path: a tag that ran code would create it

# Codes that `who` acts on: it reads zone.yaml and units/, and refuses when they did not load, name a unit that is
# not there (or not a member then), or have an inconsistent rotation.
WHO_CODES = {f"DJX0{n:02d}" for n in range(1, 17)} | {"DJX101", "DJX102", "DJX107"}


def sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def at_line(text: str, line: int, new: str) -> str:
    """`text` with line `line` (1-based) replaced by `new`."""
    lines = text.splitlines(keepends=True)
    lines[line - 1] = new + "\n"
    return "".join(lines)


# -- setups that cannot be written as file contents (run on the checked-out branch, after the commit) ---------------

def fifo(rel: str) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        os.mkfifo(root / rel)
    return make


def symlink(rel: str, target: str) -> Callable[[Path, Path], None]:
    """A symlink at `rel`; `target` is relative to the link's folder, or `@OUT/...` for the folder outside the zone."""
    def make(root: Path, outside: Path) -> None:
        where = root / rel
        where.parent.mkdir(parents=True, exist_ok=True)
        real = target.replace("@OUT", str(outside))
        if target.startswith("@OUT"):
            write_zone(outside, {"units/alpha.yaml": ALPHA_TEXT, "units/outside.yaml": ALPHA_TEXT.replace("alpha", "outside"),
                                 "2024/2024-05-01-secret.yaml": ACT_TEXT.replace("2024-03-15-dangke", "2024-05-01-secret")})
        if where.exists() or where.is_symlink():
            if where.is_dir() and not where.is_symlink():
                import shutil

                shutil.rmtree(where)
            else:
                where.unlink()
        os.symlink(real, where)
    return make


def unreadable(rel: str) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        (root / rel).chmod(0)
        try:
            (root / rel).read_bytes()
        except PermissionError:
            return
        (root / rel).chmod(0o644)
        pytest.skip("running as root: chmod 000 does not stop root from reading (the FIFO case covers a file that cannot be read)")
    return make


def huge(rel: str, size: int = 50 * 1024 * 1024) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        with open(root / rel, "wb") as fh:
            fh.write(b"# " + b"x" * 1023 + b"\n")
            fh.seek(size - 1)
            fh.write(b"\n")
    return make


def folder(rel: str) -> Callable[[Path, Path], None]:
    def make(root: Path, outside: Path) -> None:
        (root / rel).mkdir(parents=True)
    return make


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes | None]  # over the mini zone; None deletes
    expect: tuple[str, str, int] | None  # (code, path, line) check must report; None: the zone is still valid
    setup: Callable[[Path, Path], None] | None = None
    tags: tuple[str, ...] = field(default=())


def _lol(levels: int = 9) -> str:
    """Billion laughs: each level nine aliases of the one before (9**9 strings if anything expanded them)."""
    lines = ["lol0: &l0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for i in range(1, levels):
        lines.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _nested_map(depth: int) -> str:
    return "location:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, depth)) + "  " * depth + "k: v\n"


ACT_LINES = ACT_TEXT.count("\n")
ZONE_LINES = ZONE.count("\n")

NEW_CASES = [
    # -- encodings and line ends ---------------------------------------------------------------------------------
    Case("zone-gbk", {"zone.yaml": ZONE.encode("gbk")}, ("DJX002", "zone.yaml", 1)),
    Case("unit-gb18030", {ALPHA: ALPHA_TEXT.encode("gb18030")}, ("DJX002", ALPHA, 2)),
    Case("act-mixed-utf8-gbk", {ACT: ACT_TEXT.encode() + "location: 会议室\n".encode("gbk")}, ("DJX002", ACT, ACT_LINES + 1)),
    Case("zone-utf16-be-bom", {"zone.yaml": "\ufeff".encode("utf-16-be") + ZONE.encode("utf-16-be")}, ("DJX002", "zone.yaml", 1)),
    Case("act-utf16-le-no-bom", {ACT: ACT_TEXT.encode("utf-16-le")}, ("DJX002", ACT, 1)),
    Case("act-latin1", {ACT: ACT_TEXT.replace("summary: 乙站主讲联片党课。", "summary: café").encode("latin-1", "replace")}, ("DJX002", ACT, 12)),
    Case("zone-utf8-bom", {"zone.yaml": b"\xef\xbb\xbf" + ZONE.encode()}, None),
    Case("zone-crlf", {"zone.yaml": ZONE.replace("\n", "\r\n").encode()}, None),
    Case("act-bom-crlf", {ACT: b"\xef\xbb\xbf" + ACT_TEXT.replace("\n", "\r\n").encode()}, None),
    Case("act-cr-only", {ACT: ACT_TEXT.replace("\n", "\r").encode()}, None),
    Case("unit-mixed-line-ends", {ALPHA: ALPHA_TEXT.replace("\n", "\r\n", 3).encode()}, None),
    Case("act-tab-inside-value", {ACT: sub(ACT_TEXT, "title: 联片党课", "title: 联片\t党课")}, None),
    Case("zone-tab-indent", {"zone.yaml": sub(ZONE, "  leader:", "\tleader:")}, ("DJX003", "zone.yaml", 9)),
    Case("act-ideographic-space-indent", {ACT: sub(ACT_TEXT, "  - beta", "\u3000\u3000- beta")}, ("DJX003", ACT, 7)),
    Case("act-fullwidth-colon", {ACT: sub(ACT_TEXT, "title: 联片党课", "title：联片党课")}, ("DJX003", ACT, 3)),
    # -- bytes that are not text, sizes ----------------------------------------------------------------------------
    Case("unit-nul", {ALPHA: ALPHA_TEXT.encode() + b"left: \x002025-01-01\n"}, ("DJX002", ALPHA, 7)),
    Case("plan-binary", {PLAN: bytes(range(256)) * 40}, ("DJX002", PLAN, 1)),
    Case("act-png", {ACT: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)}, ("DJX002", ACT, 3)),
    Case("act-pdf", {ACT: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"}, ("DJX002", ACT, 2)),
    Case("zone-empty", {"zone.yaml": b""}, ("DJX008", "zone.yaml", 1)),
    Case("unit-blank-lines", {ALPHA: "\n\n   \n\n"}, ("DJX008", ALPHA, 1)),
    Case("act-huge-50mb", {}, ("DJX001", ACT, 1), setup=huge(ACT)),
    Case("act-only-document-marker", {ACT: b"---"}, ("DJX008", ACT, 1)),  # found by atheris: was line 2 of 1
    Case("act-long-title", {ACT: sub(ACT_TEXT, "title: 联片党课", "title: " + "长" * 20000)}, None),
    # -- structure: nesting, aliases, tags, keys, conflicts ----------------------------------------------------------
    Case("act-deep-flow", {ACT: ACT_TEXT + "location: " + "[" * 5000 + "]" * 5000 + "\n"}, ("DJX003", ACT, 1)),
    Case("act-deep-block-list", {ACT: ACT_TEXT + "location:\n" + "".join("  " * i + "-\n" for i in range(1, 400))}, ("DJX003", ACT, 1)),
    Case("act-deep-map", {ACT: ACT_TEXT + _nested_map(300)}, ("DJX003", ACT, 1)),
    Case("act-billion-laughs", {ACT: ACT_TEXT + _lol()}, ("DJX006", ACT, ACT_LINES + 1)),  # the anchor: every alias is that node
    Case("zone-billion-laughs", {"zone.yaml": ZONE + _lol()}, ("DJX006", "zone.yaml", ZONE_LINES + 1)),
    Case("zone-order-alias", {"zone.yaml": sub(sub(ZONE, "leading_group:", "units: &u [alpha, beta, gamma]\nleading_group:"),
                                                "order:\n      - alpha\n      - beta\n      - gamma", "order: *u")}, ("DJX006", "zone.yaml", 29)),
    Case("zone-python-apply", {"zone.yaml": sub(ZONE, "name: 测试协作区", f"name: !!python/object/apply:os.system ['touch {MARKER}']")},
         ("DJX005", "zone.yaml", 2), tags=("exec",)),
    Case("unit-python-exec", {ALPHA: sub(ALPHA_TEXT, "name: 甲站党委", f"name: !!python/object/apply:builtins.exec [\"open('{MARKER}', 'w')\"]")},
         ("DJX005", ALPHA, 2), tags=("exec",)),
    Case("act-python-new", {ACT: sub(ACT_TEXT, "title: 联片党课", f"title: !!python/object/new:subprocess.Popen [[touch, '{MARKER}']]")},
         ("DJX005", ACT, 3), tags=("exec",)),
    Case("plan-python-name", {PLAN: PLAN_TEXT + "theme: !!python/name:os.system\n"}, ("DJX005", PLAN, 3), tags=("exec",)),
    Case("unit-python-module", {ALPHA: ALPHA_TEXT + "description: !!python/module:os\n"}, ("DJX005", ALPHA, 7), tags=("exec",)),
    Case("act-tag-directive", {ACT: "%TAG !x! tag:yaml.org,2002:python/object/apply:\n---\n" + sub(ACT_TEXT, "title: 联片党课", f"title: !x!os.system ['touch {MARKER}']")},
         ("DJX005", ACT, 5), tags=("exec",)),
    Case("act-binary-tag", {ACT: ACT_TEXT + "location: !!binary 5Lya6K6u5a6k\n"}, ("DJX005", ACT, ACT_LINES + 1)),
    Case("act-set-tag", {ACT: ACT_TEXT + "location: !!set {a, b}\n"}, ("DJX005", ACT, ACT_LINES + 1)),
    Case("act-explicit-str-tag", {ACT: sub(ACT_TEXT, "title: 联片党课", "title: !!str 联片党课")}, None),
    Case("act-yaml-directive", {ACT: "%YAML 1.1\n---\n" + ACT_TEXT}, None),
    Case("act-anchor-without-alias", {ACT: sub(ACT_TEXT, "title: 联片党课", "title: &t 联片党课")}, None),
    Case("zone-duplicate-key", {"zone.yaml": ZONE + "lead_unit: alpha\n"}, ("DJX004", "zone.yaml", ZONE_LINES + 1)),
    Case("unit-duplicate-id", {ALPHA: ALPHA_TEXT + "id: beta\n"}, ("DJX004", ALPHA, 7)),
    Case("zone-conflict-markers", {"zone.yaml": sub(ZONE, "lead_unit: lead", "<<<<<<< HEAD\nlead_unit: lead\n=======\nlead_unit: alpha\n>>>>>>> pr")},
         ("DJX007", "zone.yaml", 7)),
    Case("unit-conflict-markers", {ALPHA: "<<<<<<< ours\n" + ALPHA_TEXT + "=======\n" + ALPHA_TEXT + ">>>>>>> theirs\n"}, ("DJX007", ALPHA, 1)),
    Case("act-complex-key", {ACT: ACT_TEXT + "? [a, b]\n: c\n"}, ("DJX010", ACT, ACT_LINES + 1)),
    Case("act-integer-key", {ACT: ACT_TEXT + "1: x\n"}, ("DJX010", ACT, ACT_LINES + 1)),
    Case("act-null-key", {ACT: ACT_TEXT + "~: x\n"}, ("DJX010", ACT, ACT_LINES + 1)),
    Case("act-document-end-then-more", {ACT: ACT_TEXT + "...\n---\nid: x\n"}, ("DJX003", ACT, ACT_LINES + 2)),
    # -- wrong types -----------------------------------------------------------------------------------------------
    Case("zone-rotations-text", {"zone.yaml": ZONE.split("rotations:")[0] + "rotations: 按年度轮值\n"}, ("DJX012", "zone.yaml", 24)),
    Case("zone-leader-text", {"zone.yaml": sub(ZONE, "  leader:\n    name: 张三\n    unit: lead\n    title: 党委书记\n", "  leader: 张三\n")},
         ("DJX012", "zone.yaml", 9)),
    Case("zone-name-list", {"zone.yaml": sub(ZONE, "name: 测试协作区", "name: [测试, 协作区]")}, ("DJX012", "zone.yaml", 2)),
    Case("zone-order-number", {"zone.yaml": sub(ZONE, "      - gamma", "      - 42")}, ("DJX101", "zone.yaml", 31)),
    Case("unit-joined-list", {ALPHA: sub(ALPHA_TEXT, "joined: 2023-03-01", "joined: [2023-03-01]")}, ("DJX012", ALPHA, 6)),
    Case("act-attendance-huge", {ACT: sub(ACT_TEXT, "attendance: 60", "attendance: " + "9" * 400)}, ("DJX012", ACT, 11)),
    Case("act-attendance-float", {ACT: sub(ACT_TEXT, "attendance: 60", "attendance: 60.5")}, ("DJX012", ACT, 11)),
    Case("act-attendance-nan", {ACT: sub(ACT_TEXT, "attendance: 60", "attendance: .nan")}, ("DJX012", ACT, 11)),
    Case("act-attendance-inf", {ACT: sub(ACT_TEXT, "attendance: 60", "attendance: -.inf")}, ("DJX012", ACT, 11)),
    Case("plan-year-chinese", {PLAN: "year: 二〇二四\nduty_unit: beta\n"}, ("DJX012", PLAN, 1)),
    Case("plan-items-number", {PLAN: PLAN_TEXT + "items: 5\n"}, ("DJX012", PLAN, 3)),
    Case("act-hosts-null", {ACT: sub(ACT_TEXT, "hosts:\n  - beta\n", "hosts:\n")}, ("DJX011", ACT, 6)),
    # -- dates -----------------------------------------------------------------------------------------------------
    Case("unit-joined-feb-29", {ALPHA: sub(ALPHA_TEXT, "joined: 2023-03-01", "joined: 2023-02-29")}, ("DJX013", ALPHA, 6)),
    Case("act-date-year-0", {ACT: sub(ACT_TEXT, "date: 2024-03-15", "date: 0000-01-01")}, ("DJX013", ACT, 2)),
    Case("act-date-9999", {ACT: sub(ACT_TEXT, "date: 2024-03-15", "date: 9999-12-31")}, ("DJX013", ACT, 2)),
    Case("act-date-huge-year", {ACT: sub(ACT_TEXT, "date: 2024-03-15", "date: 99999999999-03-15")}, ("DJX013", ACT, 2)),
    Case("act-date-with-time", {ACT: sub(ACT_TEXT, "date: 2024-03-15", "date: 2024-03-15T10:00:00")}, ("DJX013", ACT, 2)),
    Case("act-date-no-zero-padding", {ACT: sub(ACT_TEXT, "date: 2024-03-15", "date: 2024-3-15")}, ("DJX013", ACT, 2)),
    Case("act-end-date-far-future", {ACT: ACT_TEXT + "end_date: 3024-03-16\n"}, ("DJX013", ACT, ACT_LINES + 1)),
    Case("zone-turn-far-future", {"zone.yaml": sub(ZONE, "period: '2024'", "period: '9999'")}, ("DJX016", "zone.yaml", 35)),
    Case("zone-established-impossible", {"zone.yaml": sub(ZONE, "established: 2023-03-01", "established: 2023-13-01")}, ("DJX013", "zone.yaml", 4)),
    # -- units: unknown, departed, ids and names -------------------------------------------------------------------
    Case("zone-turn-unknown-unit", {"zone.yaml": sub(ZONE, "'2024'\n        unit: beta", "'2024'\n        unit: delta")}, ("DJX101", "zone.yaml", 36)),
    Case("zone-turn-departed-unit", {BETA: BETA_TEXT + "left: 2023-06-01\n"}, ("DJX102", "zone.yaml", 36)),
    Case("zone-order-unknown-unit", {"zone.yaml": sub(ZONE, "      - gamma", "      - gamma\n      - omega")}, ("DJX101", "zone.yaml", 32)),
    Case("act-host-departed", {BETA: BETA_TEXT + "left: 2024-01-01\n", "zone.yaml": sub(ZONE, "'2024'\n        unit: beta", "'2024'\n        unit: gamma")},
         ("DJX102", ACT, 7)),
    Case("unit-id-slash", {ALPHA: sub(ALPHA_TEXT, "id: alpha", "id: units/alpha")}, ("DJX015", ALPHA, 1)),
    Case("unit-id-dotdot", {ALPHA: sub(ALPHA_TEXT, "id: alpha", "id: ..")}, ("DJX015", ALPHA, 1)),
    Case("unit-id-backslash", {ALPHA: sub(ALPHA_TEXT, "id: alpha", "id: '..\\..\\alpha'")}, ("DJX015", ALPHA, 1)),
    Case("act-id-absolute", {ACT: sub(ACT_TEXT, "id: 2024-03-15-dangke", "id: /etc/passwd")}, ("DJX015", ACT, 1)),
    Case("act-host-zero-width", {ACT: sub(ACT_TEXT, "  - beta", "  - be\u200bta")}, ("DJX015", ACT, 7)),
    Case("unit-file-name-differs", {ALPHA: None, "units/alfa.yaml": ALPHA_TEXT}, ("DJX017", "units/alfa.yaml", 1)),
    Case("unit-file-name-chinese", {ALPHA: None, "units/甲站.yaml": ALPHA_TEXT}, ("DJX017", "units/甲站.yaml", 1)),
    Case("doc-file-name-differs", {"documents/2024/2024-04-01-jianbao-di1qi.yaml": textwrap.dedent("""\
        id: 2024-04-01-jianbao-di2qi
        kind: 信息简报
        title: 联片党课简报
        date: 2024-04-01
        issuer: beta
        number: 1
        period: '2024'
        activities:
          - 2024-03-15-dangke
        """)}, ("DJX017", "documents/2024/2024-04-01-jianbao-di1qi.yaml", 1)),
    # -- files that are not plain files inside the zone ------------------------------------------------------------
    Case("unit-symlink-out", {}, ("DJX001", "units/passwd.yaml", 0), setup=symlink("units/passwd.yaml", "/etc/passwd")),
    Case("units-folder-symlink-out", {}, ("DJX001", "units", 0), setup=symlink("units", "@OUT/units")),
    Case("year-folder-symlink-out", {}, ("DJX001", "activities/2024", 0), setup=symlink("activities/2024", "@OUT/2024")),
    Case("unit-symlink-loop", {}, ("DJX001", "units/loop.yaml", 0), setup=symlink("units/loop.yaml", "loop.yaml")),
    Case("unit-symlink-dangling", {}, ("DJX001", "units/gone.yaml", 0), setup=symlink("units/gone.yaml", "nothing-here.yaml")),
    Case("unit-symlink-inside", {ALPHA: None, "units/real-alpha.txt": ALPHA_TEXT}, None, setup=symlink(ALPHA, "real-alpha.txt")),
    Case("unit-fifo", {}, ("DJX001", "units/pipe.yaml", 0), setup=fifo("units/pipe.yaml")),
    Case("unit-unreadable", {}, ("DJX001", ALPHA, 0), setup=unreadable(ALPHA)),
    Case("unit-folder-named-yaml", {}, None, setup=folder("units/delta.yaml")),
    Case("hidden-year-folder", {"activities/.2024/2024-05-01-x.yaml": "id: [broken\n"}, None),
]

# The check corpus, as cases here: the same files, the same pinned diagnostic.
CORPUS = [Case(f"check-{name}", files, (code, path, line)) for name, files, code, path, line in CHECK_CASES] + NEW_CASES


def _snapshot(repo: Path) -> dict[str, bytes | str]:
    """Every entry of the work tree (not .git): a file's bytes, or what else it is."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(repo):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(repo).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            elif path.is_fifo():
                out[rel] = "fifo"
            elif path.stat().st_size > 10 * 1024 * 1024:
                out[rel] = f"big:{path.stat().st_size}"
            else:
                try:
                    out[rel] = path.read_bytes()
                except PermissionError:
                    out[rel] = "unreadable"
    return out


def _git_state(repo: Path) -> tuple[str, str]:
    return git(repo, "rev-parse", "HEAD"), git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


@pytest.fixture(scope="module")
def clean_answers(tmp_path_factory) -> dict:
    """What who and check say on the undamaged zone: an odd but valid file must be read to the same answer."""
    root = write_zone(tmp_path_factory.mktemp("clean") / "data", MINI_ZONE)
    env = {"DJXZ_TODAY": "2026-11-26"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        who = run_cli("who", "--zone", str(root), "--format", "json")
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return {"who": json.loads(who[1])}


def _prepare(tmp_path: Path, case: Case) -> tuple[Path, Path]:
    """A repository with the mini zone on main and the damage committed on branch `pr`, checked out."""
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    root = repo / "data"
    git(repo, "switch", "--quiet", "-c", "pr")
    marker = str(tmp_path / "executed")
    for rel, content in case.files.items():
        if content is None:
            (root / rel).unlink()
        elif isinstance(content, str):
            write_zone(root, {rel: content.replace(MARKER, marker)})
        else:
            write_zone(root, {rel: content})
    if case.files:
        commit_all(repo, f"Damage: {case.id}")
    if case.setup is not None:
        case.setup(root, tmp_path / "outside")
    return repo, root


COMMANDS = {
    "check": ["check", "--format", "json"],
    "who": ["who", "--format", "json"],
    "status": ["status"],
    "diff": ["diff", "--format", "json"],
    "brief": ["brief", "--annual", "--year", "2024"],
    "rotate": ["rotate", "--year", "2025"],
}


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_hostile_input_through_every_command(tmp_path: Path, case: Case, clean_answers: dict) -> None:
    repo, root = _prepare(tmp_path, case)
    marker = tmp_path / "executed"
    results = {}
    for name, args in COMMANDS.items():
        before, state = _snapshot(repo), _git_state(repo)
        code, out, err = run_cli(*args, "--zone", str(root), cwd=repo)
        results[name] = (code, out, err)
        assert "Traceback" not in out + err and "内部错误" not in err, (name, err[-2000:])
        assert code in (0, 1), (name, code, err)
        if code != 0 or name in ("check", "who", "status", "diff"):
            assert _snapshot(repo) == before, f"{name} wrote something"
            assert _git_state(repo) == state, f"{name} changed git"
        assert not marker.exists(), f"{name} executed code from a YAML tag"

    # check: the pinned diagnostic, exit 1 exactly when there is an error.
    code, out, _ = results["check"]
    report = json.loads(out)
    found = [(d["code"], (repo / d["path"]).relative_to(root).as_posix() if d["path"] else None, d["line"])
             for d in report["diagnostics"]]
    errors = [(d, f) for d, f in zip(report["diagnostics"], found) if d["severity"] == "error"]
    if case.expect is None:
        assert not errors, errors
    else:
        assert case.expect in found, found
    assert code == (1 if errors else 0)

    # who, status, brief, rotate: refuse (exit 1) naming the first error check reports, or answer.
    def place(d: dict, rel: str) -> str:
        return f"{rel}:{d['line']}:{d['column']}" if d["line"] else rel

    who_errors = [(d, f) for d, f in errors if f[1] and (f[1] == "zone.yaml" or f[1].startswith("units")) and d["code"] in WHO_CODES]
    code, out, err = results["who"]
    if who_errors:
        d, f = who_errors[0]
        assert code == 1 and place(d, f[1]) in err and "错误" in err, (err, who_errors)
    else:
        assert code == 0, err
        if case.expect is None:
            assert json.loads(out) == clean_answers["who"]
    for name in ("status", "brief", "rotate"):
        code, out, err = results[name]
        if errors:
            d, f = errors[0]
            assert code == 1 and "错误" in err and place(d, f[1]) in err, (name, err, errors[0])
        else:
            assert code == 0, (name, err)

    # rotate on a valid zone wrote its turn: only added lines, the file's BOM and line ends kept, and check accepts it.
    if not errors:
        import difflib

        before = case.files.get("zone.yaml", ZONE)
        before = before if isinstance(before, bytes) else before.encode("utf-8")
        after = (root / "zone.yaml").read_bytes()
        assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
        assert (b"\r\n" in after) == (b"\r\n" in before)
        changed = [l for l in difflib.ndiff(before.decode("utf-8-sig").splitlines(), after.decode("utf-8-sig").splitlines())
                   if l[:1] in "+-"]
        assert changed and all(l.startswith("+ ") for l in changed), changed
        assert run_cli("check", "--zone", str(root), cwd=repo)[0] == 0

    # diff: describes the change (exit 0); a file of the new version that did not load is named with its line.
    code, out, err = results["diff"]
    assert code == 0, err
    warned = {(w["path"], w["line"]) for w in json.loads(out)["warnings"] if w["code"] == "unreadable"}
    if case.expect and case.expect[0] in ("DJX001", "DJX002", "DJX003", "DJX005", "DJX006", "DJX007", "DJX008") and case.expect[2]:
        assert (case.expect[1], case.expect[2]) in warned, warned


def test_the_corpus_is_large_and_covers_every_command() -> None:
    assert len(CORPUS) >= 80
    assert len(NEW_CASES) >= 80
    assert set(COMMANDS) == {"check", "who", "status", "brief", "rotate", "diff"}
    kinds = {c.expect[1].split("/")[0] for c in CORPUS if c.expect}
    assert {"zone.yaml", "units", "activities", "plans", "documents"} <= kinds


# -- hostile command lines: wrong usage is exit 2 with a Chinese message, never a traceback, never a write ---------

USAGE = [
    ("check-format", ["check", "--format", "xml"], 2, "--format"),
    ("check-as-of-impossible", ["check", "--as-of", "2024-02-30"], 2, "--as-of"),
    ("who-date-impossible", ["who", "--date", "2024-13-01"], 2, "--date"),
    ("who-next-negative", ["who", "--next", "-1"], 2, "--next"),
    ("who-year-far", ["who", "--year", "99999"], 2, "--year"),
    ("who-rotation-path", ["who", "--rotation", "../../etc"], 2, "没有名为"),
    ("status-unit-path", ["status", "--unit", "../alpha"], 2, "--unit"),
    ("status-year-far", ["status", "--year", "1800"], 2, "--year"),
    ("brief-no-kind", ["brief"], 2, "--half-year"),
    ("brief-format", ["brief", "--annual", "--format", "odt"], 2, "--format"),
    ("brief-half-3", ["brief", "--half-year", "--half", "3"], 2, "--half"),
    ("brief-date-impossible", ["brief", "--annual", "--year", "2024", "--date", "2024-02-30"], 2, "--date"),
    ("brief-template-path", ["brief", "--annual", "--year", "2024", "--template", "../../../../etc/passwd"], 2, "模板"),
    ("brief-template-name", ["brief", "--annual", "--year", "2024", "--template", "a;rm -rf ~"], 2, "模板名称"),
    ("bulletin-id-path", ["bulletin", "../../etc/passwd"], 2, "找不到活动"),
    ("rotate-year-far", ["rotate", "--year", "3000"], 2, "--year"),
    ("rotate-format", ["rotate", "--format", "yaml"], 2, "--format"),
    ("rotate-branch-name", ["rotate", "--year", "2025", "--commit", "--branch", "bad..name"], 1, "分支名"),
    ("diff-no-such-revision", ["diff", "no-such-branch"], 2, "找不到版本"),
    ("diff-revision-option", ["diff", "--output=/tmp/x"], 2, "用法错误"),
    ("diff-format", ["diff", "--format", "html"], 2, "--format"),
    ("diff-revision-like-an-option", ["diff", "--", "--output=pwned.txt"], 2, "找不到版本"),
    ("new-date-impossible", ["new", "activity", "--date", "2024-02-30", "--title", "x", "--category", "组织共建", "--kind", "联片党课",
                             "--host", "beta", "--summary", "x"], 2, "--date"),
    ("new-unit-id-path", ["new", "unit", "--id", "../evil", "--name", "x", "--short-name", "x", "--type", "站所",
                          "--joined", "2026-11-01"], 2, "--id"),
    ("new-slug-path", ["new", "activity", "--date", "2026-11-20", "--title", "x", "--category", "组织共建", "--kind", "联片党课",
                       "--host", "beta", "--summary", "x", "--slug", "../../x"], 2, "--slug"),
]


@pytest.mark.parametrize("name,args,code,words", USAGE, ids=[u[0] for u in USAGE])
def test_hostile_command_lines(tmp_path: Path, name: str, args: list[str], code: int, words: str) -> None:
    repo = make_repo(tmp_path / "repo", MINI_ZONE)
    before, state = _snapshot(repo), _git_state(repo)
    at = args.index("--") if "--" in args else len(args)
    got, out, err = run_cli(*args[:at], "--zone", str(repo / "data"), *args[at:], cwd=repo)
    assert "Traceback" not in out + err and "内部错误" not in err, err
    assert got == code and words in err and "错误" in err, (got, err)
    assert _snapshot(repo) == before and _git_state(repo) == state


@pytest.mark.parametrize("where", ["missing", "a-file", "a-fifo", "no-zone-yaml", "zone-yaml-is-a-folder"])
def test_a_zone_option_that_is_not_a_zone(tmp_path: Path, where: str) -> None:
    target = tmp_path / "target"
    if where == "a-file":
        target.write_text("name: x\n", encoding="utf-8")
    elif where == "a-fifo":
        os.mkfifo(target)
    elif where == "no-zone-yaml":
        (target / "units").mkdir(parents=True)
    elif where == "zone-yaml-is-a-folder":
        (target / "zone.yaml").mkdir(parents=True)
    for command in COMMANDS.values():
        code, out, err = run_cli(*command, "--zone", str(target), cwd=tmp_path)
        assert code == 2 and "不是协作区目录" in err and "Traceback" not in err, (command, err)
