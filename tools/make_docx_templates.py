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
    CLOSING_LINE_PT, FANGSONG, HEITI, LINE_PITCH, PPR_SEQ, RED, SIZE, TYPE_WIDTH_TWIPS, XBS, _el, _insert_ordered,
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


# -- the templates ----------------------------------------------------------------------------------------------------

def report_template():
    """The half-year and full-year summary report (总结通报). Its wording is the Markdown template's: the context's
    `blocks` are that rendered Markdown cut into blocks (djxz/report/mdblocks.py), laid out here by kind."""
    doc = new_document()
    annex_styles(doc)
    masthead_styles(doc)
    closing_styles(doc)
    masthead(doc)
    lead_body(doc)
    document_closing(doc)
    return doc


def document_closing(doc) -> None:
    """The 版记 of a report or plan issued as a 文件: 抄送, then 印发机关 and 印发日期, then the copies."""
    closing_block(doc, ["issue.closing.copy_to", "issue.closing.printer|issue.closing.print_date"],
                  "issue.closing.copies_text", "issue.closing")


def annex_styles(doc) -> None:
    """附件说明 and 附件 marks (GB/T 9704 7.3.6), for documents laid out from blocks."""
    p = paragraph_style
    note = p(doc, "附件说明", "GwAnnexNote", FANGSONG, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.LEFT, first_chars=2)
    note.paragraph_format.space_before = LINE_PITCH  # one blank line between the body and 附件说明 (GB/T 9704 7.3.6)
    _insert_ordered(note.element.get_or_add_pPr(), _el("w:contextualSpacing"), PPR_SEQ)  # not between its own lines
    mark = p(doc, "附件标记", "GwAnnexMark", HEITI, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.LEFT)
    mark.paragraph_format.page_break_before = True  # each attachment starts a page (7.3.6)


# The plan's and the bulletin's wording: the same sentences as templates/plan.md.j2 and templates/bulletin.md.j2
# (tests/test_report_docx.py compares the two documents' headings and paragraphs).
PLAN_AIMS = {
    "组织共建": "按照组织联建强班子的思路，坚持月度党建座谈交流、半年总结部署、年度工作谋划等机制，深化联片上党课、集中训骨干、联动开党日等做法",
    "发展共谋": "坚持每半年召开一次发展工作联席会，分享工作经验，会诊热点难点问题，研讨发展思路举措",
    "文化共育": "由轮值单位牵头组织协作区文体活动，在重大节日和重大任务期间集中开展文化活动，深入基层一线和边境口岸开展慰问演出",
    "教育共抓": "集中开展廉政教育、法制教育等经常性教育和上级部署的专题教育，依托协作区宣讲团轮流备课、轮流施教",
    "资源共享": "整合成员单位的社会资源、设施资源和人力资源，用好红色教育基地和党课教案教材，互相引荐共建单位",
}
# docxtpl's {%p %} tags cannot hold a "}" (a dict literal), so the DOCX picks the aim with an inline if-chain.
AIMS_CHAIN = "".join(
    ("{% if " if i == 0 else "{% elif ") + f'm.name == "{name}" %}}{aim}' for i, (name, aim) in enumerate(PLAN_AIMS.items())
) + "{% endif %}"
WHEN = '{{{{ {0}.day or ({0}.month ~ "月" if {0}.month else "全年") }}}}'
PERSON = '{{{{ {0}.name }}}}{{% if {0}.title %}}（{{{{ {0}.title }}}}）{{% endif %}}'
BLOCK_STYLES = (
    ("title", "公文标题"), ("addressee", "主送机关"), ("h1", "一级标题"), ("h2", "二级标题"), ("h3", "三级标题"),
    ("annex_note", "附件说明"), ("annex_mark", "附件标记"), ("annex_title", "公文标题"),
    ("signature", "发文机关署名"), ("date", "成文日期"),
)


