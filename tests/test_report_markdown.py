"""Markdown documents: golden files for the example zone, template overrides, the sandbox, and literal record text.

Refresh the golden files only on purpose, and review the diff: `pytest tests/test_report_markdown.py --update-golden`
(or DJXZ_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write_zone
from report_zone import write_report_zone

GOLDEN = ROOT / "tests" / "golden"

# (golden file, djxz arguments): the example zone at DJXZ_TODAY = 2026-11-26.
EXAMPLE_DOCUMENTS = [
    ("brief-half-year-2026-H1.md", ["brief", "--half-year"]),
    ("brief-annual-2025.md", ["brief", "--annual"]),
    ("brief-plan-2026.md", ["brief", "--plan", "--year", "2026"]),
    ("bulletin-2026-5.md", ["bulletin", "2026-03-25-lianpian-dangke"]),
    ("bulletin-2026-new.md", ["bulletin", "2026-10-28-chuneng-dongji-xunjian"]),
]


def _render(zone: Path, out: Path, *args: str) -> str:
    code, stdout, stderr = run_cli(*args, "--zone", str(zone), "--out", str(out), "--format", "md")
    assert code == 0, stderr
    files = sorted(out.glob("*.md"))
    assert len(files) == 1, files
    return files[0].read_text(encoding="utf-8")


def _check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} 不存在：运行一次 pytest --update-golden，审阅后提交"
    assert text == path.read_text(encoding="utf-8"), f"{name} 与输出不一致；如是有意的改动，运行 pytest --update-golden 并审阅差异"


@pytest.mark.parametrize(("golden", "args"), EXAMPLE_DOCUMENTS, ids=[g for g, _ in EXAMPLE_DOCUMENTS])
def test_example_zone_documents_equal_their_golden_files(example_zone: Path, tmp_path: Path, golden: str, args: list,
                                                          update_golden: bool) -> None:
    text = _render(example_zone, tmp_path / "out", *args)
    _check_golden(golden, text, update_golden)


def test_half_year_report_of_the_example_zone_names_its_duty_unit(example_zone: Path, tmp_path: Path) -> None:
    text = _render(example_zone, tmp_path / "out", "brief", "--half-year")
    assert text.startswith("**伊犁河谷协作区文件**") and "\n# 关于伊犁河谷协作区2026年上半年" in text  # the 版头 first
    assert "由轮值单位昭苏边境管理站组织实施" in text
    for heading in ("## 一、主要做法和成效", "## 二、经验做法", "## 三、职责落实", "## 四、表扬", "## 五、存在的问题",
                    "## 六、下步打算", "# 2026年上半年协作活动一览表", "# 2026年上半年轮值职责落实情况表"):
        assert heading in text
    assert re.search(r"\n中共昭苏边境管理站委员会\n\n2026年\d{1,2}月\d{1,2}日\n\n附件1\n", text)
    assert text.endswith("伊犁河谷协作区领导小组办公室\u3000\u30002026年7月24日印发\n\n（共印20份）\n")  # the 版记


# -- template lookup ----------------------------------------------------------------------------------------------------

def test_a_zone_template_overrides_the_default_by_name(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    zone = write_report_zone(repo / "data")
    write_zone(repo, {"templates/report.md.j2": "仓库模板：{{ title }}\n"})
    out = tmp_path / "out"
    assert _render(zone, out, "brief", "--half-year", "--year", "2024", "--half", "1") == "仓库模板：关于测试协作区2024年上半年工作情况的通报\n"
    # A template inside the zone directory is more specific than the repository's.
    write_zone(zone, {"templates/report.md.j2": "协作区模板：{{ period.label }}\n"})
    assert _render(zone, tmp_path / "out2", "brief", "--half-year", "--year", "2024", "--half", "1") == "协作区模板：2024年上半年\n"
    # Other documents still use the defaults.
    assert _render(zone, tmp_path / "out3", "brief", "--plan", "--year", "2024").startswith("# 关于印发《测试协作区2024年度党建工作协作计划》的通知\n")


def test_template_option_picks_a_named_template_and_extends_the_default(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    zone = write_report_zone(repo / "data")
    write_zone(repo, {"templates/short.md.j2": "{% include 'plan.md.j2' %}\n附：{{ duty_unit.short_name }}\n"})
    text = _render(zone, tmp_path / "out", "brief", "--plan", "--year", "2024", "--template", "short")
    assert text.startswith("# 关于印发《测试协作区2024年度党建工作协作计划》的通知\n")
    assert text.endswith("附：乙站\n")
    code, _, err = run_cli("brief", "--plan", "--year", "2024", "--zone", str(zone), "--out", str(tmp_path / "o"),
                           "--format", "md", "--template", "nosuch")
    assert code == 2
    assert "找不到模板 nosuch.md.j2" in err


# -- the sandbox and StrictUndefined ------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ title.__class__.__base__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% set x = categories.append(1) %}{{ x }}",
])
def test_a_sandbox_escape_fails_cleanly_and_writes_nothing(tmp_path: Path, body: str) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    write_zone(zone, {"templates/report.md.j2": f"# 标题\n\n第三行 {body}\n"})
    out = tmp_path / "out"
    code, stdout, err = run_cli("brief", "--half-year", "--zone", str(zone), "--out", str(out))
    assert code == 1
    assert err.startswith("错误：模板 report.md.j2 第 3 行"), err
    assert "Traceback" not in err and "Traceback" not in stdout
    assert not out.exists()


def test_a_missing_field_names_the_template_and_line(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    write_zone(zone, {"templates/report.md.j2": "# {{ title }}\n\n{{ zone.nmae }}\n"})
    code, _, err = run_cli("brief", "--half-year", "--zone", str(zone), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.strip() == "错误：模板 report.md.j2 第 3 行（“{{ zone.nmae }}”）：模板引用了不存在的字段“nmae”"


def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    write_zone(zone, {"templates/report.md.j2": "一\n二\n{% for x in %}\n"})
    code, _, err = run_cli("brief", "--half-year", "--zone", str(zone), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("错误：模板 report.md.j2 第 3 行"), err
    assert "模板语法错误" in err


def test_an_error_in_an_included_template_names_that_template(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    write_zone(zone, {"templates/report.md.j2": "{% include 'part.md.j2' %}\n", "templates/part.md.j2": "一\n{{ nope }}\n"})
    code, _, err = run_cli("brief", "--half-year", "--zone", str(zone), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("错误：模板 part.md.j2 第 2 行"), err


# -- record text is data, never markup or template ----------------------------------------------------------------------

SPECIAL = """&amp; <b>粗</b> "双" '单' {{ 7*7 }} {% if 1 %}是{% endif %} | *星* _线_ [链](x) `码` # 井"""


