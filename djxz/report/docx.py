"""Rendering a DOCX template (docxtpl) with a document's context: sandboxed, StrictUndefined, autoescape on.

Autoescape is what keeps the file valid: docxtpl renders the document's XML as a Jinja template, and its default
(autoescape off) would paste a summary's `&` or `<` into the XML raw. Values only ever arrive as data, so a `{{ }}`
in a record prints as written. After rendering, a few layout rules that depend on the text are applied here:
the signature and date indents (GB/T 9704-2012 7.3.5) and a masthead name that must fit on one line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from djxz.errors import DataError, TemplateError
from djxz.report.charts import Picture
from djxz.report.context import display_width
from djxz.report.render import DOCX_SUFFIX, TemplateSet, sandbox, template_error
from djxz.zipguard import check_office_zip
from djxz.report.titles import break_title

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TYPE_WIDTH_PT = (11906 - 1587 - 1474) / 20  # 156 mm
BODY_PT = 16  # 三号
# One character of body text: 三号 less the templates' -0.25 pt character spacing (docs/layout.md). Indents are in twips
# only, so every suite puts them on the same columns.
BODY_CELL_TWIPS = BODY_PT * 20 - 5
MASTHEAD_MAX_PT = 42  # 初号


def _template_class():
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        """docxtpl with two changes: errors name the template and its line; `{_{` in a value is not turned into `{{`."""

        template_name = ""

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            from jinja2 import TemplateError as JinjaTemplateError

            src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)  # one paragraph a line: errors can say which
            try:
                self.current_rendering_part = part
                dst_xml = jinja_env.from_string(src_xml).render(context)
            except JinjaTemplateError as exc:
                raise template_error(exc, self._where(part), src_xml.splitlines()) from None
            except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
                raise template_error(exc, self._where(part), src_xml.splitlines()) from None
            dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
            return self.resolve_listing(dst_xml)

        def _where(self, part) -> str:
            name = str(getattr(part, "partname", "")).lstrip("/")
            return self.template_name if name in ("", "word/document.xml") else f"{self.template_name}（{name}）"

    return Template


def render_docx(templates: TemplateSet, name: str, context: dict, properties: dict | None = None,
                late_context=None) -> bytes:
    """Render `name`.docx with `context` and return the file's bytes; template problems are TemplateErrors (exit 1).

    `properties` may give the document's title, author and date (core properties), set after rendering.
    `late_context`, a function returning more context, is called once the template has opened (a broken template is
    reported as itself, before anything the extra context needs).
    """
    path = templates.find(name, DOCX_SUFFIX)
    template = _open(path)
    if late_context is not None:
        context = {**context, **late_context()}
    env = sandbox(autoescape=True, trim=False)
    template.render(_with_pictures(template, context), jinja_env=env, autoescape=True)
    doc = template.docx
    _signature_indents(doc)
    _fit_masthead(doc)
    _fit_tables(doc)
    _break_titles(doc, context)
    _set_properties(doc, properties or {})
    buf = io.BytesIO()
    doc.save(buf)
    return reproducible_zip(buf.getvalue())


def _with_pictures(template, value):
    """`value` with every chart Picture turned into an image docxtpl places inline, at its width (the type area)."""
    if isinstance(value, Picture):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _with_pictures(template, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_pictures(template, v) for v in value]
    return value


def _open(path: Path):
    from docx.opc.exceptions import PackageNotFoundError

    Template = _template_class()
    try:
        check_office_zip(path, "DOCX 模板")
    except DataError as exc:
        raise TemplateError(str(exc)) from None
    try:
        template = Template(str(path))
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"模板 {path.name} 不是有效的 DOCX 文件（{exc}）") from None
    template.template_name = path.name
    return template


def _style_id(paragraph) -> str:
    ppr = paragraph._p.pPr
    if ppr is None or ppr.pStyle is None:
        return ""
    return ppr.pStyle.val


def _set_right_indent(paragraph, chars: float) -> None:
    from docx.oxml.ns import qn

    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:right"), str(round(chars * BODY_CELL_TWIPS)))


def _signature_indents(doc) -> None:
    """GB/T 9704-2012 7.3.5.3 (no seal): the signature 2 characters in from the right, the date on the next line
    starting 2 characters right of the signature's start; a date longer than that is 2 in, and the signature moves."""
    signature = next((p for p in doc.paragraphs if _style_id(p) == "GwSignature"), None)
    date = next((p for p in doc.paragraphs if _style_id(p) == "GwDate"), None)
    if signature is None or date is None or not signature.text.strip() or not date.text.strip():
        return
    sig_w, date_w = display_width(signature.text.strip()), display_width(date.text.strip())
    if sig_w - date_w >= 2:
        sig_right, date_right = 2.0, sig_w - date_w
    else:
        date_right = 2.0
        sig_right = 4.0 + date_w - sig_w
    _set_right_indent(signature, sig_right)
    _set_right_indent(date, date_right)


