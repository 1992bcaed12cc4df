#!/usr/bin/env python3
"""Generate the DOCX templates in templates/ (report, plan, bulletin) in the GB/T 9704-2012 layout, with python-docx.

The layout lives here as code so it can be reviewed; the generated files are committed. Run after changing this file:

    python tools/make_docx_templates.py            # writes templates/*.docx
    python tools/make_docx_templates.py --check    # exits 1 when a committed template differs from what this makes

The numbers come from GB/T 9704-2012 (see the project's notes on the standard): A4; margins top 37, left 28, right 26,
bottom 35 mm; 22 lines of 28 characters; title 二号 方正小标宋简体; body 三号 仿宋_GB2312; headings 黑体 / 楷体_GB2312 /
仿宋_GB2312 bold; page numbers "— 1 —" in 四号 宋体, odd pages right, even pages left, one character in.
East Asian font names go on w:eastAsia as well as w:ascii/w:hAnsi, or Word and WPS fall back to another font.
The templates use docxtpl tags ({{ }}, {%p %}, {%tr %}) over the context built in djxz/report/context.py.
The page, grid and styles are in tools/docx_layout.py (docs/layout.md says why they are built that way).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Pt, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent))  # docx_layout beside this script, however it is run
from docx_layout import (  # noqa: E402
    CLOSING_LINE_PT, FANGSONG, LINE_PITCH, PPR_SEQ, RED, SIZE, TYPE_WIDTH_TWIPS, XBS, _el, _insert_ordered,
    char_twips, new_document, paragraph_style, set_border, set_indent,
)

from djxz.report.docx import reproducible_zip  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates"

# -- building blocks of the templates -----------------------------------------------------------------------------------

def para(doc, text: str, style: str):
    """A paragraph of one run: a docxtpl tag must not be split across runs."""
    p = doc.add_paragraph(style=doc.styles[style])
    if text:
        p.add_run(text)
    return p


def tag(doc, text: str, style: str = "公文正文"):
    """A paragraph holding only a docxtpl {%p %} tag: docxtpl replaces the whole paragraph by the tag."""
    return para(doc, text, style)


def each(doc, loop: str, text: str, style: str = "公文正文") -> None:
    """One body paragraph repeated for each item: `{%p for <loop> %}`, the paragraph, `{%p endfor %}`."""
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, text, style)
    tag(doc, "{%p endfor %}")


def table(doc, headers: list[str], cells: list[str], widths_chars: list[float], loop: str):
    """A table with a header row and one templated row repeated by `{%tr for ... %}`."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    total = sum(widths_chars)
    widths = [Twips(round(TYPE_WIDTH_TWIPS * w / total)) for w in widths_chars]
    for row in t.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    for col, width in zip(t.columns, widths):
        col.width = width
    header = t.rows[0]
    trpr = header._tr.get_or_add_trPr()
    trpr.append(_el("w:tblHeader"))
    for cell, text in zip(header.cells, headers):
        cell.paragraphs[0].style = doc.styles["表头文字"]
        cell.paragraphs[0].add_run(text)
    t.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for row in {loop} %}}")
    for cell, text in zip(t.rows[2].cells, cells):
        cell.paragraphs[0].style = doc.styles["表格文字"]
        cell.paragraphs[0].add_run(text)
    t.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for r in (1, 3):
        for cell in t.rows[r].cells:
            cell.paragraphs[0].style = doc.styles["表格文字"]
    return t


def closing_lines(doc) -> None:
    """Signature and date, right-aligned; djxz/report/docx.py sets their right indents to the standard's rule."""
    para(doc, "{{ signature }}", "发文机关署名")
    para(doc, "{{ date }}", "成文日期")


# -- 版头 and 版记 (GB/T 9704 7.2 and 7.4) ----------------------------------------------------------------------------

def masthead_styles(doc) -> None:
    """The issuing mark (发文机关标志) and the document number (发文字号) with the red rule under it."""
    p = paragraph_style
    # The mark's top 35 mm below the type area's top: 99 pt, less the room above the glyphs in its 60 pt line.
    p(doc, "发文机关标志", "GwIssuerMark", XBS, SIZE["初号"], align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=Pt(60),
      before=round((99 - 9) * 20), snap=False)
    # Two blank lines under the mark, the red rule 4 mm under the number, two blank lines to the title.
    number = p(doc, "发文字号", "GwDocNumber", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.CENTER,
               before=2 * int(LINE_PITCH.twips), after=2 * int(LINE_PITCH.twips))
    ppr = number.element.get_or_add_pPr()
    bdr = _el("w:pBdr")
    bdr.append(_el("w:bottom", val="single", sz=12, space=6, color="FF0000"))  # 1.5 pt; 6 pt + the line's descent
    _insert_ordered(ppr, bdr, PPR_SEQ)


