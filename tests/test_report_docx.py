"""DOCX documents read back with python-docx: the GB/T 9704-2012 page, fonts and sizes, page numbers, every section's
text, the bulletin's masthead and footer, overrides, template errors, and literal record text."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE_TODAY, ROOT, run_cli, write_zone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from report_zone import load, write_report_zone

from djxz.domain.periods import Period
from djxz.report import context as c
from djxz.report.mdblocks import blocks

MM = Mm(1)
TOLERANCE = Mm(0.5)


def _render(zone: Path, out: Path, *args: str) -> Path:
    code, _, stderr = run_cli(*args, "--zone", str(zone), "--out", str(out), "--format", "docx")
    assert code == 0, stderr
    files = sorted(out.glob("*.docx"))
    assert len(files) == 1, files
    return files[0]


@pytest.fixture(scope="module")
def report_zone(tmp_path_factory) -> Path:
    return write_report_zone(tmp_path_factory.mktemp("rz") / "repo" / "data")


@pytest.fixture(scope="module")
def half_year(report_zone: Path, tmp_path_factory) -> tuple[Document, dict]:
    with pytest.MonkeyPatch.context() as mp:  # module-scoped: the autouse isolation has not run yet
        mp.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
        path = _render(report_zone, tmp_path_factory.mktemp("out"), "brief", "--half-year", "--year", "2024",
                       "--half", "1", "--date", "2024-07-15")
    ctx = c.build_report_context(load(report_zone), Period("half", 2024, 1), dt.date(2024, 7, 15))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
        out = tmp_path_factory.mktemp("md")
        code, _, err = run_cli("brief", "--half-year", "--year", "2024", "--half", "1", "--date", "2024-07-15",
                               "--zone", str(report_zone), "--out", str(out), "--format", "md")
        assert code == 0, err
    ctx["markdown"] = next(out.glob("*.md")).read_text(encoding="utf-8")
    return Document(str(path)), ctx


@pytest.fixture(scope="module")
def bulletin(report_zone: Path, tmp_path_factory) -> Document:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJXZ_TODAY", EXAMPLE_TODAY)
        return Document(str(_render(report_zone, tmp_path_factory.mktemp("out"), "bulletin", "2024-03-15-dangke")))


# -- reading fonts back -------------------------------------------------------------------------------------------------

def font_of(doc: Document, paragraph) -> dict:
    """The effective run font of a paragraph's first run: run, then style chain, then document defaults."""
    layers = []
    if paragraph.runs and paragraph.runs[0]._r.rPr is not None:
        layers.append(paragraph.runs[0]._r.rPr)
    style = paragraph.style
    while style is not None:
        if style.element.rPr is not None:
            layers.append(style.element.rPr)
        style = style.base_style
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    layers.append(defaults)
    found: dict = {}
    for rpr in layers:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("eastAsia", "ascii", "hAnsi"):
                if fonts.get(qn(f"w:{attr}")) is not None:
                    found.setdefault(attr, fonts.get(qn(f"w:{attr}")))
            assert fonts.get(qn("w:eastAsiaTheme")) is None, "a theme font would override w:eastAsia"
        sz = rpr.find(qn("w:sz"))
        if sz is not None:
            found.setdefault("size", int(sz.get(qn("w:val"))) / 2)
        b = rpr.find(qn("w:b"))
        if b is not None:
            found.setdefault("bold", b.get(qn("w:val")) in (None, "1", "true"))
        color = rpr.find(qn("w:color"))
        if color is not None:
            found.setdefault("color", color.get(qn("w:val")))
    found.setdefault("bold", False)
    return found


def align_of(paragraph) -> str:
    """The effective alignment: the paragraph's own, else its style's."""
    style = paragraph.style
    align = paragraph.alignment
    while align is None and style is not None:
        align = style.paragraph_format.alignment
        style = style.base_style
    return align.name if align is not None else "LEFT"


def by_style(doc: Document, name: str) -> list:
    return [p for p in doc.paragraphs if p.style.name == name]


