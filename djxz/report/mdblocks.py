"""A rendered Markdown document as a list of layout blocks for the DOCX template, so both formats carry one wording.

The summary report's Markdown template holds every sentence; its DOCX template lays out these blocks (title, 主送,
headings, paragraphs with a bold lead, 附件说明, 署名, 日期, 附件 marks and tables). Only the Markdown the templates
write is understood: `#`..`####` headings, paragraphs, `**lead**` at a paragraph's start, and pipe tables.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|~#=+\-.&])")
_LEAD = re.compile(r"^(.*?)\*\*(.+?)\*\*(.*)$", re.S)
_ANNEX_MARK = re.compile(r"^附件[0-9]+$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")
HEADINGS = {1: "title", 2: "h1", 3: "h2", 4: "h3"}


def unescape(text: str) -> str:
    """Undo the Markdown escaping of record text (djxz.report.render.md_escape) and drop stray bold marks."""
    return _ESCAPED.sub(r"\1", text.replace("\\*\\*", "\0")).replace("**", "").replace("\0", "**")


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [unescape(c.strip()) for c in re.split(r"(?<!\\)\|", body)]


def _paragraph(text: str) -> dict:
    match = _LEAD.match(text)
    if match and "**" not in match.group(3):
        before, lead, rest = match.groups()
        return {"kind": "p", "before": unescape(before), "lead": unescape(lead), "text": unescape(rest)}
    return {"kind": "p", "before": "", "lead": "", "text": unescape(text)}


def blocks(markdown: str, signature: str = "", date: str = "", pictures: dict | None = None) -> list[dict]:
    """The document's blocks in order. `signature` and `date` name the paragraphs that take the closing styles;
    `pictures` maps an image's file name to what the DOCX shows in its place (a chart)."""
    out: list[dict] = []
    chunks = re.split(r"\n\s*\n", markdown.strip("\n"))
    in_annex = False
    for chunk in chunks:
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        first = lines[0]
        heading = re.match(r"^(#{1,4})\s+(.*)$", first)
        if heading and len(lines) == 1:
            level = len(heading.group(1))
            kind = "annex_title" if level == 1 and in_annex else HEADINGS[level]
            out.append({"kind": kind, "text": unescape(heading.group(2).strip())})
            continue
        if first.lstrip().startswith("|"):
            rows = [_cells(ln) for ln in lines if not re.fullmatch(r"\s*\|?[\s:|\-]+\|?\s*", ln)]
            if rows:
                out.append({"kind": "table", "header": rows[0], "rows": rows[1:]})
            continue
        text = "".join(ln.strip(" \t") for ln in lines)
        image = _IMAGE.fullmatch(text.strip())
        if image and pictures and image.group(2) in pictures:
            out.append({"kind": "image", "text": unescape(image.group(1)), "image": pictures[image.group(2)]})
            continue
        plain = unescape(text)
        if _ANNEX_MARK.match(plain):
            in_annex = True
            out.append({"kind": "annex_mark", "text": plain})
        elif out and out[-1]["kind"] == "title" and len(out) == 1 and plain.endswith("："):
            out.append({"kind": "addressee", "text": plain})
        elif plain.startswith("附件：") or (out and out[-1]["kind"] == "annex_note" and plain.startswith("\u3000")):
            out.append({"kind": "annex_note", "text": plain})
        elif signature and plain == signature and not in_annex:
            out.append({"kind": "signature", "text": plain})
        elif date and plain == date and not in_annex:
            out.append({"kind": "date", "text": plain})
        else:
            out.append(_paragraph(text))
    return out


def heading_sequence(items: list[dict]) -> list[tuple[str, str]]:
    """(kind, text) of every heading block: what the Markdown and the DOCX must agree on."""
    return [(b["kind"], b["text"]) for b in items if b["kind"] in ("title", "h1", "h2", "h3", "annex_title")]