def masthead(doc) -> None:
    """{%p if issue.header %}: the mark and the number (伊协〔2026〕3号, or its blank on a draft)."""
    tag(doc, "{%p if issue.header %}", "发文字号")
    para(doc, "{{ issue.mark }}", "发文机关标志")
    para(doc, "{{ issue.number_text }}", "发文字号")
    tag(doc, "{%p endif %}", "发文字号")


def closing_styles(doc) -> None:
    """版记 lines in 四号 仿宋 between black rules (0.35 mm = 8 eighths of a point), the text one character in."""
    p = paragraph_style
    closing = p(doc, "版记", "GwClosing", FANGSONG, SIZE["四号"], align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(CLOSING_LINE_PT),
                snap=False)
    # One box: consecutive paragraphs with the same rules share them, so the first line gets the top rule and the last
    # the bottom one (GB/T 9704-2012 7.4.1: the rules run the full width of the type area).
    set_border(closing.element.get_or_add_pPr(), {"top": (8, "000000"), "bottom": (8, "000000")})
    set_indent(closing.element.get_or_add_pPr(), first_chars=1, font_pt=SIZE["四号"])
    closing.paragraph_format.tab_stops.add_tab_stop(Twips(TYPE_WIDTH_TWIPS - char_twips(SIZE["四号"])),
                                                    WD_TAB_ALIGNMENT.RIGHT)
    copies = p(doc, "印数", "GwCopies", FANGSONG, SIZE["四号"], align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(CLOSING_LINE_PT),
               snap=False)
    set_border(copies.element.get_or_add_pPr(), {"top": (8, "000000"), "bottom": (8, "000000")})
    set_indent(copies.element.get_or_add_pPr(), right_chars=1, font_pt=SIZE["四号"])
    # The paragraph a frame is anchored to: the document must not end inside the frame. 1 pt high, so it never takes
    # a page of its own.
    p(doc, "版记锚点", "GwClosingAnchor", FANGSONG, 1, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(1), snap=False)


def at_page_foot(paragraph) -> None:
    """Put a 版记 paragraph in the frame at the foot of the type area (GB/T 9704 7.4: the last rule on the bottom edge of
    the type area, on the last page). Consecutive paragraphs with the same frame properties make one frame, in Word,
    WPS and LibreOffice alike; the body text never runs beside it (notBeside), so a long body pushes it to a new
    page instead of under it."""
    ppr = paragraph._p.get_or_add_pPr()
    frame = _el("w:framePr", w=TYPE_WIDTH_TWIPS, wrap="notBeside", vAnchor="margin", hAnchor="margin",
                xAlign="center", yAlign="bottom")
    _insert_ordered(ppr, frame, PPR_SEQ)


def framed(doc, text: str, style: str):
    p = para(doc, text, style)
    at_page_foot(p)
    return p


def closing_block(doc, lines: list[str], copies: str | None, guard: str) -> None:
    """The 版记 at the foot of the last page: each of `lines` (a context expression, dropped when empty), then the
    copies line. Each line is a one-run paragraph so that docxtpl tags are never split."""
    tag(doc, f"{{%p if {guard} %}}", "版记锚点")
    for line in lines:
        tag(doc, f"{{%p if {line.split('|')[0]} %}}", "版记")
        if "|" in line:  # printer and date on one line: the date is pushed right by the style's right tab
            left, right = line.split("|")
            p = framed(doc, f"{{{{ {left} }}}}", "版记")
            p.add_run().add_tab()
            p.add_run(f"{{{{ {right} }}}}")
        else:
            framed(doc, f"{{{{ {line} }}}}", "版记")
        tag(doc, "{%p endif %}", "版记")
    if copies:
        tag(doc, f"{{%p if {copies} %}}", "印数")
        framed(doc, f"{{{{ {copies} }}}}", "印数")
        tag(doc, "{%p endif %}", "印数")
    para(doc, "", "版记锚点")
    tag(doc, "{%p endif %}", "版记锚点")


# -- the three templates ------------------------------------------------------------------------------------------------

