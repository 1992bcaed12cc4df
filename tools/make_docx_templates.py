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
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

from djxz.report.docx import reproducible_zip

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates"

# -- the standard's numbers ---------------------------------------------------------------------------------------------
PAGE_W, PAGE_H = Mm(210), Mm(297)
TOP, LEFT, RIGHT, BOTTOM = Mm(37), Mm(28), Mm(26), Mm(35)
TYPE_WIDTH_TWIPS = 11906 - 1587 - 1474  # 8845 twips = 156 mm
LINES, CHARS = 22, 28
LINE_PITCH = Twips(579)  # 225 mm / 22 lines = 28.95 pt
# 28 characters a line come from the text, not from a character grid (docs/layout.md): 三号 runs carry a character
# spacing of -0.25 pt (w:spacing in twentieths of a point), so a character advances 15.75 pt and 28 take 441 pt of the
# 442.2 pt type area, while 29 would need 456.75 pt. Word, WPS and LibreOffice all honour run spacing the same way.
CHAR_SPACING = -5
CELL_TWIPS = 16 * 20 + CHAR_SPACING  # 315: one character of body text, for indents
# The footer holds the page number 7 mm below the type area: 35 - 7 mm, less the number's own 四号 line (~5 mm).
FOOTER_DISTANCE = Mm(23)
HEADER_DISTANCE = Mm(15)
# 版记 lines: 四号 text on 24 pt lines, so a four-line 报尾 (报、送、发、共印) needs 100 pt, about 3.5 body lines.
CLOSING_LINE_PT = 24

SIZE = {"初号": 42, "小初": 36, "一号": 26, "二号": 22, "三号": 16, "四号": 14}
XBS = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
# What Word and WPS use when a font is missing (w:altName in the font table), and its family for other substitutes.
FONT_FALLBACK = {
    XBS: ("宋体", "roman"),
    FANGSONG: ("仿宋", "modern"),
    KAITI: ("楷体", "modern"),
    HEITI: ("SimHei", "modern"),
    SONGTI: ("SimSun", "auto"),
}
RED = RGBColor(0xFF, 0x00, 0x00)


# -- low-level helpers --------------------------------------------------------------------------------------------------