# -- the page -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report.docx", "plan.docx", "bulletin.docx"])
def test_the_page_is_a4_with_the_standards_margins_and_grid(name: str) -> None:
    doc = Document(str(ROOT / "templates" / name))
    s = doc.sections[0]
    for actual, mm in ((s.page_width, 210), (s.page_height, 297), (s.top_margin, 37), (s.left_margin, 28),
                       (s.right_margin, 26), (s.bottom_margin, 35)):
        assert abs(actual - Mm(mm)) <= TOLERANCE, (name, actual / MM, mm)
    grid = s._sectPr.find(qn("w:docGrid"))
    # A grid of lines only: LibreOffice gives 三号 characters two cells of a narrowed character grid (docs/layout.md).
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:charSpace")) is None
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    # 28 characters of 三号 in the 156 mm type area come from the text's character spacing: 16 pt plus w:spacing
    # (twentieths of a point) from the document defaults and the body style.
    body = doc.styles["公文正文"].element.rPr
    spacing = int(body.find(qn("w:spacing")).get(qn("w:val")))
    default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert int(default.find(qn("w:spacing")).get(qn("w:val"))) == spacing == -5
    cell = 16 + spacing / 20
    width_pt = (s.page_width - s.left_margin - s.right_margin) / 12700
    assert int(width_pt / cell) == 28
    assert doc.settings.odd_and_even_pages_header_footer is True


def test_the_rendered_report_keeps_the_page(half_year) -> None:
    doc, _ = half_year
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) <= TOLERANCE and abs(s.page_height - Mm(297)) <= TOLERANCE
    assert abs(s.top_margin - Mm(37)) <= TOLERANCE and abs(s.bottom_margin - Mm(35)) <= TOLERANCE
    assert abs(s.left_margin - Mm(28)) <= TOLERANCE and abs(s.right_margin - Mm(26)) <= TOLERANCE


