"""The broken-input corpus: each case breaks one thing in a small valid zone and names the exact code, file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import MINI_ZONE, run_cli, write_zone

ACT = "activities/2024/2024-03-15-dangke.yaml"
ALPHA = "units/alpha.yaml"


def _act(lines: dict[str, str] | None = None, **changes: str) -> str:
    """The mini zone's activity with some lines replaced (key -> whole new line, or '' to drop the line)."""
    changes.update(lines or {})
    out = []
    for line in textwrap.dedent(MINI_ZONE[ACT]).splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key]:
                out.append(changes[key])
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _zone(old: str, new: str) -> str:
    text = textwrap.dedent(MINI_ZONE["zone.yaml"])
    assert old in text, old
    return text.replace(old, new, 1)


ACT_TEXT = textwrap.dedent(MINI_ZONE[ACT])

# (case id, files to write over the mini zone, expected code, expected path, expected line)
CASES = [
    # encodings and bytes
    ("gbk", {ACT: ACT_TEXT.encode("gbk")}, "DJX002", ACT, 3),
    ("utf16", {ACT: ACT_TEXT.encode("utf-16")}, "DJX002", ACT, 1),
    ("nul-byte", {ACT: ACT_TEXT.encode() + b"\x00\x01"}, "DJX002", ACT, 13),
    ("binary-docx", {ACT: b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))}, "DJX002", ACT, 1),
    ("empty-file", {ACT: ""}, "DJX008", ACT, 1),
    ("only-comment", {ACT: "# 还没写\n"}, "DJX008", ACT, 1),
    ("top-level-list", {ACT: "- a\n- b\n"}, "DJX008", ACT, 1),
    ("top-level-scalar", {ACT: "就一句话\n"}, "DJX008", ACT, 1),
    # syntax
    ("tab-indent", {ACT: ACT_TEXT.replace("  - beta", "\t- beta")}, "DJX003", ACT, 7),
    ("unclosed-quote", {ACT: _act(title='title: "联片党课')}, "DJX003", ACT, 3),
    ("colon-in-value", {ACT: _act(title="title: 党课: 主题: 二十大")}, "DJX003", ACT, 3),
    ("bad-indent", {ACT: _act(kind="   kind: 联片党课")}, "DJX003", ACT, 5),
    ("two-documents", {ACT: ACT_TEXT + "---\nid: x\n"}, "DJX003", ACT, 13),
    ("unclosed-bracket", {ACT: _act({"  - alpha": "", "  - gamma": ""}, participants="participants: [alpha, gamma")}, "DJX003", ACT, 8),
    ("conflict-markers", {ACT: ACT_TEXT.replace("attendance: 60", "<<<<<<< HEAD\nattendance: 60\n=======\nattendance: 61\n>>>>>>> branch")}, "DJX007", ACT, 11),
    # structure
    ("duplicate-key", {ACT: ACT_TEXT + "title: 又一个标题\n"}, "DJX004", ACT, 13),
    ("python-tag", {ACT: _act(title="title: !!python/object/apply:os.system ['echo hi']")}, "DJX005", ACT, 3),
    ("custom-tag", {ACT: _act(title="title: !custom 联片党课")}, "DJX005", ACT, 3),
    ("alias", {ACT: _act({"  - alpha": "", "  - gamma": ""}, participants="participants: *h", hosts="hosts: &h\n  - beta")}, "DJX006", ACT, 9),
    ("merge-key", {ALPHA: "base: &b\n  type: 站所\nid: alpha\n<<: *b\n"}, "DJX006", ALPHA, 4),
    # schema
    ("unknown-key-typo", {ACT: _act(summary="sumary: 乙站主讲联片党课。")}, "DJX010", ACT, 12),
    ("unknown-key", {ACT: ACT_TEXT + "weather: 晴\n"}, "DJX010", ACT, 13),
    ("missing-title", {ACT: _act(title="")}, "DJX011", ACT, 1),
    ("empty-title", {ACT: _act(title="title:")}, "DJX011", ACT, 3),
    ("missing-hosts", {ACT: _act({"  - beta": ""}, hosts="")}, "DJX011", ACT, 1),
    ("attendance-text", {ACT: _act(attendance="attendance: 六十人")}, "DJX012", ACT, 11),
    ("attendance-quoted", {ACT: _act(attendance="attendance: '60'")}, "DJX012", ACT, 11),
    ("attendance-negative", {ACT: _act(attendance="attendance: -5")}, "DJX012", ACT, 11),
    ("highlight-yes", {ACT: ACT_TEXT + "highlight: yes\n"}, "DJX012", ACT, 13),
    ("hosts-mapping", {ACT: _act({"  - beta": ""}, hosts="hosts: {a: b}")}, "DJX012", ACT, 6),
    ("title-list", {ACT: _act(title="title: [甲, 乙]")}, "DJX012", ACT, 3),
    ("date-impossible", {ACT: _act(date="date: 2024-02-30")}, "DJX013", ACT, 2),
    ("date-format", {ACT: _act(date="date: 2024年3月15日")}, "DJX013", ACT, 2),
    ("date-far-future", {ACT: _act(date="date: 2999-03-15")}, "DJX013", ACT, 2),
    ("category-typo", {ACT: _act(category="category: 组织共健")}, "DJX014", ACT, 4),
    ("kind-unknown", {ACT: _act(kind="kind: 吃饭")}, "DJX014", ACT, 5),
    ("unit-type", {ALPHA: textwrap.dedent(MINI_ZONE[ALPHA]).replace("type: 站所", "type: 部门")}, "DJX014", ALPHA, 4),
    ("id-uppercase", {ACT: _act(id="id: 2024-03-15-DangKe")}, "DJX015", ACT, 1),
    ("id-path", {ACT: _act(id="id: ../../etc/passwd")}, "DJX015", ACT, 1),
    ("host-path", {ACT: _act({"  - alpha": "", "  - gamma": "", "  - beta": ""}, hosts="hosts: [../beta]", participants="")}, "DJX015", ACT, 6),
    ("turn-period", {"zone.yaml": _zone("period: '2024'", "period: 二〇二四")}, "DJX016", "zone.yaml", 35),
    # files and places
    ("id-vs-name", {ACT: _act(id="id: 2024-03-15-dangke-2")}, "DJX017", ACT, 1),
    ("wrong-year-folder", {"activities/2023/2024-03-15-dangke.yaml": ACT_TEXT, ACT: None}, "DJX105", "activities/2023/2024-03-15-dangke.yaml", 2),
    ("yml-extension", {"activities/2024/2024-04-01-x.yml": "id: x\n"}, "DJX018", "activities/2024/2024-04-01-x.yml", 0),
    # references
    ("unknown-host", {ACT: _act({"  - beta": ""}, hosts="hosts: [betta]")}, "DJX101", ACT, 6),
    ("unknown-lead", {"zone.yaml": _zone("lead_unit: lead", "lead_unit: leed")}, "DJX101", "zone.yaml", 7),
    ("not-yet-member", {ACT: _act(date="date: 2024-02-15", id="id: 2024-02-15-dangke")}, "DJX102", ACT, 10),
    ("unit-left", {ALPHA: textwrap.dedent(MINI_ZONE[ALPHA]) + "left: 2024-01-01\n"}, "DJX102", ACT, 9),
    ("turn-before-join", {"zone.yaml": _zone("period: '2023'\n        unit: alpha", "period: '2023'\n        unit: gamma")}, "DJX102", "zone.yaml", 34),
    # rules
    # leading-group sizes (DJX104) are a --strict warning only: tests/test_duty_model.py
    ("adjustment-unknown-duty", {"plans/2024.yaml": "year: 2024\nduty_unit: beta\nadjustments:\n  - duty: monthly-forun\n"
                                 "    period: '2024-03'\n    action: 免于\n    reason: 安保任务\n    approved_by: 领导小组\n"},
     "DJX119", "plans/2024.yaml", 4),
    ("adjustment-bad-period", {"plans/2024.yaml": "year: 2024\nduty_unit: beta\nadjustments:\n  - duty: monthly-forum\n"
                               "    period: 2024-H1\n    action: 免于\n    reason: 安保任务\n    approved_by: 领导小组\n"},
     "DJX119", "plans/2024.yaml", 5),
    ("document-before-period", {"documents/2024/2024-06-10-banian.yaml": "id: 2024-06-10-banian\nkind: 半年总结通报\n"
                                "title: 下半年总结\ndate: 2024-06-10\nperiod: 2024-H2\n"},
     "DJX120", "documents/2024/2024-06-10-banian.yaml", 4),
    ("end-before-start", {ACT: ACT_TEXT + "end_date: 2024-03-01\n"}, "DJX106", ACT, 13),
    ("double-turn", {"zone.yaml": _zone("period: '2024'", "period: '2023'")}, "DJX107", "zone.yaml", 35),
    ("order-twice", {"zone.yaml": _zone("      - gamma\n", "      - alpha\n")}, "DJX107", "zone.yaml", 31),
    ("plan-disagrees", {"plans/2024.yaml": "year: 2024\nduty_unit: alpha\n"}, "DJX108", "plans/2024.yaml", 2),
    ("plan-item-missing", {ACT: ACT_TEXT + "plan_item: 2024-nothing\n"}, "DJX109", ACT, 13),
    ("left-before-joined", {ALPHA: textwrap.dedent(MINI_ZONE[ALPHA]) + "left: 2022-01-01\n"}, "DJX111", ALPHA, 7),
    ("office-elsewhere", {"zone.yaml": _zone("office:\n  unit: lead", "office:\n  unit: alpha")}, "DJX112", "zone.yaml", 20),
    ("attachment-missing", {ACT: ACT_TEXT + "attachments:\n  - attachments/2024/照片.jpg\n"}, "DJX113", ACT, 14),
    ("attachment-outside", {ACT: ACT_TEXT + "attachments:\n  - ../../secret.txt\n"}, "DJX113", ACT, 14),
]


@pytest.mark.parametrize("case,files,code,path,line", CASES, ids=[c[0] for c in CASES])
def test_broken_input_is_reported_exactly(tmp_path: Path, case, files, code, path, line) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    for rel, content in files.items():
        if content is None:
            (root / rel).unlink()
    write_zone(root, {rel: c for rel, c in files.items() if c is not None})
    before = _snapshot(root)

    exit_code, out, err = run_cli("check", "--zone", str(root), "--format", "json")

    assert "Traceback" not in out + err
    import json

    report = json.loads(out)
    found = [(Path(d["path"]).relative_to(root).as_posix(), d["line"], d["code"]) for d in report["diagnostics"]]
    assert (path, line, code) in found, found
    severities = {d["severity"] for d in report["diagnostics"] if d["code"] == code}
    assert exit_code == (1 if "error" in severities else 0)
    assert _snapshot(root) == before, "check must never write"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


def test_every_code_in_the_corpus_is_documented() -> None:
    from djxz.checks import CODES

    assert {c[2] for c in CASES} <= set(CODES)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