def report_template():
    """The half-year and full-year summary report (总结通报): context from build_report_context."""
    doc = new_document()
    masthead_styles(doc)
    closing_styles(doc)
    masthead(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "主送机关")
    para(doc, "{{ intro }}", "公文正文")

    para(doc, "{{ headings.overview }}", "一级标题")
    each(doc, "p in overview.paragraphs", "{{ p }}")
    table(doc, ["类别", "活动（次）", "参加（人次）"], ["{{ row.name }}", "{{ row.count }}", "{{ row.attendance }}"],
          [4, 3, 3], "overview.by_category")

    para(doc, "{{ headings.categories }}", "一级标题")
    tag(doc, "{%p for cat in categories %}")
    para(doc, "{{ cat.heading }}", "二级标题")
    para(doc, "{{ cat.lead }}", "公文正文")
    tag(doc, "{%p for act in cat.activities %}")
    para(doc, "{{ act.line }}{{ '（亮点活动）' if act.highlight else '' }}", "公文正文")
    each(doc, "p in act.summary", "{{ p }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if cat.practices %}")
    para(doc, "经验做法", "三级标题")
    each(doc, "p in cat.practices", "（{{ loop.index }}）{{ p.text }}（{{ p.date }}，{{ p.activity }}）")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    para(doc, "{{ headings.duties }}", "一级标题")
    each(doc, "p in duties.paragraphs", "{{ p }}")
    each(doc, "line in duties.lines", "（{{ loop.index }}）{{ line }}")

    para(doc, "{{ headings.units }}", "一级标题")
    table(doc, ["单位", "主办（次）", "参加（次）", "合计（次）", "备注"],
          ["{{ row.name }}", "{{ row.hosted }}", "{{ row.joined }}", "{{ row.total }}", "{{ row.note }}"],
          [7, 3, 3, 3, 5], "units.rows")

    para(doc, "{{ headings.problems }}", "一级标题")
    each(doc, "p in problems", "（{{ loop.index }}）{{ p }}")

    para(doc, "{{ headings.next }}", "一级标题")
    para(doc, "{{ next.lead }}", "公文正文")
    tag(doc, "{%p if next.theme %}")
    para(doc, "年度主题：{{ next.theme }}", "公文正文")
    tag(doc, "{%p endif %}")
    each(doc, "g in next.goals", "（{{ loop.index }}）{{ g }}")
    tag(doc, "{%p for cat in next.by_category %}")
    para(doc, "{{ cat.heading }}", "二级标题")
    each(doc, "item in cat.entries", "{{ item.line }}")
    tag(doc, "{%p endfor %}")
    closing_lines(doc)
    document_closing(doc)
    return doc


def document_closing(doc) -> None:
    """The 版记 of a report or plan issued as a 文件: 抄送, then 印发机关 and 印发日期, then the copies."""
    closing_block(doc, ["issue.closing.copy_to", "issue.closing.printer|issue.closing.print_date"],
                  "issue.closing.copies_text", "issue.closing")


def plan_template():
    """The year plan (年度协作计划): context from build_plan_context."""
    doc = new_document()
    masthead_styles(doc)
    closing_styles(doc)
    masthead(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "主送机关")
    para(doc, "{{ intro }}", "公文正文")

    para(doc, "{{ headings.goals }}", "一级标题")
    tag(doc, "{%p if theme %}")
    para(doc, "年度主题：{{ theme }}", "公文正文")
    tag(doc, "{%p endif %}")
    each(doc, "g in goals", "（{{ loop.index }}）{{ g }}")

    para(doc, "{{ headings.organisation }}", "一级标题")
    para(doc, "协作区在市委的统一领导下开展工作。领导小组组长：{{ organisation.leader }}；"
              "副组长：{{ organisation.deputies | join('、') }}；成员：{{ organisation.members | join('、') }}。"
              "领导小组办公室设在{{ organisation.office_unit }}，办公室主任：{{ organisation.office_director }}。",
         "公文正文")
    para(doc, "{{ year }}年度轮值单位为{{ duty_unit.name }}，牵头单位为{{ lead_unit.name }}。"
              "轮值顺序：{{ rotation_order }}。今后各年度轮值安排如下：", "公文正文")
    table(doc, ["年度", "轮值单位", "依据", "说明"],
          ["{{ row.period }}", "{{ row.unit }}", "{{ row.status }}", "{{ row.note }}"], [3, 7, 3, 6], "rotation")

    para(doc, "{{ headings.meetings }}", "一级标题")
    each(doc, "m in meetings", "（{{ loop.index }}）{{ m.line }}")

    para(doc, "{{ headings.activities }}", "一级标题")
    tag(doc, "{%p for cat in categories %}")
    para(doc, "{{ cat.heading }}", "二级标题")
    para(doc, "{{ cat.lead }}", "公文正文")
    each(doc, "item in cat.entries", "（{{ loop.index }}）{{ item.line }}")
    tag(doc, "{%p endfor %}")

    para(doc, "{{ headings.requirements }}", "一级标题")
    each(doc, "r in requirements", "（{{ loop.index }}）{{ r }}")
    closing_lines(doc)
    document_closing(doc)
    return doc


