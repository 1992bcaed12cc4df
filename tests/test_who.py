"""`djxz who`: text and JSON output, options, errors, other rotations, and a start-up that loads nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import MINI_ZONE, ROOT, run_cli, write_zone

SCHEMA = json.loads((ROOT / "docs" / "who.schema.json").read_text(encoding="utf-8"))

FORUM_ROTATION = """\
          - name: forum
            title: 月度座谈承办单位
            period: month
            order:
              - beta
              - gamma
              - alpha
            anchor:
              period: '2026-10'
              unit: gamma
            overrides:
              - kind: assign
                periods:
                  - '2026-12'
                unit: gamma
                reason: 年终座谈在丙站现场召开
        """


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    files = dict(MINI_ZONE)
    files["zone.yaml"] = MINI_ZONE["zone.yaml"].rstrip(" ") + FORUM_ROTATION
    return write_zone(tmp_path / "zone", files)


def test_text_names_the_lead_and_the_duty_unit_and_marks_each_turn(zone: Path):
    code, out, err = run_cli("who", "--zone", str(zone))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "测试协作区　2026-11-26"
    assert lines[1] == "牵头单位：测试总站机关党委"
    assert lines[2] == "轮值单位：甲站党委（2026年，2026-01-01 至 2026-12-31，推算）"
    rows = [line for line in lines if line.startswith("│")]
    assert [r.split("│")[3].strip() for r in rows] == ["甲站党委", "乙站党委", "丙站党委", "甲站党委"]
    assert "2026年（本期）" in rows[0]


def test_a_recorded_year_says_so(zone: Path):
    code, out, _ = run_cli("who", "--zone", str(zone), "--date", "2024-12-31", "--next", "1")
    assert code == 0
    assert "轮值单位：乙站党委（2024年，2024-01-01 至 2024-12-31，已记录）" in out
    assert len([line for line in out.splitlines() if line.startswith("│")]) == 2


def test_json_has_the_documented_shape(zone: Path):
    code, out, _ = run_cli("who", "--zone", str(zone), "--year", "2025", "--next", "1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data == {
        "schema_version": 1,
        "zone": "测试协作区",
        "date": "2025-01-01",
        "rotation": {"name": "duty", "title": "轮值单位", "period": "year"},
        "lead_unit": {"id": "lead", "name": "测试总站机关党委", "short_name": "总站机关"},
        "current": {
            "period": "2025", "label": "2025年", "start": "2025-01-01", "end": "2025-12-31",
            "unit": {"id": "gamma", "name": "丙站党委", "short_name": "丙站"},
            "status": "projected", "recorded": False, "note": None, "override": None,
        },
        "next": [{
            "period": "2026", "label": "2026年", "start": "2026-01-01", "end": "2026-12-31",
            "unit": {"id": "alpha", "name": "甲站党委", "short_name": "甲站"},
            "status": "projected", "recorded": False, "note": None, "override": None,
        }],
    }


def test_year_option_means_today_in_the_current_year(zone: Path):
    _, out, _ = run_cli("who", "--zone", str(zone), "--year", "2026", "--format", "json")
    assert json.loads(out)["date"] == "2026-11-26"


def test_another_rotation_by_name_with_its_override(zone: Path):
    code, out, _ = run_cli("who", "--zone", str(zone), "--rotation", "forum", "--next", "2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    got = [(t["period"], t["unit"]["id"], t["status"], t["override"]) for t in [data["current"], *data["next"]]]
    # 2026-10 gamma (anchor), 11 alpha; 12 is given to gamma, and alpha's successor beta serves in January.
    assert got == [("2026-11", "alpha", "projected", None), ("2026-12", "gamma", "projected", "assign"),
                   ("2027-01", "beta", "projected", None)]
    assert data["next"][0]["note"] == "年终座谈在丙站现场召开"
    code, out, _ = run_cli("who", "--zone", str(zone), "-r", "forum", "-d", "2026-12-05")
    assert "月度座谈承办单位：丙站党委（2026年12月" in out
    assert "年终座谈在丙站现场召开" in out


def test_before_the_rotation_starts_nobody_is_on_duty(zone: Path):
    code, out, _ = run_cli("who", "--zone", str(zone), "--date", "2022-06-01", "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert code == 0 and data["current"] is None
    assert [t["period"] for t in data["next"]] == ["2023", "2024", "2025"]


@pytest.mark.parametrize("args, message", [
    (("--date", "2026-02-30"), "--date 的日期“2026-02-30”无效"),
    (("--date", "2026-01-01", "--year", "2026"), "--date 和 --year 只能用一个"),
    (("--rotation", "nope"), "没有名为“nope”的轮值安排；可用的有：duty、forum"),
    (("--format", "xml"), "--format 只能是 text、json"),
])
def test_wrong_usage_exits_2(zone: Path, args, message):
    code, out, err = run_cli("who", "--zone", str(zone), *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_a_broken_zone_file_exits_1_with_its_place(tmp_path: Path):
    root = write_zone(tmp_path / "zone", {**MINI_ZONE, "zone.yaml": "name: [\n"})
    code, _, err = run_cli("who", "--zone", str(root))
    assert code == 1
    assert "zone.yaml 有错误，无法确定轮值：zone.yaml:2:1" in err
    assert "Traceback" not in err


def test_who_reads_only_the_zone_file_and_the_units(zone: Path):
    (zone / "activities" / "2024" / "2024-03-15-dangke.yaml").write_text("date: [broken\n", encoding="utf-8")
    assert run_cli("check", "--zone", str(zone))[0] == 1
    code, out, _ = run_cli("who", "--zone", str(zone), "--format", "json")
    assert code == 0 and json.loads(out)["current"]["unit"]["id"] == "alpha"


def test_who_does_not_import_heavy_libraries(zone: Path):
    """The command people run most starts without git, docx, docxtpl, jinja2, openpyxl, icalendar or ruamel."""
    code = (
        "import sys, json\n"
        "from djxz.cli import main\n"
        "try:\n    main(['who', '--zone', sys.argv[1], '--format', 'json'])\n"
        "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(zone)], capture_output=True, text=True, cwd=zone)
    assert json.loads(proc.stdout)["current"]["unit"]["id"] == "alpha"
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    heavy = sorted(m for m in loaded for h in ("git", "docx", "docxtpl", "jinja2", "openpyxl", "icalendar", "ruamel",
                                                 "chinese_calendar") if m == h or m.startswith(h + "."))
    assert heavy == []
    assert "djxz.domain.rotation" in loaded  # the guard above is about something that really ran
