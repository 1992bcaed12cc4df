"""The JSON Schemas for editors: generated from the checker's specs, committed, and agreeing with `djxz check`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import EXAMPLE, MINI_ZONE, ROOT, run_cli, write_zone

from djxz.load.jsonschema import all_schemas
from djxz.load.loader import kind_of_path

SCHEMAS = ROOT / "schemas"
CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
needs_cli = pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema 未安装（pip install -e '.[test]'）")


def test_committed_schemas_are_the_generated_ones(tmp_path: Path) -> None:
    code, out, err = run_cli("schema", "-o", str(tmp_path / "s"))
    assert code == 0, err
    generated = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "s").iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert generated == committed, "运行 djxz schema -o schemas 更新仓库中的 JSON Schema"
    assert set(generated) == set(all_schemas())


def test_schema_command_is_idempotent(tmp_path: Path) -> None:
    run_cli("schema", "-o", str(tmp_path))
    code, out, _ = run_cli("schema", "-o", str(tmp_path))
    assert code == 0 and "已是最新" in out


def test_every_example_file_names_its_schema() -> None:
    for path in EXAMPLE.rglob("*.yaml"):
        rel = path.relative_to(EXAMPLE).as_posix()
        kind = kind_of_path(rel)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), rel
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == (SCHEMAS / f"{kind}.schema.json").resolve(), rel


def _jsonschema_verdicts(files: dict[str, Path]) -> dict[str, bool]:
    """rel -> passes, running check-jsonschema once per file kind."""
    verdicts: dict[str, bool] = {}
    by_kind: dict[str, list[str]] = {}
    for rel in files:
        by_kind.setdefault(kind_of_path(rel), []).append(rel)
    for kind, rels in by_kind.items():
        proc = subprocess.run(
            [CHECK_JSONSCHEMA, "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), "-o", "json", *[str(files[r]) for r in rels]],
            capture_output=True, text=True,
        )
        report = json.loads(proc.stdout)
        bad = {str(Path(e["filename"]).resolve()) for e in report.get("errors", []) + report.get("parse_errors", [])}
        for rel in rels:
            verdicts[rel] = str(files[rel].resolve()) not in bad
    return verdicts


@needs_cli
def test_check_jsonschema_accepts_every_example_file() -> None:
    files = {p.relative_to(EXAMPLE).as_posix(): p for p in EXAMPLE.rglob("*.yaml")}
    verdicts = _jsonschema_verdicts(files)
    assert [rel for rel, ok in verdicts.items() if not ok] == []


ACT = "activities/2024/2024-03-15-dangke.yaml"
BASE = textwrap.dedent(MINI_ZONE[ACT])
UNIT = "units/alpha.yaml"
UNIT_BASE = textwrap.dedent(MINI_ZONE[UNIT])
# (name, relative path, content): the same file judged by both tools.
AGREEMENT = [
    ("valid-activity", ACT, BASE),
    ("valid-unit", UNIT, UNIT_BASE),
    ("valid-host-scalar", ACT, BASE.replace("hosts:\n  - beta", "hosts: beta")),
    ("valid-optional-null", ACT, BASE + "location:\n"),
    ("valid-quoted-phone", UNIT, UNIT_BASE + "contacts:\n  - name: 张三\n    phone: '0999-8012345'\n"),
    ("unknown-key", ACT, BASE + "weather: 晴\n"),
    ("missing-required", ACT, BASE.replace("title: 联片党课\n", "")),
    ("null-required", ACT, BASE.replace("title: 联片党课", "title:")),
    ("empty-required-list", ACT, BASE.replace("hosts:\n  - beta", "hosts: []")),
    ("quoted-int", ACT, BASE.replace("attendance: 60", "attendance: '60'")),
    ("negative-int", ACT, BASE.replace("attendance: 60", "attendance: -3")),
    ("bool-yes", ACT, BASE + "highlight: yes\n"),
    ("bool-text", ACT, BASE + "highlight: 是\n"),
    ("enum-typo", ACT, BASE.replace("category: 组织共建", "category: 组织共健")),
    ("impossible-date", ACT, BASE.replace("date: 2024-03-15", "date: 2024-02-30")),
    ("short-date", ACT, BASE.replace("date: 2024-03-15", "date: 2024-3-15")),
    ("far-future", ACT, BASE.replace("date: 2024-03-15", "date: 2999-03-15")),
    ("chinese-date", ACT, BASE.replace("date: 2024-03-15", "date: 2024年3月15日")),
    ("uppercase-id", ACT, BASE.replace("id: 2024-03-15-dangke", "id: 2024-03-15-DangKe")),
    ("list-for-text", ACT, BASE.replace("title: 联片党课", "title: [甲, 乙]")),
    ("map-for-list", ACT, BASE.replace("hosts:\n  - beta", "hosts: {a: b}")),
    ("unit-bad-type", UNIT, UNIT_BASE.replace("type: 站所", "type: 部门")),
    ("unit-missing-joined", UNIT, UNIT_BASE.replace("joined: 2023-03-01\n", "")),
    ("resource-kind", UNIT, UNIT_BASE + "resources:\n  - kind: 宝藏\n    name: 陈列室\n"),
]
SCHEMA_CODES = {f"DJX0{n:02d}" for n in range(2, 17)}


@needs_cli
def test_check_and_check_jsonschema_agree_file_by_file(tmp_path: Path) -> None:
    files: dict[str, Path] = {}
    djxz_verdicts: dict[str, bool] = {}
    for name, rel, content in AGREEMENT:
        root = write_zone(tmp_path / name, MINI_ZONE)
        write_zone(root, {rel: content})
        code, out, _ = run_cli("check", "--zone", str(root), "--format", "json")
        problems = [d for d in json.loads(out)["diagnostics"] if d["code"] in SCHEMA_CODES and d["path"].endswith(rel)]
        djxz_verdicts[f"{name}/{rel}"] = not problems
        files[f"{name}/{rel}"] = root / rel
    theirs = _jsonschema_verdicts_named(files)
    assert theirs == djxz_verdicts
    assert sum(djxz_verdicts.values()) == 5, "the five valid cases pass, the others fail"


def _jsonschema_verdicts_named(files: dict[str, Path]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for key, path in files.items():
        rel = key.split("/", 1)[1]
        out[key] = _jsonschema_verdicts({rel: path})[rel]
    return out
