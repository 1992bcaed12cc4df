"""`djxz status`: the command, its JSON shape (docs/status.schema.json) and its exit codes, on inline zones."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from conftest import MINI_ZONE, ROOT, run_cli, write_zone

SCHEMA = json.loads((ROOT / "docs" / "status.schema.json").read_text(encoding="utf-8"))

FORUM = """\
    id: {id}
    date: {date}
    title: 党建座谈
    category: 组织共建
    kind: 月度党建座谈
    hosts:
      - alpha
    participants:
      - beta
    summary: 座谈。
    """


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    files = dict(MINI_ZONE)
    for month in ("01", "02"):
        day = f"2024-{month}-12"
        files[f"activities/2024/{day}-forum.yaml"] = FORUM.format(id=f"{day}-forum", date=day)
    files["documents/2024/2024-01-26-nianzong.yaml"] = """\
        id: 2024-01-26-nianzong
        kind: 年度总结通报
        title: 关于2023年度协作区工作情况的通报
        date: 2024-01-26
        period: '2023'
        """
    return write_zone(tmp_path / "zone", files)


def status_json(root: Path, *args: str) -> dict:
    code, out, err = run_cli("status", "--format", "json", *args, cwd=root)
    assert code == 0, err
    return json.loads(out)


def test_json_follows_the_documented_schema(zone):
    data = status_json(zone, "--as-of", "2024-03-10")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (data["as_of"], data["year"], data["unit"]) == ("2024-03-10", 2024, None)
    assert data["on_duty"] == {"id": "beta", "name": "乙站党委", "short_name": "乙站", "period": "2024", "recorded": True}
    assert data["lead_unit"] == {"id": "lead", "name": "测试总站机关党委", "short_name": "总站机关"}
    assert data["summary"] == {"done": 3, "todo": 16, "due_soon": 0, "overdue": 4, "not_applicable": 0}
    report = next(d for d in data["duties"] if d["rule"] == "annual-report")
    assert report == {
        "rule": "annual-report", "title": "年初总结通报上一年工作", "owner_role": "轮值单位",
        "owner": {"id": "beta", "name": "乙站党委", "short_name": "乙站"},
        "recurrence": "每年", "period": "2024", "period_label": "2024年（报2023年）",
        "window": {"start": "2024-01-01", "end": "2024-12-31"}, "deadline": "2024-01-31",
        "status": "已完成", "status_code": "done", "days_left": None, "days_late": None, "late": False,
        "completed_on": "2024-01-26",
        "evidence": [{"path": "documents/2024/2024-01-26-nianzong.yaml", "line": 1, "id": "2024-01-26-nianzong", "date": "2024-01-26"}],
        "note": "", "requirement": "文件：年度总结通报（period: 2023）",
    }
    assert data["categories"] == [
        {"category": "组织共建", "activities": 2}, {"category": "发展共谋", "activities": 0},
        {"category": "文化共育", "activities": 0}, {"category": "教育共抓", "activities": 0},
        {"category": "资源共享", "activities": 0},
    ]
    # gamma joined on 2024-03-01; the dangke on 03-15 is after the as-of date
    assert [(u["id"], u["hosted"], u["took_part"]) for u in data["units"]] == [
        ("alpha", 2, 0), ("beta", 0, 2), ("gamma", 0, 0), ("lead", 0, 0),
    ]


def test_json_is_sorted_and_stable(zone):
    code, first, _ = run_cli("status", "--format", "json", "--as-of", "2024-03-10", cwd=zone)
    _, second, _ = run_cli("status", "--format", "json", "--as-of", "2024-03-10", cwd=zone)
    assert first == second
    data = json.loads(first)
    assert first == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    keys = [(d["deadline"], d["rule"], d["period"]) for d in data["duties"]]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)


def test_text_output(zone, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    code, out, err = run_cli("status", "--as-of", "2024-03-10", cwd=zone)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "测试协作区　2024 年职责（截至 2024-03-10）",
        "牵头单位：测试总站机关党委",
        "轮值单位：乙站党委（2024，已记录）",
    ]
    assert "牵头单位：测试总站机关党委" in lines[4] and "轮值单位：乙站党委" in out
    assert "共 23 项：已完成 3，待办 16，即将到期 0，逾期 4，不适用 0" in lines
    assert "有 4 项职责已逾期。" in lines
    row = next(line for line in lines if "制定成员单位轮值安排" in line)
    assert "逾期 11 天" in row and "2024-02-28" in row


def test_fail_on_overdue(zone):
    assert run_cli("status", "--as-of", "2024-03-10", "--fail-on-overdue", cwd=zone)[0] == 1
    assert run_cli("status", "--as-of", "2024-01-15", "--fail-on-overdue", cwd=zone)[0] == 0
    assert run_cli("status", "--as-of", "2024-03-10", cwd=zone)[0] == 0


def test_unit_filter(zone):
    data = status_json(zone, "--as-of", "2024-03-10", "--unit", "lead")
    assert data["unit"] == "lead"
    assert {d["owner"]["id"] for d in data["duties"]} == {"lead"}
    assert sorted(d["rule"] for d in data["duties"]) == ["annual-joint-meeting", "annual-plan", "rotation-arrangement"]
    assert [u["id"] for u in data["units"]] == ["lead"]
    assert sum(c["activities"] for c in data["categories"]) == 0  # lead took part in nothing


def test_another_year(zone):
    data = status_json(zone, "--year", "2023")
    assert data["on_duty"]["id"] == "alpha" and data["on_duty"]["period"] == "2023"
    na = sorted(d["rule"] for d in data["duties"] if d["status"] == "不适用")
    assert na == ["annual-joint-meeting", "annual-report", "city-summary-report"]
    assert all(d["deadline"].startswith("2023-") for d in data["duties"])


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--as-of", "2024-13-01"), 2, "--as-of 的日期“2024-13-01”无效"),
    (("--unit", "nobody"), 2, "--unit 指定的单位“nobody”不存在"),
    (("--format", "xml"), 2, "--format 只能是 text、json"),
])
def test_usage_errors(zone, args, code, words):
    got, out, err = run_cli("status", *args, cwd=zone)
    assert got == code and words in err and out == ""


def test_refuses_a_zone_with_errors(tmp_path):
    files = dict(MINI_ZONE)
    files["zone.yaml"] = textwrap.dedent(MINI_ZONE["zone.yaml"]) + "duties:\n  - id: monthly-forum\n    deadline: 03-31\n"
    root = write_zone(tmp_path / "zone", files)
    code, out, err = run_cli("status", cwd=root)
    assert code == 1 and out == ""
    assert "协作区数据有 1 个错误" in err and "不能写固定的截止日期" in err
