"""`djxz brief` and `djxz bulletin` on the command line: defaults, file names, refusals, bulletin numbers, --issue."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write_zone
from report_zone import write_report_zone

HALF_YEAR_FILES = ["2026年上半年协作区工作情况通报.docx", "2026年上半年协作区工作情况通报.md"]


def test_brief_half_year_on_the_example_zone_writes_both_formats_to_out(example_zone: Path) -> None:
    # The example zone sits in <tmp>/data, so its repository root is <tmp> and the default output folder <tmp>/out.
    code, stdout, stderr = run_cli("brief", "--half-year", "--zone", str(example_zone))
    assert code == 0, stderr
    out = example_zone.parent / "out"
    assert sorted(p.name for p in out.iterdir()) == HALF_YEAR_FILES
    assert "期间：2026年上半年，轮值单位：昭苏边境管理站" in stdout
    for name in HALF_YEAR_FILES:
        assert name in stdout
    # The example zone issues its reports as 文件: the 版头 (mark and 发文字号) comes before the title.
    md = (out / HALF_YEAR_FILES[1]).read_text(encoding="utf-8")
    assert md.startswith("**伊犁河谷协作区文件**\n\n伊协〔2026〕6号\n") and "\n# 关于" in md


def test_brief_finds_the_zone_from_the_current_directory(example_zone: Path) -> None:
    code, _, stderr = run_cli("brief", "--annual", "--format", "md", "--no-charts", cwd=example_zone.parent)
    assert code == 0, stderr
    assert [p.name for p in (example_zone.parent / "out").iterdir()] == ["2025年度协作区工作情况通报.md"]


def test_brief_needs_exactly_one_document_kind(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "zone")
    for args in ([], ["--half-year", "--annual"]):
        code, _, err = run_cli("brief", *args, "--zone", str(zone))
        assert code == 2
        assert "请指定 --half-year、--annual、--plan 中的一个" in err
    code, _, err = run_cli("brief", "--annual", "--half", "1", "--zone", str(zone))
    assert code == 2 and "--half 只能与 --half-year 一起使用" in err
    code, _, err = run_cli("brief", "--half-year", "--format", "odt", "--zone", str(zone))
    assert code == 2 and "--format 只能是" in err


def test_format_and_out_options(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "zone")
    out = tmp_path / "目标"
    code, stdout, stderr = run_cli("brief", "--plan", "--year", "2024", "--zone", str(zone), "--out", str(out), "--format", "docx")
    assert code == 0, stderr
    assert [p.name for p in out.iterdir()] == ["2024年度协作区党建工作协作计划.docx"]
    # Rendering again replaces the file whole; nothing else is left behind.
    code, _, _ = run_cli("brief", "--plan", "--year", "2024", "--zone", str(zone), "--out", str(out), "--format", "docx")
    assert code == 0
    assert [p.name for p in out.iterdir()] == ["2024年度协作区党建工作协作计划.docx"]


def test_a_zone_with_errors_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data", {"activities/2024/2024-06-01-bad.yaml": """\
        id: 2024-06-01-bad
        date: 2024-06-01
        title: 坏记录
        category: 组织共建
        kind: 联片党课
        hosts:
          - nosuch
        summary: 主办单位不存在。
        """})
    for args in (["brief", "--half-year"], ["brief", "--plan", "--year", "2024"], ["bulletin", "2024-03-15-dangke"]):
        code, stdout, err = run_cli(*args, "--zone", str(zone))
        assert code == 1, args
        assert err.startswith("错误：协作区数据有 1 个错误，请先运行 djxz check 修正。")
        assert "activities/2024/2024-06-01-bad.yaml" in err
    assert not (tmp_path / "repo" / "out").exists()


def test_a_plan_that_was_never_entered_is_refused(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "zone")
    code, _, err = run_cli("brief", "--plan", "--year", "2023", "--zone", str(zone))
    assert code == 1
    assert "没有 2023 年度协作计划（plans/2023.yaml）；已有的年度：2024、2025" in err


def test_a_period_that_has_not_started_is_a_usage_error(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "zone")
    code, _, err = run_cli("brief", "--half-year", "--year", "2027", "--half", "1", "--zone", str(zone))
    assert code == 2
    assert "2027年上半年还没有开始" in err


# -- bulletins ----------------------------------------------------------------------------------------------------------

def test_a_recorded_bulletin_keeps_its_number(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    code, stdout, err = run_cli("bulletin", "2024-03-15-dangke", "--zone", str(zone), "--format", "md")
    assert code == 0, err
    out = tmp_path / "repo" / "out"
    assert [p.name for p in out.iterdir()] == ["2024年第1期信息简报.md"]
    text = (out / "2024年第1期信息简报.md").read_text(encoding="utf-8")
    assert "**第1期**" in text and "2024年3月20日" in text and "## 乙站举办联片党课" in text
    assert "期号：第1期，" in stdout
    assert "按已印发的记录 documents/2024/2024-03-20-jianbao-di1qi.yaml 生成" in stdout


def test_a_new_bulletin_gets_the_next_free_number_provisionally(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    # DJXZ_TODAY is 2026-11-26: no 2026 bulletin is recorded, so the next free number of 2026 is 1.
    code, stdout, err = run_cli("bulletin", "2024-03-05-zuotan", "--zone", str(zone), "--format", "md")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "repo" / "out").iterdir()] == ["2026年第1期信息简报（期号待定）.md"]
    assert "第1期是暂定期号" in stdout
    # Dated in 2024, after 第1期 and 第2期: 第3期.
    code, stdout, _ = run_cli("bulletin", "2024-03-05-zuotan", "--zone", str(zone), "--format", "md", "--date", "2024-06-01")
    assert "2024年第3期信息简报（期号待定）.md" in stdout
    assert not (zone / "documents" / "2024" / "2024-06-01-jianbao-di3qi.yaml").exists()


def test_recorded_and_new_activities_make_separate_bulletins(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    code, stdout, err = run_cli("bulletin", "2024-05-20-shuhua", "2024-03-05-zuotan", "--zone", str(zone),
                                "--format", "md", "--date", "2024-06-01")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "repo" / "out").iterdir())
    assert names == ["2024年第2期信息简报.md", "2024年第3期信息简报（期号待定）.md"]


def test_issue_records_the_number_and_the_zone_stays_valid(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    code, stdout, err = run_cli("bulletin", "2024-03-05-zuotan", "--issue", "--date", "2024-06-01", "--zone", str(zone),
                                "--format", "md")
    assert code == 0, err
    record = zone / "documents" / "2024" / "2024-06-01-jianbao-di3qi.yaml"
    assert record.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/document.schema.json\n"
        "id: 2024-06-01-jianbao-di3qi\n"
        "kind: 信息简报\n"
        "title: 协作区召开3月份党建座谈会\n"
        "date: 2024-06-01\n"
        "issuer: beta\n"
        "number: 3\n"
        "period: '2024'\n"
        "activities:\n"
        "  - 2024-03-05-zuotan\n"
    )
    assert [p.name for p in (tmp_path / "repo" / "out").iterdir()] == ["2024年第3期信息简报.md"]
    assert "documents/2024/2024-06-01-jianbao-di3qi.yaml" in stdout
    code, _, err = run_cli("check", "--zone", str(zone))
    assert code == 0, err
    # From now on the activity has a recorded bulletin: the same number, and no second record.
    code, stdout, _ = run_cli("bulletin", "2024-03-05-zuotan", "--issue", "--zone", str(zone), "--format", "md")
    assert code == 0
    assert "按已印发的记录 documents/2024/2024-06-01-jianbao-di3qi.yaml 生成（2024年第3期）" in stdout
    assert len(list((zone / "documents" / "2024").iterdir())) == 3


def test_unknown_activities_are_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "zone")
    code, _, err = run_cli("bulletin", "2024-03-05-zuotna", "--zone", str(zone))
    assert code == 2
    assert "找不到活动“2024-03-05-zuotna”（是不是“2024-03-05-zuotan”？）" in err
    code, _, err = run_cli("bulletin", "--zone", str(zone))
    assert code == 2


def test_rich_markup_in_a_title_is_printed_as_text(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "zone", {"documents/2024/2024-03-20-jianbao-di1qi.yaml": """\
        id: 2024-03-20-jianbao-di1qi
        kind: 信息简报
        title: '[bold red]标题[/bold red] [/]'
        date: 2024-03-20
        number: 1
        activities:
          - 2024-03-15-dangke
        """})
    code, stdout, err = run_cli("bulletin", "2024-03-15-dangke", "--zone", str(zone), "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert "[bold red]标题[/bold red] [/]" in stdout


def test_templates_that_fail_leave_earlier_output_untouched(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    out = tmp_path / "repo" / "out"
    code, _, _ = run_cli("brief", "--half-year", "--zone", str(zone), "--format", "md")
    assert code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_zone(zone, {"templates/report.md.j2": "{{ nope }}\n"})
    code, _, err = run_cli("brief", "--half-year", "--zone", str(zone), "--format", "md")
    assert code == 1 and "模板引用了不存在的字段“nope”" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
