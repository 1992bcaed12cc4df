"""`djxz import`: workbooks built here with openpyxl, imported into real zones on disk, the written files read back."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import run_cli

ACTIVITY_HEADERS = ["序号", "日期", "标题", "“五共”类别", "活动形式", "主办单位", "参加单位", "参加人数", "地点", "活动概况", "经验做法", "亮点"]

GOOD_ROWS = [
    [1, dt.datetime(2026, 3, 19), "联片党课：新时代“枫桥经验”", "组织共建", "联片党课", "伊宁站", "霍城站、察布查尔边境管理站\nzhaosu-zhan",
     60, "伊宁站党员活动室", "伊宁站主讲。\r\n各单位交流。", "课前调研，带着问题讲\n课后测验", "是"],
    [2, "2026/4/8", "春季职工运动会", "文化共育", "文体活动", "yining-zhan，huocheng-zhan", None, "80人", None, "共 6 个项目。", None, None],
    [3, "2026年3月19日", "联片党课：第二场", "组织共建", "联片党课", "霍城站", None, 35.0, None, "第二场。", None, "否"],
]


def workbook(path: Path, rows: list[list], headers: list[str] = ACTIVITY_HEADERS, sheet: str = "活动", title: str | None = None) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the zone with its bytes, caches aside: the proof that nothing was written."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".cache" not in p.parts}


def new_files(before: dict[str, bytes], root: Path) -> dict[str, str]:
    after = snapshot(root)
    assert all(after[rel] == data for rel, data in before.items()), "an existing file was changed"
    return {rel: after[rel].decode("utf-8") for rel in after if rel not in before}


def test_activities_become_one_file_each_in_the_house_style(example_zone: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS)
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 0, err
    written = new_files(before, example_zone)
    assert sorted(written) == [
        "activities/2026/2026-03-19-lianpian-dangke-2.yaml",
        "activities/2026/2026-03-19-lianpian-dangke.yaml",
        "activities/2026/2026-04-08-wenti-huodong.yaml",
    ]
    assert written["activities/2026/2026-03-19-lianpian-dangke.yaml"] == textwrap.dedent("""\
        # yaml-language-server: $schema=../../../schemas/activity.schema.json
        id: 2026-03-19-lianpian-dangke
        date: 2026-03-19
        title: 联片党课：新时代“枫桥经验”
        category: 组织共建
        kind: 联片党课
        hosts:
          - yining-zhan
        participants:
          - huocheng-zhan
          - chabuchaer-zhan
          - zhaosu-zhan
        attendance: 60
        location: 伊宁站党员活动室
        summary: |
          伊宁站主讲。
          各单位交流。
        practices:
          - 课前调研，带着问题讲
          - 课后测验
        highlight: true
        """)
    games = written["activities/2026/2026-04-08-wenti-huodong.yaml"]
    assert "hosts:\n  - yining-zhan\n  - huocheng-zhan\n" in games and "attendance: 80\n" in games
    assert "highlight" not in written["activities/2026/2026-03-19-lianpian-dangke-2.yaml"]
    assert "已写入 3 个文件到 activities/（新增 3 条，跳过已有 0 条）" in out
    assert "没有用到的列：序号" in out
    code, out, err = run_cli("check", "--zone", str(example_zone))
    assert code == 0, out + err


def test_a_bad_row_writes_nothing_and_names_row_and_column(example_zone: Path, tmp_path: Path) -> None:
    bad = [4, "2026-02-30", "坏行", "组织共建", "联片党建", "伊宁站、不存在站", None, "很多", None, "x", None, "也许"]
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS + [bad])
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 1
    assert snapshot(example_zone) == before
    assert "活动.xlsx 有 5 处错误，没有写入任何文件" in err
    assert "活动.xlsx 第 5 行“日期”列：日期“2026-02-30”不存在" in err
    assert "活动.xlsx 第 5 行“活动形式”列：“联片党建”不在允许范围内；是不是“联片党课”？" in err
    assert "活动.xlsx 第 5 行“主办单位”列：“不存在站”不是协作区的单位" in err
    assert "活动.xlsx 第 5 行“参加人数”列：“很多”不是整数" in err
    assert "活动.xlsx 第 5 行“亮点”列：“也许”看不懂" in err
    assert "第 2 行" not in err and "第 4 行" not in err
    assert "有错误" in out  # the preview still shows every row


def test_the_real_checks_run_on_the_would_be_zone(example_zone: Path, tmp_path: Path) -> None:
    """Errors only the zone-wide checks can see (membership on a date, plan items) still name the row and the column."""
    rows = [
        [1, dt.date(2023, 5, 10), "交流会", "组织共建", "共建交流", "都拉塔检查站", None, None, None, "交流。", None, None],
        [2, dt.date(2026, 3, 26), "交流会", "组织共建", "共建交流", "伊宁站", None, None, None, "交流。", None, None],
    ]
    headers = ACTIVITY_HEADERS
    book = workbook(tmp_path / "活动.xlsx", rows, headers)
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 1
    assert snapshot(example_zone) == before
    assert "活动.xlsx 有 1 处错误" in err
    assert "活动.xlsx 第 2 行“主办单位”列：[DJX102] 主办单位的“都拉塔口岸边境检查站”在 2023-05-10 不是协作区成员" in err

    rows[0][4] = "联片党课"
    rows[1].append("no-such-item")
    book = workbook(tmp_path / "活动2.xlsx", rows, headers + ["计划事项编号"])
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 1
    assert "活动2.xlsx 第 3 行“计划事项编号”列：[DJX109] 计划事项“no-such-item”不存在" in err
    assert snapshot(example_zone) == before


def test_reimport_recognises_every_row_and_writes_nothing(example_zone: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS)
    assert run_cli("import", "activities", str(book), "--zone", str(example_zone))[0] == 0
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 0, err
    assert snapshot(example_zone) == before
    assert "没有新记录：3 条都已在协作区中且未变，没有写入文件。" in out
    assert out.count("未变") == 3 + 1  # three rows, and the closing sentence

    # The same sheet with one row more (and a host written another way): only that row is new.
    more = [list(r) for r in GOOD_ROWS]
    more[0][5] = "伊宁边境管理站"
    more.append([4, "2026-05-06", "读书分享会", "教育共抓", "教育", "昭苏站", None, None, None, "分享。", None, None])
    book = workbook(tmp_path / "活动（补充）.xlsx", more)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 0, err
    assert list(new_files(before, example_zone)) == ["activities/2026/2026-05-06-jiaoyu.yaml"]
    assert "新增 1 条，跳过已有 3 条" in out


def test_dry_run_previews_and_writes_nothing(example_zone: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS)
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--dry-run", "--zone", str(example_zone))
    assert code == 0, err
    assert snapshot(example_zone) == before
    assert "预览（--dry-run）：新增 3 条，跳过已有 0 条；没有写入文件。" in out
    assert "2026-03-19-lianpian-dangke-2" in out and "霍城站" in out


def test_ids_step_past_existing_files_and_repeated_rows_are_skipped(example_zone: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the preview table unfolded
    # 2025-02-13-lianxi-huiyi is an example activity: a different meeting that day gets -2.
    row = [1, "2025-02-13", "联席会议（第二次）", "组织共建", "联席会议", "总站机关", None, None, None, "会议。", None, None]
    book = workbook(tmp_path / "活动.xlsx", [row, list(row)])
    before = snapshot(example_zone)
    code, out, err = run_cli("import", "activities", str(book), "--zone", str(example_zone))
    assert code == 0, err
    assert list(new_files(before, example_zone)) == ["activities/2025/2025-02-13-lianxi-huiyi-2.yaml"]
    assert "同第 2 行" in out


def test_units_by_chinese_headers_below_a_title_row(mini_zone: Path, tmp_path: Path) -> None:
    headers = ["单位编号", "全称", "简称", "单位类型", "身份", "加入日期", "党组织名称", "党组织书记", "党员人数", "联系人", "联系电话", "单位简介"]
    rows = [
        ["alpha", "甲站党委", "甲站", "站所", "成员单位", dt.date(2023, 3, 1), None, None, None, None, None, None],
        ["delta", "丁站党委", "丁站", "站所", "成员单位", "2025-05-01", "中共丁站委员会", "王强", 45.0, "李明", "09991234567", "第一段。\n第二段。"],
        ["uni", "测试大学", "测大", "高校", "共建单位", "2025/6/1", None, None, None, None, None, None],
    ]
    book = workbook(tmp_path / "单位.xlsx", rows, headers, sheet="名册", title="协作区单位名册")
    before = snapshot(mini_zone)
    code, out, err = run_cli("import", "units", str(book), "--sheet", "名册", "--zone", str(mini_zone))
    assert code == 0, err
    written = new_files(before, mini_zone)
    assert sorted(written) == ["units/delta.yaml", "units/uni.yaml"]
    assert written["units/delta.yaml"] == textwrap.dedent("""\
        # yaml-language-server: $schema=../../schemas/unit.schema.json
        id: delta
        name: 丁站党委
        short_name: 丁站
        type: 站所
        role: 成员单位
        joined: 2025-05-01
        party_org:
          name: 中共丁站委员会
          secretary: 王强
          members: 45
        contacts:
          - name: 李明
            phone: '09991234567'
        description: |
          第一段。
          第二段。
        """)
    assert "新增 2 条，跳过已有 1 条" in out
    assert run_cli("check", "--zone", str(mini_zone))[0] == 0


def test_unit_rows_that_clash_or_lack_a_group_name(mini_zone: Path, tmp_path: Path) -> None:
    headers = ["单位编号", "全称", "简称", "单位类型", "身份", "加入日期", "党组织书记"]
    rows = [
        ["alpha2", "甲站党委", "甲站", "站所", "成员单位", "2025-01-01", None],
        ["Bad Id", "新站", "新站", "站所", "成员单位", "2025-01-01", None],
        ["eps", "戊站党委", "戊站", "站所", "成员", "2025-01-01", "赵书记"],
    ]
    book = workbook(tmp_path / "单位.xlsx", rows, headers, sheet="单位")
    before = snapshot(mini_zone)
    code, out, err = run_cli("import", "units", str(book), "--zone", str(mini_zone))
    assert code == 1
    assert snapshot(mini_zone) == before
    assert "单位.xlsx 第 2 行“全称”列：协作区已有单位“甲站党委”，编号为 alpha" in err
    assert "单位.xlsx 第 3 行“单位编号”列：编号“Bad Id”不合规范" in err
    assert "单位.xlsx 第 4 行“身份”列：“成员”不在允许范围内；是不是“成员单位”？" in err
    # The sheet has no 党组织名称 column: still named, since the row needs it.
    assert "单位.xlsx 第 4 行“党组织名称”列：填了“党组织书记”，这一列也必填" in err


def test_sheet_problems_and_usage(mini_zone: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "活动.xlsx", [[1, "2024-05-01", "座谈"]], ["序号", "日期", "标题"])
    code, _, err = run_cli("import", "activities", str(book), "--zone", str(mini_zone))
    assert code == 1 and "活动.xlsx 第 1 行：缺少必填的“主办单位”列，整张表无法导入" in err
    code, _, err = run_cli("import", "activities", str(book), "--sheet", "没有这张表", "--zone", str(mini_zone))
    assert code == 2 and "没有名为“没有这张表”的工作表；现有：活动" in err
    not_excel = tmp_path / "活动.xls"
    not_excel.write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    code, _, err = run_cli("import", "activities", str(not_excel), "--zone", str(mini_zone))
    assert code == 1 and "只支持 .xlsx" in err
    assert run_cli("import", "activities", str(tmp_path / "none.xlsx"), "--zone", str(mini_zone))[0] == 2
    assert run_cli("import", "documents", str(book), "--zone", str(mini_zone))[0] == 2
    assert run_cli("import", "--zone", str(mini_zone))[0] == 2
    assert run_cli("import", "units", str(book), "--template", "units")[0] == 2


def test_template_explains_each_column_and_imports_back(mini_zone: Path, tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    code, stdout, err = run_cli("import", "--template", "activities", "-o", str(out), "--zone", str(mini_zone))
    assert code == 0, err
    assert "附协作区的 4 个单位名称" in stdout
    book = load_workbook(out)
    assert book.sheetnames == ["活动", "填写说明"]
    ws = book["活动"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["日期", "结束日期", "标题", "“五共”类别", "活动形式", "主办单位"] and headers[-1] == "编号"
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws["A1"].comment.text.startswith("必填。活动日期")
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["D2:D2000"] == '"组织共建,发展共谋,文化共育,教育共抓,资源共享"'
    assert lists["L2:L2000"] == '"是,否"'
    help_rows = list(book["填写说明"].values)
    assert help_rows[0] == ("列名", "是否必填", "说明", "可选值")
    assert any(row[:3] == ("alpha", "甲站党委", "甲站") for row in help_rows)

    # A clerk fills the template in: it imports as it is.
    ws.append([dt.date(2024, 6, 5), None, "联合主题党日", "组织共建", "联合主题党日", "甲站", "乙站、丙站", 40, None, "重温入党誓词。"])
    book.save(out)
    before = snapshot(mini_zone)
    code, stdout, err = run_cli("import", "activities", str(out), "--zone", str(mini_zone))
    assert code == 0, err
    assert list(new_files(before, mini_zone)) == ["activities/2024/2024-06-05-zhuti-dangri.yaml"]

    code, stdout, err = run_cli("import", "--template", "units", "-o", str(tmp_path / "u.xlsx"), "--zone", str(mini_zone))
    assert code == 0, err
    assert load_workbook(tmp_path / "u.xlsx").sheetnames == ["单位", "填写说明"]


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2024, 3, 5), dt.date(2024, 3, 5)),
    ("2024-03-05", dt.date(2024, 3, 5)),
    ("2024/3/5", dt.date(2024, 3, 5)),
    ("2024.3.5", dt.date(2024, 3, 5)),
    ("2024年3月5日", dt.date(2024, 3, 5)),
    (45356, dt.date(2024, 3, 5)),  # a date typed into a cell formatted as a number
])
def test_dates_as_excel_dates_or_text(value, expected) -> None:
    from djxz.app.excel_import import read_date

    assert read_date(value) == expected


def test_header_spelling_variants() -> None:
    from djxz.app.excel_import import normalise_header

    assert normalise_header("“五共”类别") == normalise_header("五共类别") == normalise_header(' "五共" 类别 ')
    assert normalise_header("日期（必填）") == normalise_header("*日期") == "日期"


def test_progress_callback_reports_each_row(example_zone: Path, tmp_path: Path) -> None:
    from djxz.app.excel_import import plan_import

    seen = []
    book = workbook(tmp_path / "活动.xlsx", GOOD_ROWS)
    plan = plan_import(example_zone, "activity", book, None, dt.date(2026, 11, 26), lambda *a: seen.append(a))
    assert [s for s in seen if s[0] == "读取行"] == [("读取行", 1, 3), ("读取行", 2, 3), ("读取行", 3, 3)]
    assert [r.status for r in plan.rows] == ["新增", "新增", "新增"] and not plan.problems



def test_shell_completion_knows_what_to_import() -> None:
    """Typer's own completion (`djxz --install-completion`): the shell asks djxz through these variables."""

    env = {**os.environ, "_DJXZ_COMPLETE": "complete_bash", "COMP_WORDS": "djxz import a", "COMP_CWORD": "2"}
    out = subprocess.run([sys.executable, "-m", "djxz"], capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["activities"]
    env.update(COMP_WORDS="djxz im", COMP_CWORD="1")
    out = subprocess.run([sys.executable, "-m", "djxz"], capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["import"]


def test_a_kind_the_zone_adds_is_in_the_template_and_imports(mini_zone: Path, tmp_path: Path) -> None:
    """zone.yaml `vocabulary:` adds 红色观影: the template's dropdown offers it and a row using it imports."""
    zone_yaml = mini_zone / "zone.yaml"
    zone_yaml.write_text(zone_yaml.read_text(encoding="utf-8") + "vocabulary:\n  activity_kinds: [红色观影]\n", encoding="utf-8")
    out = tmp_path / "模板.xlsx"
    assert run_cli("import", "--template", "activities", "-o", str(out), "--zone", str(mini_zone))[0] == 0
    book = load_workbook(out)
    ws = book["活动"]
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["E2:E2000"].endswith(',红色观影"')
    ws.append([dt.date(2024, 6, 5), None, "观看红色电影", "文化共育", "红色观影", "甲站", "乙站", 30, None, "集体观影。"])
    ws.append([dt.date(2024, 6, 6), None, "错字的形式", "文化共育", "红色观映", "甲站", None, 30, None, "错字。"])
    book.save(out)
    before = snapshot(mini_zone)
    code, stdout, err = run_cli("import", "activities", str(out), "--zone", str(mini_zone))
    assert code == 1 and "红色观映" in stdout + err and "红色观影" in stdout + err  # the typo's did-you-mean names the zone word
    assert snapshot(mini_zone) == before
    ws.delete_rows(3)
    book.save(out)
    code, stdout, err = run_cli("import", "activities", str(out), "--zone", str(mini_zone))
    assert code == 0, stdout + err
    [(rel, text)] = new_files(before, mini_zone).items()
    assert rel.startswith("activities/2024/2024-06-05-") and "kind: 红色观影\n" in text