def test_page_numbers_odd_right_even_left_in_si_hao_song(half_year) -> None:
    doc, _ = half_year
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "<w:instrText" in xml and " PAGE " in xml
        assert [fc.get(qn("w:fldCharType")) for fc in p._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert p.text == "— 1 —"
        assert p.alignment is not None and p.alignment.name.lower() == align
        ind = p._p.pPr.find(qn("w:ind"))
        assert ind.get(qn(f"w:{align}Chars")) is None  # twips only: every suite reads them alike
        assert ind.get(qn(f"w:{align}")) == "280"  # one 四号 (14 pt) character in
        font = font_of(doc, p)
        assert (font["eastAsia"], font["ascii"], font["size"]) == ("宋体", "宋体", 14)


# -- fonts and sizes ----------------------------------------------------------------------------------------------------

def test_title_body_and_heading_fonts(half_year) -> None:
    doc, ctx = half_year
    title = by_style(doc, "公文标题")
    assert [p.text for p in title] == [ctx["title"], "2024年上半年协作活动一览表", "2024年上半年轮值职责落实情况表"]
    assert align_of(title[0]) == "CENTER"
    expected = {
        "公文标题": ("方正小标宋简体", 22, False),
        "公文正文": ("仿宋_GB2312", 16, False),
        "一级标题": ("黑体", 16, False),
        "二级标题": ("楷体_GB2312", 16, False),
        "主送机关": ("仿宋_GB2312", 16, False),
        "发文机关署名": ("仿宋_GB2312", 16, False),
        "成文日期": ("仿宋_GB2312", 16, False),
    }
    for style, (font, size, bold) in expected.items():
        paragraphs = by_style(doc, style)
        assert paragraphs, style
        for p in paragraphs:
            f = font_of(doc, p)
            assert (f["eastAsia"], f["size"], f["bold"]) == (font, size, bold), (style, p.text, f)
    body = by_style(doc, "公文正文")[0]
    ppr = doc.styles["公文正文"].element.pPr
    # Two characters in: 2 x 15.75 pt (三号 less the -0.25 pt character spacing), in twips, no *Chars attribute.
    assert ppr.find(qn("w:ind")).get(qn("w:firstLine")) == "630"
    assert ppr.find(qn("w:ind")).get(qn("w:firstLineChars")) is None
    spacing = ppr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    lead = next(b for b in blocks(ctx["markdown"]) if b["kind"] == "p")
    assert body.text == lead["text"] and body.text.startswith("2024年上半年，协作区在中共测试市委的统一领导下")


# -- the text of every section ------------------------------------------------------------------------------------------

def test_every_section_of_the_half_year_report(half_year) -> None:
    """The DOCX says what the Markdown says, paragraph by paragraph, with the style of each block's kind."""
    doc, ctx = half_year
    styles = {"title": "公文标题", "addressee": "主送机关", "h1": "一级标题", "h2": "二级标题", "h3": "三级标题",
              "annex_note": "附件说明", "annex_mark": "附件标记", "annex_title": "公文标题", "signature": "发文机关署名",
              "date": "成文日期", "p": "公文正文"}
    expected = [(styles[b["kind"]], b.get("before", "") + b.get("lead", "") + b["text"])
                for b in blocks(ctx["markdown"], ctx["signature"], ctx["date"]) if b["kind"] != "table"]
    got = [(p.style.name, p.text) for p in doc.paragraphs]
    assert got == expected
    assert got[:2] == [("公文标题", ctx["title"]), ("主送机关", "协作区各成员单位、各共建单位：")]
    assert ("一级标题", "一、主要做法和成效") in got and ("二级标题", "（一）坚持组织共建，组织联建聚合化") in got
    assert ("发文机关署名", "中共乙站委员会") in got and ("成文日期", "2024年7月15日") in got


def test_the_tables_hold_the_numbers(half_year) -> None:
    doc, ctx = half_year
    tables = [b for b in blocks(ctx["markdown"]) if b["kind"] == "table"]
    assert len(doc.tables) == len(tables) == 2  # 附件1 活动一览表, 附件2 职责落实情况表
    for table, block in zip(doc.tables, tables):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows == [block["header"], *block["rows"]]
    activities = doc.tables[0]
    assert [cell.text for cell in activities.rows[0].cells] == ["序号", "日期", "活动", "类别", "主办单位", "参加单位", "人数"]
    assert [cell.text for cell in activities.rows[-1].cells][0] == "合计"
    assert len(activities.rows) == 1 + 3 + 1  # header, the three activities of 2024 H1, the total
    head = activities.rows[0].cells[0].paragraphs[0]
    assert font_of(doc, head)["eastAsia"] == "黑体"
    assert font_of(doc, activities.rows[1].cells[0].paragraphs[0])["eastAsia"] == "仿宋_GB2312"
    # The columns were sized to their text and fill the type area (156 mm = 8845 twips).
    grid = [int(col.get(qn("w:w"))) for col in activities._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 7 and abs(sum(grid) - 8845) <= 7 and grid[2] > grid[0]


def test_signature_and_date_indents_follow_the_standard(half_year) -> None:
    doc, _ = half_year
    sig, date = by_style(doc, "发文机关署名")[0], by_style(doc, "成文日期")[0]
    # "中共乙站委员会" is 7 characters, "2024年7月15日" 6.5: the date starts two characters right of the signature.
    # In characters of body text, 315 twips each (15.75 pt).
    sig_right = round(int(sig._p.pPr.find(qn("w:ind")).get(qn("w:right"))) / 315 * 2) / 2  # 1102.5 twips round to 1102
    date_right = int(date._p.pPr.find(qn("w:ind")).get(qn("w:right"))) / 315
    assert (sig_right, date_right) == (3.5, 2.0)
    assert (7 + sig_right) - (6.5 + date_right) == 2.0  # start of date = start of signature + 2 characters


def test_plan_document_sections(report_zone: Path, tmp_path: Path) -> None:
    doc = Document(str(_render(report_zone, tmp_path, "brief", "--plan", "--year", "2024")))
    # The notice, then the plan as its attachment on a new page, under its own title.
    assert [p.text.replace("\n", "") for p in by_style(doc, "公文标题")] == [  # a title's line breaks are layout
        "关于印发《测试协作区2024年度党建工作协作计划》的通知", "测试协作区2024年度党建工作协作计划",
    ]
    mark = by_style(doc, "附件标识")
    assert [p.text for p in mark] == ["附件"] and doc.styles["附件标识"].paragraph_format.page_break_before
    assert [p.text for p in by_style(doc, "一级标题")] == [
        "一、指导思想", "二、目标任务", "三、主要措施", "四、承办安排", "五、组织领导和轮值安排", "六、工作要求",
    ]
    assert [p.text for p in by_style(doc, "二级标题")][:5] == [
        "（一）组织共建", "（二）发展共谋", "（三）文化共育", "（四）教育共抓", "（五）资源共享",
    ]
    rotation = next(t for t in doc.tables if t.rows[0].cells[0].text == "年度")
    rows = [[cell.text for cell in row.cells] for row in rotation.rows]
    assert rows == [["年度", "轮值单位", "依据", "说明"], ["2024年", "乙站党委", "已记录", ""], ["2025年", "丙站党委", "推算", ""]]
    texts = [p.text for p in doc.paragraphs]
    assert "党建座谈会于3月5日召开，由乙站承办。" in "".join(texts)  # one meeting: no "全年1次"
    # The notice is signed and dated; the attachment is not signed again.
    assert [p.text for p in by_style(doc, "发文机关署名")] == ["测试总站机关党委"]
    assert [p.text for p in by_style(doc, "成文日期")] == ["2026年11月26日"]


# -- the bulletin -------------------------------------------------------------------------------------------------------

def test_bulletin_masthead(bulletin: Document) -> None:
    doc = bulletin
    name, number, line = (by_style(doc, s)[0] for s in ("简报名称", "简报期号", "简报编印"))
    assert name.text == "党建协作区工作简报"
    f = font_of(doc, name)
    assert (f["eastAsia"], f["color"], f["size"]) == ("方正小标宋简体", "FF0000", 42)
    assert align_of(name) == "CENTER"
    assert number.text == "第1期"
    assert line.text == "测试区轮值单位（乙站）编\t2024年3月20日"
    rule = doc.styles["简报编印"].element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:val")), rule.get(qn("w:color"))) == ("single", "FF0000")
    tab = doc.styles["简报编印"].element.pPr.find(qn("w:tabs")).find(qn("w:tab"))
    assert (tab.get(qn("w:val")), tab.get(qn("w:pos"))) == ("right", "8845")  # the date flush with the right edge
    title = by_style(doc, "公文标题")[0]
    assert title.text == "乙站举办联片党课"  # the issued record's title
    assert font_of(doc, title)["eastAsia"] == "方正小标宋简体"
    texts = [p.text for p in doc.paragraphs]
    assert "3月15日，乙站组织甲站、丙站共60人，举办联片党课，旨在交流党建工作经验，推动组织联建。" in texts
    assert "乙站主讲联片党课。" in texts


def test_bulletin_footer_between_rules(report_zone: Path, tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data", {"zone.yaml": _with_bulletin_settings()})
    doc = Document(str(_render(zone, tmp_path / "out", "bulletin", "2024-03-15-dangke")))
    closing = [p.text for p in by_style(doc, "版记")]
    assert closing == ["报：领导小组，测试总站政治处。", "送：测试市委组织部。", "发：各成员单位，各共建单位。"]
    copies = by_style(doc, "印数")
    assert [p.text for p in copies] == ["（共印25份）"]
    assert align_of(copies[0]) == "RIGHT"
    for style in ("版记", "印数"):
        bdr = doc.styles[style].element.pPr.find(qn("w:pBdr"))
        assert bdr.find(qn("w:top")) is not None and bdr.find(qn("w:bottom")) is not None, style
        assert font_of(doc, by_style(doc, style)[0])["size"] == 14
    # The footer block is the end of the document, in one frame at the foot of the type area (GB/T 9704 7.4), then
    # the empty paragraph the frame is anchored to.
    assert [p.text for p in doc.paragraphs][-5:] == closing + ["（共印25份）", ""]
    for p in doc.paragraphs[-5:-1]:
        frame = p._p.pPr.find(qn("w:framePr"))
        assert (frame.get(qn("w:vAnchor")), frame.get(qn("w:yAlign")), frame.get(qn("w:wrap"))) == \
            ("margin", "bottom", "notBeside")
        assert frame.get(qn("w:w")) == "8845"  # the width of the type area


def _with_bulletin_settings() -> str:
    from conftest import MINI_ZONE

    return MINI_ZONE["zone.yaml"].rstrip(" ") + """\
        bulletin:
          name: 测试协作区党建工作简报专刊
          report_to:
            - 领导小组
            - 测试总站政治处
          send_to:
            - 测试市委组织部
          distribute_to:
            - 各成员单位
            - 各共建单位
          copies: 25
        """


def test_a_long_masthead_name_is_made_to_fit_one_line(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data", {"zone.yaml": _with_bulletin_settings()})
    doc = Document(str(_render(zone, tmp_path / "out", "bulletin", "2024-03-15-dangke")))
    name = by_style(doc, "简报名称")[0]
    assert name.text == "测试协作区党建工作简报专刊"  # 13 characters: 42 pt would need 546 pt, the line has 442
    assert name.runs[0].font.size.pt == 34


# -- overrides, errors and literal text ---------------------------------------------------------------------------------

def test_a_zone_docx_template_overrides_the_default(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    zone = write_report_zone(repo / "data")
    custom = Document()
    custom.add_paragraph("本单位模板：{{ title }}")
    (repo / "templates").mkdir()
    custom.save(str(repo / "templates" / "report.docx"))
    doc = Document(str(_render(zone, tmp_path / "out", "brief", "--annual", "--year", "2024")))
    assert [p.text for p in doc.paragraphs] == ["本单位模板：关于测试协作区2024年度工作情况的通报"]


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ zone.nmae }}", "模板引用了不存在的字段“nmae”"),
    ("{{ ''.__class__.__mro__ }}", "已被沙箱拒绝"),
    ("{% for x in %}", "模板语法错误"),
])
def test_docx_template_errors_name_the_template_and_line(tmp_path: Path, text: str, expected: str) -> None:
    repo = tmp_path / "repo"
    zone = write_report_zone(repo / "data")
    custom = Document()
    custom.add_paragraph("第一段")
    custom.add_paragraph(text)
    (zone / "templates").mkdir()
    custom.save(str(zone / "templates" / "report.docx"))
    out = tmp_path / "out"
    code, stdout, err = run_cli("brief", "--half-year", "--zone", str(zone), "--out", str(out))
    assert code == 1
    assert err.startswith("错误：模板 report.docx 第 "), err
    assert expected in err
    assert "Traceback" not in err + stdout
    assert not out.exists()  # the Markdown was fine, but nothing is written when one format fails


def test_a_broken_docx_template_is_a_clean_error(tmp_path: Path) -> None:
    zone = write_report_zone(tmp_path / "repo" / "data")
    write_zone(zone, {"templates/report.docx": "这不是 DOCX"})
    code, _, err = run_cli("brief", "--half-year", "--zone", str(zone), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("错误：模板 report.docx 不是有效的 DOCX 文件")


@pytest.mark.parametrize("args", [
    ["brief", "--half-year", "--year", "2024", "--half", "1"],
    ["brief", "--annual", "--year", "2024"],
    ["brief", "--plan", "--year", "2024"],
    ["bulletin", "2024-05-20-shuhua"],
], ids=["half-year", "annual", "plan", "bulletin"])
def test_special_characters_in_every_text_field_keep_the_docx_valid_and_literal(tmp_path: Path, args: list) -> None:
    from lxml import etree
    from test_report_markdown import SPECIAL, special_zone

    zone = special_zone(tmp_path / "repo" / "data")
    path = _render(zone, tmp_path / "out", *args)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                etree.fromstring(z.read(name))  # every part is well-formed XML
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs] + [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    everything = "\n".join(texts)
    assert everything.count(SPECIAL) >= 3, everything
    assert "49" not in everything
    assert doc.core_properties.title.count(SPECIAL) >= 1


def test_the_committed_templates_are_what_the_script_generates() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_docx_templates.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr


def test_output_is_reproducible(report_zone: Path, tmp_path: Path) -> None:
    a = _render(report_zone, tmp_path / "a", "brief", "--plan", "--year", "2024").read_bytes()
    b = _render(report_zone, tmp_path / "b", "brief", "--plan", "--year", "2024").read_bytes()
    assert a == b
