"""`djxz export`: the example zone's 2025 written to Excel and read back with openpyxl; the progress bar on a terminal."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT, run_cli


@pytest.fixture
def book_2025(example_zone: Path, tmp_path: Path):
    out = tmp_path / "2025年.xlsx"
    code, stdout, err = run_cli("export", "--year", "2025", "-o", str(out), "--zone", str(example_zone))
    assert code == 0, err
    assert f"已导出 2025 年（截至 2026-11-26）到 {out}：活动 44 行，单位参与 9 行，类别统计 6 行，职责 40 行" in stdout
    return load_workbook(out)


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_sheets_headers_and_frozen_bold_header_rows(book_2025) -> None:
    assert book_2025.sheetnames == ["活动", "单位参与", "类别统计", "职责"]
    headers = {ws.title: [c.value for c in ws[1]] for ws in book_2025}
    assert headers == {
        "活动": ["日期", "结束日期", "标题", "“五共”类别", "活动形式", "主办单位", "参加单位", "参加人数", "地点", "活动概况",
               "经验做法", "亮点", "计划事项编号", "附件", "编号"],
        "单位参与": ["单位", "简称", "身份", "主办活动数", "参加活动数", "合计"],
        "类别统计": ["“五共”类别", "活动数", "参加人数", "亮点活动数"],
        "职责": ["责任方", "单位", "职责", "期间", "截止日期", "状态", "完成日期", "依据或说明"],
    }
    assert {ws.title: ws.freeze_panes for ws in book_2025} == {"活动": "D2", "单位参与": "A2", "类别统计": "A2", "职责": "D2"}
    for ws in book_2025:
        assert all(cell.font.b for cell in ws[1]), ws.title
        assert not ws["A2"].font.b, ws.title


def test_activity_rows(book_2025) -> None:
    ws = book_2025["活动"]
    first = rows(ws)[1]
    assert first[:9] == (dt.datetime(2025, 1, 8), None, "1月份党建座谈会：支部年度工作计划怎么订", "组织共建", "月度党建座谈", "特克斯站",
                         "总站机关、伊宁站、霍城站、察布查尔站、昭苏站、都拉塔检查站", 22, "特克斯站党建活动中心")
    assert first[12:] == ("2025-forum-01", None, "2025-01-08-yuedu-zuotan")
    assert ws["A2"].number_format == "yyyy-mm-dd"
    assert ws["J2"].alignment.wrap_text  # 活动概况 wraps
    dates = [r[0] for r in rows(ws)[1:]]
    assert len(dates) == 44 and dates == sorted(dates) and all(d.year == 2025 for d in dates)


def test_counts_per_unit_and_category(book_2025, example_zone: Path) -> None:
    units = {r[0]: r[1:] for r in rows(book_2025["单位参与"])[1:]}
    assert units["察布查尔边境管理站"] == ("察布查尔站", "成员单位", 17, 16, 33)
    assert units["伊犁河谷能源投资集团有限公司"] == ("河谷能投", "共建单位", 0, 6, 6)
    cats = rows(book_2025["类别统计"])
    assert cats[1] == ("组织共建", 25, 1031, 1)
    assert cats[-1] == ("合计", 44, 3345, 5)
    assert book_2025["类别统计"]["A7"].font.b  # the total row
    # The same figures `djxz status` reports.
    code, out, err = run_cli("status", "--year", "2025", "--format", "json", "--zone", str(example_zone))
    status = json.loads(out)
    assert {c["category"]: c["activities"] for c in status["categories"]} == {r[0]: r[1] for r in cats[1:-1]}
    assert {u["name"]: (u["hosted"], u["took_part"]) for u in status["units"]} == {k: v[2:4] for k, v in units.items()}


def test_duty_rows(book_2025) -> None:
    duties = rows(book_2025["职责"])[1:]
    assert len(duties) == 40
    assert duties[0] == ("牵头单位", "伊犁河谷边境管理总站机关", "制定年度协作计划", "2025年", dt.datetime(2025, 2, 28), "已完成",
                         dt.datetime(2025, 2, 20), "documents/2025/2025-02-20-niandu-xiezuo-jihua.yaml:2")
    statuses = [r[5] for r in duties]
    assert statuses.count("已完成") == 38 and statuses.count("逾期") == 2
    roles = [r[0] for r in duties]
    assert roles == sorted(roles, key=lambda r: r != "牵头单位")  # the lead unit's duties first


def test_column_widths_fit_content_with_cjk_double(book_2025) -> None:
    widths = {ws.title: {k: v.width for k, v in ws.column_dimensions.items()} for ws in book_2025}
    # 伊犁河谷能源投资集团有限公司: 14 characters, 28 columns, plus 2.
    assert widths["单位参与"]["A"] == 30
    assert widths["类别统计"]["A"] == 12  # “五共”类别: the quotes count one each
    assert widths["活动"]["A"] == 12  # dates
    assert widths["活动"]["J"] == 62  # long text stops at 60 and wraps


def test_export_refuses_bad_zones_and_bad_paths(example_zone: Path, tmp_path: Path) -> None:
    code, _, err = run_cli("export", "--year", "2025", "-o", str(tmp_path / "a.csv"), "--zone", str(example_zone))
    assert code == 2 and ".xlsx" in err
    code, _, err = run_cli("export", "--year", "2025", "-o", str(tmp_path / "no" / "a.xlsx"), "--zone", str(example_zone))
    assert code == 2 and "不存在" in err
    bad = example_zone / "activities" / "2025" / "2025-01-08-yuedu-zuotan.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("category: 组织共建", "category: 组织"), encoding="utf-8")
    code, _, err = run_cli("export", "--year", "2025", "-o", str(tmp_path / "a.xlsx"), "--zone", str(example_zone))
    assert code == 1 and "djxz check" in err
    assert not (tmp_path / "a.xlsx").exists()


def test_exported_activities_import_back_as_already_there(example_zone: Path, tmp_path: Path) -> None:
    out = tmp_path / "2025.xlsx"
    assert run_cli("export", "--year", "2025", "-o", str(out), "--zone", str(example_zone))[0] == 0
    code, stdout, err = run_cli("import", "activities", str(out), "--dry-run", "--zone", str(example_zone))
    assert code == 0, err
    assert "新增 0 条，跳过已有 44 条" in stdout


def _run_on_terminal(args: list[str], cwd: Path) -> str:
    """Run djxz with its stdout on a pseudo-terminal; everything it wrote there."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "djxz", *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL,
                            cwd=cwd, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0, b"".join(chunks).decode("utf-8", "replace")
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(example_zone: Path, tmp_path: Path) -> None:
    shown = _run_on_terminal(["export", "--year", "2025", "-o", str(tmp_path / "t.xlsx"), "--zone", str(example_zone)], ROOT)
    assert "导出：" in shown and "\x1b[" in shown  # drawn, then cleared
    assert "已导出 2025 年" in shown
    code, out, err = run_cli("export", "--year", "2025", "-o", str(tmp_path / "p.xlsx"), "--zone", str(example_zone))
    assert code == 0
    assert "导出：" not in out + err and "\x1b[" not in out + err