def _insert_ordered(parent, child, sequence: tuple[str, ...]):
    """Insert `child` where the schema wants it among `parent`'s children (Word is strict about the order)."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    names = [qn(t) for t in sequence]
    after = names[names.index(tag) + 1:] if tag in names else []
    for existing in parent:
        if existing.tag in after:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


PPR_SEQ = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
RPR_SEQ = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
SECTPR_SEQ = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
    "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
    "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)


def _el(tag: str, **attrs) -> etree._Element:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def set_fonts(rpr, name: str, ascii_name: str | None = None) -> None:
    """Name the font for every script, East Asian included (w:eastAsia), and no theme font that would override it."""
    fonts = _el("w:rFonts", ascii=ascii_name or name, hAnsi=ascii_name or name, eastAsia=name, cs=ascii_name or name)
    fonts.set(qn("w:hint"), "eastAsia")
    _insert_ordered(rpr, fonts, RPR_SEQ)


def set_size(rpr, points: float) -> None:
    half = str(round(points * 2))
    _insert_ordered(rpr, _el("w:sz", val=half), RPR_SEQ)
    _insert_ordered(rpr, _el("w:szCs", val=half), RPR_SEQ)


def char_twips(font_pt: float) -> int:
    """The advance of one character: 三号 body text is narrowed by CHAR_SPACING, other sizes are set solid."""
    return CELL_TWIPS if font_pt == SIZE["三号"] else round(font_pt * 20)


def set_indent(ppr, first_chars: int = 0, left_chars: int = 0, right_chars: int = 0, font_pt: float = 16) -> None:
    """Indents of whole characters, in twips only. Word's *Chars attributes would override the twips with a character
    unit of Word's own choosing, and LibreOffice reads only the twips: exact twips put the text on the same columns in
    every suite (docs/layout.md)."""
    per_char = char_twips(font_pt)
    attrs = {}
    if left_chars:
        attrs.update(left=left_chars * per_char)
    if right_chars:
        attrs.update(right=right_chars * per_char)
    attrs.update(firstLine=first_chars * per_char)
    _insert_ordered(ppr, _el("w:ind", **attrs), PPR_SEQ)


def set_char_spacing(rpr, twentieths: int) -> None:
    """Character spacing on the text (w:spacing in rPr), which every suite applies to each character."""
    _insert_ordered(rpr, _el("w:spacing", val=twentieths), RPR_SEQ)


def set_border(ppr, sides: dict[str, tuple[int, str]]) -> None:
    """Paragraph rules: side -> (width in eighths of a point, colour)."""
    bdr = _el("w:pBdr")
    for side in ("top", "left", "bottom", "right", "between"):
        if side in sides:
            size, color = sides[side]
            bdr.append(_el(f"w:{side}", val="single", sz=size, space=1, color=color))
    _insert_ordered(ppr, bdr, PPR_SEQ)


def no_grid_snap(ppr) -> None:
    _insert_ordered(ppr, _el("w:snapToGrid", val=0), PPR_SEQ)


def outline_level(ppr, level: int) -> None:
    _insert_ordered(ppr, _el("w:outlineLvl", val=level), PPR_SEQ)


# -- the document, its page and its styles ------------------------------------------------------------------------------

def paragraph_style(doc, name: str, style_id: str, font: str, size: float, *, bold: bool = False,
                    align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_chars: int = 0, color: RGBColor | None = None,
                    line: Pt | Twips = LINE_PITCH, before: int = 0, after: int = 0, keep_next: bool = False,
                    outline: int | None = None, ascii_font: str | None = None, snap: bool = True):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, font, ascii_font)
    set_size(rpr, size)
    set_char_spacing(rpr, CHAR_SPACING if size == SIZE["三号"] else 0)
    style.font.bold = True if bold else None
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Twips(before)
    fmt.space_after = Twips(after)
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    ppr = style.element.get_or_add_pPr()
    if not snap:
        no_grid_snap(ppr)
    set_indent(ppr, first_chars=first_chars, font_pt=size)
    if outline is not None:
        outline_level(ppr, outline)
    return style


def new_document():
    doc = Document()
    _clean_package(doc)
    _page(doc)
    _defaults(doc)
    s = doc.styles
    p = paragraph_style
    # The title's lines are 35 pt apart, off the body grid, so a two-line title stays one block.
    p(doc, "公文标题", "GwTitle", XBS, SIZE["二号"], align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35), after=579,
      keep_next=True, snap=False)
    p(doc, "主送机关", "GwAddressee", FANGSONG, SIZE["三号"])
    p(doc, "公文正文", "GwBody", FANGSONG, SIZE["三号"], first_chars=2)
    p(doc, "一级标题", "GwHeading1", HEITI, SIZE["三号"], first_chars=2, keep_next=True, outline=0)
    p(doc, "二级标题", "GwHeading2", KAITI, SIZE["三号"], first_chars=2, keep_next=True, outline=1)
    p(doc, "三级标题", "GwHeading3", FANGSONG, SIZE["三号"], bold=True, first_chars=2, keep_next=True, outline=2)
    p(doc, "发文机关署名", "GwSignature", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.RIGHT, before=579,
      keep_next=True)
    p(doc, "成文日期", "GwDate", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    p(doc, "表格文字", "GwTableText", FANGSONG, SIZE["四号"], align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(22), snap=False)
    p(doc, "表头文字", "GwTableHead", HEITI, SIZE["四号"], align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(22), snap=False)
    p(doc, "页码", "GwPageNumber", SONGTI, SIZE["四号"], align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(18), snap=False)
    footer_style = s["Footer"]
    footer_style.paragraph_format.space_after = Pt(0)
    _page_numbers(doc)
    return doc


def _clean_package(doc) -> None:
    """No preview picture of python-docx's blank page, and plain, dated-nowhere document properties."""
    pkg = doc.part.package
    for rel_id, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg.rels.pop(rel_id)
    props = doc.core_properties
    props.author = "djxz"
    props.last_modified_by = "djxz"
    props.title = ""
    props.subject = ""
    props.keywords = ""
    props.comments = "由 djxz 生成的模板（tools/make_docx_templates.py）"
    props.revision = 1
    import datetime as dt

    stamp = dt.datetime(2024, 1, 1, 0, 0, 0)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    section.gutter = 0
    # The 22-line grid: lines of 28.95 pt (225 mm / 22). Only lines: a "linesAndChars" grid with a narrowed charSpace is
    # what Word shows as 28 characters, but LibreOffice 7.x then gives each 三号 character two cells (11-14 a line).
    # The 28 characters come from CHAR_SPACING on the text instead (docs/layout.md).
    assert CHARS * CELL_TWIPS <= TYPE_WIDTH_TWIPS < (CHARS + 1) * CELL_TWIPS
    grid = _el("w:docGrid", type="lines", linePitch=int(LINE_PITCH.twips))
    _insert_ordered(section._sectPr, grid, SECTPR_SEQ)
    doc.settings.odd_and_even_pages_header_footer = True
    # Chinese, not Japanese, for theme fonts: suites pick glyph forms by it.
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _defaults(doc) -> None:
    """Document defaults: 仿宋_GB2312 三号, Chinese language, exact 28.95 pt lines, no space after paragraphs."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FANGSONG)
    set_size(rpr, SIZE["三号"])
    set_char_spacing(rpr, CHAR_SPACING)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(int(LINE_PITCH.twips)))
    spacing.set(qn("w:lineRule"), "exact")
    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    set_size(normal.element.get_or_add_rPr(), SIZE["三号"])
    # Word's built-in table style would otherwise shrink table text to single spacing of an 11 pt font.
    grid = doc.styles["Table Grid"]
    grid.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    grid.paragraph_format.line_spacing = Pt(22)
    _font_table(doc)


def _font_table(doc) -> None:
    """Declare every font with its usual substitute (w:altName) so a machine without it picks a close one."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, (alt, family) in FONT_FALLBACK.items():
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        font = _el("w:font", name=name)
        font.append(_el("w:altName", val=alt))
        font.append(_el("w:charset", val="86"))  # GB2312
        font.append(_el("w:family", val=family))
        font.append(_el("w:pitch", val="variable" if family != "modern" else "fixed"))
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_field(paragraph) -> None:
    """"— 1 —": em dashes around a PAGE field (a complex field, which every reader updates)."""
    def field_run(element) -> None:
        paragraph.add_run()._r.append(element)

    paragraph.add_run("— ")
    field_run(_el("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    field_run(instr)
    field_run(_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    field_run(_el("w:fldChar", fldCharType="end"))
    paragraph.add_run(" —")


def _page_numbers(doc) -> None:
    """Odd pages: the number on the right, one character in; even pages: on the left, one character in."""
    section = doc.sections[0]
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.style = doc.styles["页码"]
        par.alignment = align
        ppr = par._p.get_or_add_pPr()
        kwargs = {f"{side}_chars": 1}
        set_indent(ppr, font_pt=SIZE["四号"], **kwargs)
        _page_field(par)
    section.header.is_linked_to_previous = False
    section.even_page_header.is_linked_to_previous = False


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