def _break_titles(doc, context: dict) -> None:
    """A title longer than a line is broken at word boundaries into balanced lines (djxz.report.titles), with line
    breaks inside its paragraph, rather than wherever the office suite runs out of room."""
    names = tuple(_names(context))
    for p in doc.paragraphs:
        if _style_id(p) != "GwTitle" or not p.runs:
            continue
        lines = break_title(p.text, names)
        if len(lines) < 2:
            continue
        first, *rest = p.runs
        for run in rest:
            run._r.getparent().remove(run._r)
        first.text = "\n".join(lines)  # python-docx writes each \n as a <w:br/>


def _names(value, depth: int = 0):
    """The unit and zone names in a context (values of `name` and `short_name`): words a title is not cut inside."""
    if depth > 4:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("name", "short_name") and isinstance(item, str):
                yield item
            elif isinstance(item, (dict, list)):
                yield from _names(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _names(item, depth + 1)


def _fit_masthead(doc) -> None:
    """The bulletin's name and the issuing mark stay on one line: 初号 when they fit in the type area, smaller when
    the name is long."""
    from docx.shared import Pt

    for p in doc.paragraphs:
        if _style_id(p) not in ("GwMastheadName", "GwIssuerMark"):
            continue
        width = display_width(p.text.strip())
        if not width:
            continue
        size = min(MASTHEAD_MAX_PT, int(TYPE_WIDTH_PT / width))
        if size < MASTHEAD_MAX_PT:
            for run in p.runs:
                run.font.size = Pt(size)


AUTO_TABLE = "djxz:auto"
TABLE_PT = 14  # 四号, the table text
MIN_COLUMN_CHARS, MAX_COLUMN_CHARS = 2.5, 16


def _fit_tables(doc) -> None:
    """A table whose columns came from the data (caption djxz:auto): one grid column per cell of its widest row, widths
    in proportion to each column's longest text, filling the type area."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width_twips = round(TYPE_WIDTH_PT * 20)
    for table in doc.tables:
        tblpr = table._tbl.tblPr
        caption = tblpr.find(qn("w:tblCaption")) if tblpr is not None else None
        if caption is None or caption.get(qn("w:val")) != AUTO_TABLE:
            continue
        rows = [tr.findall(qn("w:tc")) for tr in table._tbl.findall(qn("w:tr"))]
        columns = max((len(r) for r in rows), default=0)
        if not columns:
            continue
        need = [MIN_COLUMN_CHARS] * columns
        for cells in rows:
            for i, tc in enumerate(cells):
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                need[i] = max(need[i], min(MAX_COLUMN_CHARS, display_width(text) + 1.5))
        shares = _share(need, width_twips / 20 / TABLE_PT)
        widths = [round(width_twips * n / sum(shares)) for n in shares]
        grid = table._tbl.tblGrid
        for col in list(grid):
            grid.remove(col)
        for w in widths:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(w))
            grid.append(col)
        for cells in rows:
            for tc, w in zip(cells, widths):
                tcpr = tc.get_or_add_tcPr()
                tcw = tcpr.find(qn("w:tcW"))
                if tcw is None:
                    tcw = OxmlElement("w:tcW")
                    tcpr.insert(0, tcw)
                tcw.set(qn("w:w"), str(w))
                tcw.set(qn("w:type"), "dxa")


def _share(need: list[float], available: float) -> list[float]:
    """Column widths in characters: a column that needs less than an even share gets what it needs; the others share
    what is left in proportion to their need."""
    out = [0.0] * len(need)
    left, open_ = available, list(range(len(need)))
    while open_:
        fair = left / len(open_)
        narrow = [i for i in open_ if need[i] <= fair]
        if not narrow:
            total = sum(need[i] for i in open_)
            for i in open_:
                out[i] = left * need[i] / total
            break
        for i in narrow:
            out[i] = need[i]
            left -= need[i]
        open_ = [i for i in open_ if i not in narrow]
    return out


def _set_properties(doc, properties: dict) -> None:
    props = doc.core_properties
    props.title = properties.get("title", "")
    props.author = properties.get("author", "")
    props.last_modified_by = "djxz"
    props.comments = "由 djxz 根据协作区记录生成"
    when = properties.get("date")
    if isinstance(when, dt.date):
        stamp = dt.datetime(when.year, when.month, when.day)
        props.created = stamp
        props.modified = stamp


def reproducible_zip(data: bytes) -> bytes:
    """The same bytes for the same document: fixed timestamps inside the zip (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
