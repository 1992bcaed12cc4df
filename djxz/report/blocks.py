"""Rendered Markdown -> blocks (title, headings, paragraphs, tables, pictures) that a DOCX template lays out.

A document whose wording lives in one Markdown template (the city roll-up) gets its DOCX from the same text, so the
two cannot say different things or number their headings differently.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|~#=+\-&])")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")
_HEADINGS = {"#": "title", "##": "h1", "###": "h2", "####": "h3"}


def unescape(text: str) -> str:
    """Markdown text as the reader sees it: the escapes md_escape added are gone."""
    return _ESCAPED.sub(r"\1", text)


def _cells(line: str) -> list[str]:
    return [unescape(c.strip()) for c in _CELL_SPLIT.split(line.strip().strip("|"))]


def markdown_blocks(text: str, pictures: dict[str, object] | None = None) -> list[dict]:
    """The blocks of `text`, in order. `pictures` maps an image's file name to what the DOCX shows in its place."""
    pictures = pictures or {}
    blocks: list[dict] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if not line:
            continue
        marks, _, rest = line.partition(" ")
        if marks in _HEADINGS:
            blocks.append({"kind": _HEADINGS[marks], "text": unescape(rest)})
            continue
        if line.startswith("|"):
            table = [line]
            while i < len(lines) and lines[i].startswith("|"):
                table.append(lines[i].rstrip())
                i += 1
            rows = [_cells(t) for t in table if not re.fullmatch(r"\|?[\s:|-]+\|?", t)]
            blocks.append({"kind": "table", "header": rows[0], "rows": rows[1:]})
            continue
        image = _IMAGE.fullmatch(line)
        if image and image.group(2) in pictures:
            blocks.append({"kind": "image", "text": unescape(image.group(1)), "image": pictures[image.group(2)]})
            continue
        kind = "addressee" if blocks and blocks[-1]["kind"] == "title" and line.endswith("：") else "p"
        blocks.append({"kind": kind, "text": unescape(line)})
    return blocks


def heading_sequence(blocks: list[dict]) -> list[str]:
    return [b["text"] for b in blocks if b["kind"] in ("h1", "h2", "h3")]
