"""Re-importing an edited sheet: rows are 新增 / 未变 / 有改动; changed rows are written only with --update, and then
only the changed fields' lines change (checked with difflib and with `git diff` in a real repository)."""

from __future__ import annotations

import datetime as dt
import difflib
import textwrap
from pathlib import Path

from openpyxl import load_workbook

from conftest import run_cli
from gitrepo import commit_all, git
from test_import import ACTIVITY_HEADERS, GOOD_ROWS, new_files, snapshot, workbook

GAMES = "activities/2026/2026-04-08-wenti-huodong.yaml"  # GOOD_ROWS' second row, sheet row 3


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines difflib sees removed and added."""
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


def edit_cells(book: Path, cells: dict[str, object]) -> None:
    wb = load_workbook(book)
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.save(book)


def imported(zone: Path, tmp_path: Path) -> Path:
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(zone))
    assert code == 0, err
    return book


def test_two_edited_cells_are_listed_refused_without_update_and_written_as_two_lines(example_zone: Path, tmp_path: Path) -> None:
    book = imported(example_zone, tmp_path)
    record = example_zone / GAMES
    # A clerk's comment in the record: an update must keep it (the edit splices lines, it does not re-dump the file).
    record.write_text(record.read_text(encoding="utf-8").replace("attendance: 80\n", "attendance: 80  # 核对过签到表\n")
                      + "# 附件待补\n", encoding="utf-8")
    original = record.read_text(encoding="utf-8")
    # Row 3 (春季职工运动会): H is 参加人数 (80), J is 活动概况 (共 6 个项目。). ACTIVITY_HEADERS[7] and [9].
    assert ACTIVITY_HEADERS[7] == "参加人数" and ACTIVITY_HEADERS[9] == "活动概况"
    edit_cells(book, {"H3": 95, "J3": "共 8 个项目，400 人参赛。"})

    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 1
    assert snapshot(example_zone) == before  # nothing written, not even the unchanged rows
    assert "第 3 行 2026-04-08-wenti-huodong（activities/2026/2026-04-08-wenti-huodong.yaml）有改动：" in out
    assert "  参加人数：80 → 95" in out
    assert "  活动概况：共 6 个项目。 → 共 8 个项目，400 人参赛。" in out
    assert out.count("有改动") == 2  # the table row and the heading of its changes; rows 2 and 4 are 未变
    assert out.count("未变") == 2
    assert "有 1 行与协作区已有记录不同（第 3 行），没有写入任何文件" in err and "--update" in err

    # A dry run with --update previews and still writes nothing.
    code, out, err = run_cli("import", "activities", str(book), "--update", "--dry-run", "--zone", str(example_zone))
    assert code == 0, err
    assert snapshot(example_zone) == before

    code, out, err = run_cli("import", "activities", str(book), "--update", "--zone", str(example_zone))
    assert code == 0, err
    updated = record.read_text(encoding="utf-8")
    # Exactly the two fields' lines: the comment on the attendance line goes with the old value; the one below stays.
    assert changed_lines(original, updated) == (
        ["attendance: 80  # 核对过签到表", "  共 6 个项目。"],
        ["attendance: 95", "  共 8 个项目，400 人参赛。"],
    )
    assert updated.endswith("# 附件待补\n")
    after = snapshot(example_zone)
    assert [rel for rel in after if after[rel] != before.get(rel)] == [GAMES]
    assert run_cli("check", "--zone", str(example_zone))[0] == 0

    # Run twice = work done once.
    code, out, err = run_cli("import", "activities", str(book), "--update", "--zone", str(example_zone))
    assert code == 0, err
    assert snapshot(example_zone) == after
    assert out.count("未变") == 3 + 1  # three rows and the closing sentence


def test_update_writes_new_rows_and_changed_records_together_in_a_git_repo(example_zone: Path, tmp_path: Path) -> None:
    repo = example_zone.parent
    git(repo, "init", "--quiet", "--initial-branch=main")
    book = imported(example_zone, tmp_path)
    commit_all(repo, "Import the activities")
    # Row 2: the host as a full name is the same unit (未变); row 4 gets a place (a field the record did not have),
    # and a fourth activity is added.
    edit_cells(book, {"F2": "伊宁边境管理站", "I4": "霍城站会议室"})
    wb = load_workbook(book)
    wb.active.append([4, "2026-05-06", "读书分享会", "教育共抓", "教育", "昭苏站", None, None, None, "分享。", None, None])
    wb.save(book)

    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 1 and "  地点：（空） → 霍城站会议室" in out
    assert git(repo, "status", "--porcelain", "--", "data") == ""

    code, out, err = run_cli("import", "activities", str(book), "--update", "--zone", str(example_zone))
    assert code == 0, err
    assert "新增 1 条，跳过已有 2 条，有改动 1 条" in out
    # One line added after attendance (the schema's order: attendance, location, summary); one new file.
    assert git(repo, "diff", "--numstat", "--", "data").split() == ["1", "0", "data/activities/2026/2026-03-19-lianpian-dangke-2.yaml"]
    assert "+location: 霍城站会议室" in git(repo, "diff")
    assert git(repo, "status", "--porcelain", "--untracked-files=all", "--", "data").splitlines()[-1] == \
        "?? data/activities/2026/2026-05-06-jiaoyu.yaml"
    assert run_cli("check", "--zone", str(example_zone))[0] == 0


def test_an_unchanged_sheet_reports_all_unchanged_and_writes_nothing(example_zone: Path, tmp_path: Path) -> None:
    book = imported(example_zone, tmp_path)
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--update", "--zone", str(example_zone))
    assert code == 0, err
    assert snapshot(example_zone) == before
    assert out.count("未变") == 3 + 1 and "有改动" not in out and "没有新记录：3 条都已在协作区中且未变" in out


UNIT_HEADERS = ["单位编号", "全称", "简称", "单位类型", "身份", "加入日期", "党组织名称", "党员人数", "联系人", "联系电话"]


def test_nested_unit_fields_and_a_blanked_cell(mini_zone: Path, tmp_path: Path) -> None:
    rows = [["delta", "丁站党委", "丁站", "站所", "成员单位", "2025-05-01", "中共丁站委员会", 45, "李明", "09991234567"]]
    book = workbook(tmp_path / "单位.xlsx", rows, UNIT_HEADERS, sheet="单位")
    before = snapshot(mini_zone)
    assert run_cli("import", "units", str(book), "--zone", str(mini_zone))[0] == 0
    original = new_files(before, mini_zone)["units/delta.yaml"]
    # 党员人数 (H2) 45 -> 48, 联系电话 (J2) emptied: the phone line goes, the contact stays.
    edit_cells(book, {"H2": 48, "J2": None})
    code, out, err = run_cli("import", "units", str(book), "--zone", str(mini_zone))
    assert code == 1
    assert "  党员人数：45 → 48" in out and "  联系电话：09991234567 → （空）" in out
    code, out, err = run_cli("import", "units", str(book), "--update", "--zone", str(mini_zone))
    assert code == 0, err
    updated = (mini_zone / "units/delta.yaml").read_text(encoding="utf-8")
    assert changed_lines(original, updated) == (
        ["  members: 45", "    phone: '09991234567'"],
        ["  members: 48"],
    )
    assert updated.endswith("contacts:\n  - name: 李明\n")
    assert run_cli("check", "--zone", str(mini_zone))[0] == 0


def test_update_fields_splices_in_schema_order_and_keeps_the_rest() -> None:
    from djxz.edit.record_edit import update_fields

    text = textwrap.dedent("""\
        # yaml-language-server: $schema=../../../schemas/activity.schema.json
        id: 2026-03-19-a   # 编号勿改
        date: 2026-03-19
        title: '党课'
        category: 组织共建
        kind: 联片党课
        hosts:
          - yining-zhan

        summary: |
          第一段。
        highlight: true
        """)
    out = update_fields(text, "activity", "activities/2026/2026-03-19-a.yaml",
                        {"attendance": 30, "highlight": None, "hosts": ["yining-zhan", "huocheng-zhan"], "date": dt.date(2026, 3, 20)})
    assert out == textwrap.dedent("""\
        # yaml-language-server: $schema=../../../schemas/activity.schema.json
        id: 2026-03-19-a   # 编号勿改
        date: 2026-03-20
        title: '党课'
        category: 组织共建
        kind: 联片党课
        hosts:
          - yining-zhan
          - huocheng-zhan
        attendance: 30

        summary: |
          第一段。
        """)