def special_zone(root: Path) -> Path:
    """Every text field that reaches a document holds SPECIAL (YAML single quotes: '' is one ')."""
    s = "'" + SPECIAL.replace("'", "''") + "'"
    return write_report_zone(root, {
        "zone.yaml": _zone_yaml(s),
        "units/alpha.yaml": f"""\
            id: alpha
            name: {s}
            short_name: {s}
            type: 站所
            role: 成员单位
            joined: 2023-03-01
            party_org:
              name: {s}
            """,
        "plans/2024.yaml": f"""\
            year: 2024
            duty_unit: beta
            theme: {s}
            goals:
              - {s}
            items:
              - id: 2024-forum-03
                title: 3月份党建座谈会
                kind: 月度党建座谈
                category: 组织共建
                date: 2024-03-05
              - id: 2024-sing
                title: {s}
                kind: 文体活动
                category: 文化共育
                month: 2024-09
                host: alpha
                note: {s}
            """,
        "activities/2024/2024-05-20-shuhua.yaml": f"""\
            id: 2024-05-20-shuhua
            date: 2024-05-20
            title: {s}
            category: 文化共育
            kind: 文体活动
            hosts:
              - alpha
            participants:
              - partner
            location: {s}
            summary: {s}
            practices:
              - {s}
            """,
        "documents/2024/2024-05-25-jianbao-di2qi.yaml": f"""\
            id: 2024-05-25-jianbao-di2qi
            kind: 信息简报
            title: {s}
            date: 2024-05-25
            issuer: alpha
            number: 2
            activities:
              - 2024-05-20-shuhua
            """,
    })