def bulletin_template():
    """The bulletin (信息简报): red masthead, title, body, distribution footer. Context from build_bulletin_context."""
    doc = new_document()
    p = paragraph_style
    p(doc, "简报名称", "GwMastheadName", XBS, SIZE["初号"], align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=Pt(60),
      snap=False)
    p(doc, "简报期号", "GwMastheadNumber", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.CENTER, before=290)
    line = p(doc, "简报编印", "GwMastheadLine", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.LEFT, after=579)
    line.paragraph_format.tab_stops.add_tab_stop(Twips(TYPE_WIDTH_TWIPS), WD_TAB_ALIGNMENT.RIGHT)
    set_border(line.element.get_or_add_pPr(), {"bottom": (18, "FF0000")})  # the red rule: 2.25 pt, full width
    closing_styles(doc)

    para(doc, "{{ masthead.name }}", "简报名称")
    para(doc, "{{ masthead.number_text }}", "简报期号")
    head = para(doc, "{{ masthead.compiler }}", "简报编印")
    head.add_run().add_tab()
    head.add_run("{{ masthead.date }}")
    para(doc, "{{ title }}", "公文标题")
    tag(doc, "{%p for act in activities %}")
    tag(doc, "{%p if multiple %}")
    para(doc, "{{ act.heading }}", "一级标题")
    tag(doc, "{%p endif %}")
    para(doc, "{{ act.line }}", "公文正文")
    each(doc, "p in act.summary", "{{ p }}")
    tag(doc, "{%p if act.practices %}")
    para(doc, "经验做法", "三级标题")
    each(doc, "p in act.practices", "（{{ loop.index }}）{{ p }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    # The 报尾 at the foot of the last page: 报、送、发, then the copies.
    closing_block(doc, [f"footer.{key}" for key in ("report_to", "send_to", "distribute_to")], "footer.copies_text",
                  "footer")
    return doc


def block_table(doc):
    """A table of any shape: a header row and body rows whose cells repeat by docxtpl's column loop (`{%tc %}`)."""
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = t.rows[0]
    header._tr.get_or_add_trPr().append(_el("w:tblHeader"))
    rows = [("{%tc for h in b.header %}", "{{ h }}", "{%tc endfor %}", "表头文字"),
            ("{%tr for row in b.rows %}", "", "", "表格文字"),
            ("{%tc for c in row %}", "{{ c }}", "{%tc endfor %}", "表格文字"),
            ("{%tr endfor %}", "", "", "表格文字")]
    for row, (*texts, style) in zip(t.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.paragraphs[0].style = doc.styles[style]
            if text:
                cell.paragraphs[0].add_run(text)
    return t


def blocks_template():
    """A document laid out from blocks (title, headings, paragraphs, tables, pictures): the city roll-up, whose
    wording lives in its Markdown template only (djxz/app/city.py turns the rendered Markdown into these blocks)."""
    doc = new_document()
    tag(doc, "{%p for b in blocks %}")
    for kind, style in (("title", "公文标题"), ("addressee", "主送机关"), ("h1", "一级标题"), ("h2", "二级标题"),
                        ("h3", "三级标题"), ("p", "公文正文")):
        tag(doc, f"{{%p if b.kind == '{kind}' %}}")
        para(doc, "{{ b.text }}", style)
        tag(doc, "{%p endif %}")
    tag(doc, "{%p if b.kind == 'image' %}")
    picture = para(doc, "{{ b.image }}", "公文正文")
    picture.paragraph_format.first_line_indent = 0
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if b.kind == 'table' %}")
    block_table(doc)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    return doc


TEMPLATES = {"report.docx": report_template, "plan.docx": plan_template, "bulletin.docx": bulletin_template,
             "city.docx": blocks_template}


def build(name: str) -> bytes:
    buf = io.BytesIO()
    TEMPLATES[name]().save(buf)
    return reproducible_zip(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 templates/ 中的 DOCX 模板（GB/T 9704-2012 版式）")
    parser.add_argument("--check", action="store_true", help="只检查已提交的模板是否与脚本生成的一致")
    parser.add_argument("--out", type=Path, default=OUT, help="输出目录，默认 templates/")
    args = parser.parse_args(argv)
    stale = []
    for name in TEMPLATES:
        data = build(name)
        target = args.out / name
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"已生成 {target}（{len(data)} 字节）")
    if stale:
        print(f"以下模板与 tools/make_docx_templates.py 不一致，请重新生成：{'、'.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