def lead_body(doc) -> None:
    """Lay out `blocks` one by one: a paragraph style per kind, a bold lead run for paragraphs, tables of any width."""
    tag(doc, "{%p for b in blocks %}")
    for i, (kind, style) in enumerate(BLOCK_STYLES):
        tag(doc, f"{{%p {'if' if i == 0 else 'elif'} b.kind == '{kind}' %}}")
        para(doc, "{{ b.text }}", style)
    tag(doc, "{%p elif b.kind == 'table' %}")
    block_table(doc)
    tag(doc, "{%p elif b.kind == 'image' %}")
    picture = para(doc, "{{ b.image }}", "公文正文")
    picture.paragraph_format.first_line_indent = 0
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tag(doc, "{%p else %}")
    body = para(doc, "{{ b.before }}", "公文正文")
    body.add_run("{{ b.lead }}").bold = True
    body.add_run("{{ b.text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def plan_template():
    """The year plan (年度协作计划) issued as a 通知 with the plan as its 附件: context from build_plan_context."""
    doc = new_document()
    masthead_styles(doc)
    closing_styles(doc)
    p = paragraph_style
    mark = p(doc, "附件标识", "GwAttachmentMark", HEITI, SIZE["三号"], align=WD_ALIGN_PARAGRAPH.LEFT)
    mark.paragraph_format.page_break_before = True
    masthead(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "协作区各成员单位、各共建单位：", "主送机关")
    para(doc, "{% if approved_at %}《{{ plan_title }}》已经{{ approved_at }}协作区联席会议审议通过，现印发给你们"
              "{% else %}现将《{{ plan_title }}》印发给你们{% endif %}，请结合实际认真抓好落实。{{ year }}年度轮值单位为"
              "{{ duty_unit.name }}，各单位执行中的情况和问题，请及时报协作区领导小组办公室。", "公文正文")
    para(doc, "附件：{{ plan_title }}", "公文正文")
    closing_lines(doc)

    para(doc, "附件", "附件标识")
    para(doc, "{{ plan_title }}", "公文标题")
    para(doc, "为深入推进党建工作区域联建协作，整合党建资源力量，强化协作互促，根据协作区工作方案，结合{{ year }}年度"
              "工作实际，制定本计划。", "公文正文")
    para(doc, "一、指导思想", "一级标题")
    para(doc, "坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届历次全会精神，落实新时代党的建设"
              "总要求和市委部署要求，坚持“整合力量、资源共享、优势互补、抱团发展、共同提高”的工作原则，以组织共建、"
              "发展共谋、文化共育、教育共抓、资源共享“五共”措施为抓手，推动构建组织联建聚合化、阵地联用共享化、"
              "活动联办经常化、难题联解高效化、发展联促一体化的“五联五化”大党建工作格局。", "公文正文")
    para(doc, "二、目标任务", "一级标题")
    para(doc, "{% if theme %}{{ year }}年度协作区工作主题为：{{ theme }}。{% endif %}{{ year }}年，协作区全年安排协作活动"
              "{{ counts.activities }}项、例行会议{{ counts.meetings }}次，着力打造“点上强堡垒、线上筑屏障、面上固阵地”"
              "点线面立体联动的党建品牌，重点完成以下任务：", "公文正文")
    each(doc, "g in goals", "{{ loop.index }}.{{ g }}。")
    tag(doc, "{%p if not goals %}")
    para(doc, "各成员单位按照本计划完成各项协作任务。", "公文正文")
    tag(doc, "{%p endif %}")

    para(doc, "三、主要措施", "一级标题")
    tag(doc, "{%p for m in measures %}")
    para(doc, "（{{ m.number_cn }}）{{ m.name }}", "二级标题")
    para(doc, AIMS_CHAIN + '。{% for g in m.meetings %}{{ "党建座谈会" if g.kind == "月度党建座谈" else g.kind }}'
              '{% if g.count == 12 %}按月召开{% elif g.count == 1 %}于' + WHEN.format("g.entries[0]") + '召开'
              '{% else %}于{{ g.months | join("月、") }}月召开{% endif %}{% if g.count > 1 %}，全年{{ g.count }}次{% endif %}'
              '{% if g.hosts %}，由{{ g.hosts | join("、") }}{{ "轮流" if g.rotating }}承办{% endif %}。{% endfor %}',
         "公文正文")
    tag(doc, "{%p if m.entries %}")
    para(doc, "全年安排专项活动{{ m.entries | length }}项：{% for it in m.entries %}" + WHEN.format("it") +
              '，由{{ it.host or "轮值单位" }}承办{{ it.title }}{% if it.note %}（{{ it.note }}）{% endif %}'
              '{{ "；" if not loop.last else "。" }}{% endfor %}', "公文正文")
    tag(doc, "{%p elif not m.meetings %}")
    para(doc, "本年度未安排专项活动，结合工作需要适时开展。", "公文正文")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    para(doc, "四、承办安排", "一级标题")
    para(doc, "全年协作事项的时间和承办单位如下表。承办单位负责方案制定、组织实施和各项保障，轮值单位统筹协调。", "公文正文")
    table(doc, ["时间", "事项", "类别", "承办单位"],
          [WHEN.format("row"), "{{ row.title }}", "{{ row.category }}", '{{ row.host or "待定" }}'], [3, 9, 3, 4],
          "schedule")

    para(doc, "五、组织领导和轮值安排", "一级标题")
    para(doc, "（一）组织领导", "二级标题")
    para(doc, "协作区领导小组在市委的统一领导和市委组织部的具体指导下开展工作。{% if organisation.leader %}组长：" +
              PERSON.format("organisation.leader") + "{% endif %}{% if organisation.deputies %}"
              '{{ "；" if organisation.leader }}副组长：'
              "{% for p in organisation.deputies %}" + PERSON.format("p") + '{{ "、" if not loop.last }}{% endfor %}'
              "{% endif %}{% if organisation.members %}" '{{ "；" if organisation.leader or organisation.deputies }}成员：'
              "{% for p in organisation.members %}" + PERSON.format("p") + '{{ "、" if not loop.last }}{% endfor %}'
              '{% endif %}{{ "。" if organisation.leader or organisation.deputies or organisation.members }}'
              "{% if organisation.office_unit %}领导小组办公室设在"
              "{{ organisation.office_unit }}{% if organisation.office_director %}，办公室主任：" +
              PERSON.format("organisation.office_director") + "{% endif %}。{% endif %}", "公文正文")
    para(doc, "（二）轮值安排", "二级标题")
    para(doc, "{{ year }}年度轮值单位为{{ duty_unit.name }}，牵头单位为{{ lead_unit.name }}。{% if rotation_order %}"
              '轮值单位按照{{ rotation_order | join("、") }}的顺序，以年度为单位轮值。{% endif %}轮值单位负责组织实施'
              "轮值期内的协作活动，年初和年中总结通报协作区工作情况，遇有上级统一部署的重大任务时主持召开联席会议或"
              '工作调度会，编发信息简报并及时报送协作区领导小组和{{ zone.political_office or "上级政治机关" }}，向'
              '{{ zone.city_committee or "市委" }}报送轮值年度的计划和总结；牵头单位负责协调、协助轮值单位完成轮值任务。',
         "公文正文")
    tag(doc, "{%p if rotation %}")
    para(doc, "今后各年度轮值安排如下：", "公文正文")
    table(doc, ["年度", "轮值单位", "依据", "说明"],
          ["{{ row.period }}", "{{ row.unit }}", "{{ row.status }}", "{{ row.note }}"], [3, 7, 3, 6], "rotation")
    tag(doc, "{%p endif %}")

    para(doc, "六、工作要求", "一级标题")
    para(doc, "（一）加强组织领导，压实协作责任", "二级标题")
    para(doc, "各成员单位要树立区域“大党建”“一盘棋”思想，把联建协作作为推进党建工作创新发展的有力举措，主要负责同志"
              "亲自抓，明确专人负责，按照本计划和承办安排抓好落实。", "公文正文")
    para(doc, "（二）密切协同配合，提升协作实效", "二级标题")
    para(doc, "承办单位要提前制定活动方案，其他单位要主动配合、按时参加；各单位要用好协作区党建资源和人才，把协作对象"
              "进一步拓展到驻地高等院校和国有企业，做到互通、互促、互补。", "公文正文")
    para(doc, "（三）及时报送信息，减轻基层负担", "二级标题")
    para(doc, "活动结束后，承办单位要及时录入活动记录，轮值单位据此编发信息简报、总结通报工作情况；每项情况只报一次，"
              "不得重复填报。计划执行中需要调整的，报协作区领导小组办公室同意后实施。", "公文正文")
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
    para(doc, "第{{ masthead.number }}期{% if provisional %}（期号待定）{% endif %}", "简报期号")
    head = para(doc, "{{ zone.short_name }}轮值单位（{{ compiler.short_name }}）编", "简报编印")
    head.add_run().add_tab()
    head.add_run("{{ masthead.date }}")
    # The headline: djxz fills `title` from the Markdown template's `headline` block (or --title, or the record).
    para(doc, "{{ title }}", "公文标题")
    tag(doc, "{%p if multiple %}")
    para(doc, "{{ common.first }}至{{ common.last }}，协作区先后开展{% for act in activities %}{{ act.title }}"
              '{{ "、" if not loop.last }}{% endfor %}{{ common.count }}项活动{% if common.attendance_complete %}，共'
              "{{ common.attendance }}人次参加{% endif %}。", "公文正文")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for act in activities %}")
    tag(doc, "{%p if multiple %}")
    para(doc, "{{ act.number_cn }}、{{ act.title }}", "一级标题")
    tag(doc, "{%p endif %}")
    para(doc, BULLETIN_LEAD, "公文正文")
    each(doc, "p in act.summary", "{{ p }}")
    tag(doc, "{%p if act.practices %}")
    para(doc, '主要做法：{{ act.practices | join("；") }}。', "公文正文")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    # The 报尾 in a frame at the foot of the last page (GB/T 9704 7.4), however long the body.
    framed(doc, '报：{% if footer.report_to_default %}协作区领导小组，{% endif %}{{ footer.report_to | join("，") }}。', "版记")
    tag(doc, "{%p if footer.send_to %}", "版记")
    framed(doc, '送：{{ footer.send_to | join("，") }}。', "版记")
    tag(doc, "{%p endif %}", "版记")
    framed(doc, '发：{{ footer.distribute_to | join("，") or "协作区各成员单位" }}。', "版记")
    tag(doc, "{%p if footer.copies %}", "印数")
    framed(doc, "（共印{{ footer.copies }}份）", "印数")
    tag(doc, "{%p endif %}", "印数")
    para(doc, "", "版记锚点")
    return doc


