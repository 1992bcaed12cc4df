"""The GB/T 9704-2012 page, grid and styles of djxz's DOCX templates, and the OOXML helpers that set them.

Used by tools/make_docx_templates.py, which builds the templates' content on top. Why the grid is a lines-only grid with
character spacing on the text, not Word's "lines and characters" grid: docs/layout.md.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

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