def _zone_yaml(s: str) -> str:
    from conftest import MINI_ZONE

    text = MINI_ZONE["zone.yaml"].replace("name: 测试协作区", f"name: {s}").replace("short_name: 测试区", f"short_name: {s}")
    text = text.replace("political_office: 测试总站政治处", f"political_office: {s}")
    text = text.replace("    name: 张三", f"    name: {s}").replace("    title: 党委书记", f"    title: {s}")
    return text.rstrip(" ") + f"""\
        bulletin:
          name: {s}
          report_to:
            - {s}
          send_to:
            - {s}
          distribute_to:
            - {s}
          copies: 20
        """


SPECIAL_RUNS = [
    ["brief", "--half-year", "--year", "2024", "--half", "1"],
    ["brief", "--annual", "--year", "2024"],
    ["brief", "--plan", "--year", "2024"],
    ["bulletin", "2024-05-20-shuhua"],
]


@pytest.mark.parametrize("args", SPECIAL_RUNS, ids=["half-year", "annual", "plan", "bulletin"])
def test_special_characters_in_every_text_field_render_literally_in_markdown(tmp_path: Path, args: list) -> None:
    from markdown_it import MarkdownIt

    zone = special_zone(tmp_path / "repo" / "data")
    text = _render(zone, tmp_path / "out", *args)
    assert "49" not in text  # nothing was evaluated
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<b>" not in rendered and "<em>" not in rendered and "<code>" not in rendered and "<a " not in rendered
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert visible.count(SPECIAL) >= 3, visible


def test_template_option_takes_a_path_for_both_formats(tmp_path: Path) -> None:
    from docx import Document

    zone = write_report_zone(tmp_path / "repo" / "data")
    mine = tmp_path / "mine"
    write_zone(mine, {"notice.md.j2": "通知：{{ title }}\n"})
    custom = Document()
    custom.add_paragraph("通知：{{ title }}")
    custom.save(str(mine / "notice.docx"))
    out = tmp_path / "out"
    code, _, err = run_cli("brief", "--plan", "--year", "2024", "--zone", str(zone), "--out", str(out),
                           "--template", str(mine / "notice"))
    assert code == 0, err
    title = "关于印发《测试协作区2024年度党建工作协作计划》的通知"  # the built-in template's title block
    assert (out / "2024年度协作区党建工作协作计划.md").read_text(encoding="utf-8") == f"通知：{title}\n"
    assert [p.text for p in Document(str(out / "2024年度协作区党建工作协作计划.docx")).paragraphs] == [f"通知：{title}"]
    code, _, err = run_cli("brief", "--plan", "--year", "2024", "--zone", str(zone), "--out", str(out),
                           "--template", str(tmp_path / "nowhere" / "x.md.j2"))
    assert code == 2
    assert "找不到模板文件" in err


@pytest.mark.parametrize(("golden", "args"), EXAMPLE_DOCUMENTS[:2], ids=[g for g, _ in EXAMPLE_DOCUMENTS[:2]])
def test_a_warm_report_reads_only_its_years_and_still_equals_the_golden_file(example_zone: Path, tmp_path: Path,
                                                                              golden: str, args: list) -> None:
    from djxz.app.check import check_zone

    check_zone(example_zone, dt.date(2026, 11, 26))  # the zone is checked and cached: the report reads few years
    text = _render(example_zone, tmp_path / "out", *args)
    assert text == (GOLDEN / golden).read_text(encoding="utf-8")
    zone = check_zone(example_zone, dt.date(2026, 11, 26), need_zone=True, since=2025).zone
    assert zone is not None and zone.activities and min(a.date.year for a in zone.activities) == 2025
