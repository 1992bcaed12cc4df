"""Issuing a document: `brief --issue` takes the year's next 发文字号 (测协〔2024〕N号) and writes the document record;
the 版头 shows the number (or its blank on a draft); issuing twice is issuing once; `check` flags a duplicate number;
`status` counts the issued half-year report as the duty done.

The zone is the report test zone (tests/report_zone.py) with `documents:` declared; by hand: 2024 has no numbered
document, so the first one issued in 2024 is 测协〔2024〕1号 and the next 2号.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import MINI_ZONE, run_cli
from docx import Document
from report_zone import write_report_zone

from djxz.app.status import build_status
from djxz.domain.numbering import number_text
from djxz.edit.document_edit import set_number
from djxz.errors import DataError

DOCUMENTS = """\
        documents:
          issuer_mark: 测试协作区
          number_prefix: 测协
          copy_to:
            - 测试市委组织部
          copies: 12
        """


def _zone(root: Path, documents: bool = True) -> Path:
    text = MINI_ZONE["zone.yaml"].rstrip(" ") + (DOCUMENTS if documents else "")
    return write_report_zone(root, {"zone.yaml": text})


def _brief(zone: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("brief", "--half-year", "--year", "2024", "--half", "1", "--date", "2024-07-20", "--zone", str(zone),
                   "--out", str(out), *extra)


def _records(zone: Path) -> list[Path]:
    return sorted((zone / "documents").rglob("*bannian*.yaml"))


def _paragraph_texts(path: Path, style: str) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == style]


def test_number_text_follows_the_standard() -> None:
    assert number_text("伊协", 2026, 3) == "伊协〔2026〕3号"
    assert number_text("伊协", 2026, None) == "伊协〔2026〕\u3000\u3000号"  # the blank the office fills in


def test_issue_writes_the_record_with_the_years_next_number(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data")
    code, out, err = _brief(zone, tmp_path / "out", "--issue")
    assert code == 0, err
    [record] = _records(zone)
    assert record.relative_to(zone).as_posix() == "documents/2024/2024-07-20-bannian-zongjie-tongbao.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert (data["kind"], data["period"], data["number"], data["date"]) == ("半年总结通报", "2024-H1", 1,
                                                                         dt.date(2024, 7, 20))
    assert "发文字号：测协〔2024〕1号" in out
    docx = next((tmp_path / "out").glob("*.docx"))
    assert _paragraph_texts(docx, "发文机关标志") == ["测试协作区文件"]
    assert _paragraph_texts(docx, "发文字号") == ["测协〔2024〕1号"]
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    assert md.startswith("**测试协作区文件**\n\n测协〔2024〕1号\n")


def test_issuing_twice_keeps_the_record_and_its_number(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data")
    assert _brief(zone, tmp_path / "out", "--issue")[0] == 0
    [record] = _records(zone)
    before = record.read_bytes()
    code, out, err = _brief(zone, tmp_path / "out", "--issue")
    assert code == 0, err
    assert _records(zone) == [record] and record.read_bytes() == before
    assert "未重复编号" in out and "测协〔2024〕1号" in out
    # The annual report issued next in 2024 takes number 2: numbers run across kinds within a year.
    code, out, err = run_cli("brief", "--annual", "--year", "2023", "--date", "2024-07-21", "--issue",
                             "--zone", str(zone), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "测协〔2024〕2号" in out


def test_a_draft_shows_the_blank_number_and_writes_no_record(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data")
    code, out, err = _brief(zone, tmp_path / "out")
    assert code == 0, err
    assert _records(zone) == []
    docx = next((tmp_path / "out").glob("*.docx"))
    assert _paragraph_texts(docx, "发文字号") == ["测协〔2024〕\u3000\u3000号"]
    assert "--issue" in out  # the warning says how to number it
    # The 版记 at the foot: 抄送, printer with the print date, copies.
    assert _paragraph_texts(docx, "版记") == ["抄送：测试市委组织部。", "测试区领导小组办公室\t2024年7月20日印发"]
    assert _paragraph_texts(docx, "印数") == ["（共印12份）"]


def test_a_zone_without_documents_settings_has_no_masthead_and_numbers_nothing(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data", documents=False)
    code, _, err = _brief(zone, tmp_path / "out", "--issue")
    assert code == 0, err
    [record] = _records(zone)
    assert "number" not in yaml.safe_load(record.read_text(encoding="utf-8"))
    docx = next((tmp_path / "out").glob("*.docx"))
    assert _paragraph_texts(docx, "发文机关标志") == [] and _paragraph_texts(docx, "发文字号") == []
    assert _paragraph_texts(docx, "版记") == []


def test_issue_numbers_an_existing_record_without_a_number(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data")
    old = zone / "documents/2024/2024-07-10-bannian-zongjie-tongbao.yaml"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text("# 已印发\nid: 2024-07-10-bannian-zongjie-tongbao\nkind: 半年总结通报\ntitle: 关于上半年工作的通报\n"
                   "date: 2024-07-10\nissuer: beta\nperiod: '2024-H1'  # 上半年\n", encoding="utf-8")
    code, out, err = _brief(zone, tmp_path / "out", "--issue")
    assert code == 0, err
    assert _records(zone) == [old]
    # One line added after issuer; comments and quoting stay.
    assert old.read_text(encoding="utf-8") == (
        "# 已印发\nid: 2024-07-10-bannian-zongjie-tongbao\nkind: 半年总结通报\ntitle: 关于上半年工作的通报\n"
        "date: 2024-07-10\nissuer: beta\nnumber: 1\nperiod: '2024-H1'  # 上半年\n")
    assert "测协〔2024〕1号" in out


def test_set_number_refuses_a_record_that_has_one() -> None:
    with pytest.raises(DataError, match="已有"):
        set_number("id: a\nnumber: 2\n", 3)


def test_check_flags_a_duplicate_number_within_a_year(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data")
    for day, slug in (("2024-07-20", "bannian-zongjie-tongbao"), ("2024-08-01", "huiyi-tongzhi")):
        path = zone / f"documents/2024/{day}-{slug}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = "半年总结通报" if "bannian" in slug else "会议通知"
        path.write_text(f"id: {day}-{slug}\nkind: {kind}\ntitle: 文件\ndate: {day}\nnumber: 4\n", encoding="utf-8")
    # Same number in another year, and a bulletin numbered 4 (its own sequence): no problem.
    (zone / "documents/2025").mkdir(parents=True)
    (zone / "documents/2025/2025-01-05-huiyi-tongzhi.yaml").write_text(
        "id: 2025-01-05-huiyi-tongzhi\nkind: 会议通知\ntitle: 文件\ndate: 2025-01-05\nnumber: 4\n", encoding="utf-8")
    code, out, _ = run_cli("check", "--zone", str(zone))
    assert code == 1
    lines = [line for line in out.splitlines() if "DJX125" in line]
    assert len(lines) == 1
    assert "documents/2024/2024-08-01-huiyi-tongzhi.yaml:5:9:" in lines[0]  # the later one, at its number
    assert "2024 年的发文字号序号 4 重复" in lines[0] and "改为 5 号" in lines[0]


def test_status_counts_the_issued_half_year_report_as_done(tmp_path: Path) -> None:
    from report_zone import load

    zone = _zone(tmp_path / "repo" / "data")

    def half_year_duty():
        status = build_status(load(zone), dt.date(2024, 8, 1), 2024)
        [duty] = [d for d in status.duties if d.rule_id == "half-year-report"]
        return duty

    assert half_year_duty().status == "逾期"  # due 07-31, no report recorded
    assert _brief(zone, tmp_path / "out", "--issue")[0] == 0
    duty = half_year_duty()
    assert duty.status == "已完成" and duty.completed_on == dt.date(2024, 7, 20)


def test_bulletin_issue_twice_is_one_record(tmp_path: Path) -> None:
    zone = _zone(tmp_path / "repo" / "data")
    args = ("bulletin", "2024-08-10-lanqiu", "--date", "2024-08-12", "--issue", "--zone", str(zone),
            "--out", str(tmp_path / "out"))
    code, out, err = run_cli(*args)
    assert code == 0, err
    made = sorted((zone / "documents/2024").glob("*jianbao*"))
    code, out2, err = run_cli(*args)
    assert code == 0, err
    assert sorted((zone / "documents/2024").glob("*jianbao*")) == made
    assert "第3期" in out and "第3期" in out2