# The bulletin's lead sentence, as in templates/bulletin.md.j2 (macro lead): when, who organised, who took part, how
# many, where, what was done and what for.
BULLETIN_VERB = ('{% if act.kind in ("月度党建座谈", "联席会议", "工作调度会", "发展工作联席会", "半年总结部署会", '
                 '"年度工作谋划会") %}召开{% elif act.kind in ("文体活动", "慰问演出", "骨干培训", "联片党课") %}举办'
                 '{% elif act.kind == "走访" %}走访{% else %}开展{% endif %}')
BULLETIN_AIM = ('{% if act.category == "组织共建" %}交流党建工作经验，推动组织联建{% elif act.category == "发展共谋" %}'
                '会诊难点问题，共商发展举措{% elif act.category == "文化共育" %}丰富基层文化生活，促进文化交流'
                '{% elif act.category == "教育共抓" %}推进联片教育，提升教育实效{% elif act.category == "资源共享" %}'
                '推动党建资源共享共用{% else %}推动联建协作{% endif %}')
BULLETIN_LEAD = (
    '{{ act.when }}，{{ act.hosts | join("、") or "协作区" }}组织'
    '{% if act.participants %}{{ act.participants | join("、") }}{% if act.attendance %}共{{ act.attendance }}人{% endif %}'
    '{% elif act.attendance %}{{ act.attendance }}人{% endif %}'
    '{% if act.location %}，在{{ act.location }}{% elif act.participants or act.attendance %}，{% endif %}'
    + BULLETIN_VERB + '{{ act.event }}{% if act.topic %}，主题为{% if act.topic_quoted %}{{ act.topic }}{% else %}'
    '“{{ act.topic }}”{% endif %}{% endif %}，{% if act.purpose %}{{ act.purpose }}{% else %}旨在' + BULLETIN_AIM +
    '{% endif %}。'
)


def block_table(doc):
    """A table of any shape: a header row and body rows whose cells repeat by docxtpl's column loop (`{%tc %}`)."""
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    t._tbl.tblPr.append(_el("w:tblCaption", val="djxz:auto"))  # djxz/report/docx.py sizes its columns to the text
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
    """The city roll-up: like the report, its wording is its Markdown template's, laid out block by block."""
    doc = new_document()
    annex_styles(doc)
    lead_body(doc)
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
