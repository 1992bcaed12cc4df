"""Rendering a zone diff for people and machines: Markdown for a pull-request comment, plain text, JSON.

The comparison itself is `djxz.app.diff`; this module only turns its result into words.
"""

from __future__ import annotations

from djxz.app.diff import ADDED, CHANGED, KIND_NAMES, KINDS, REMOVED, STATUS_NAMES, WARNING_TITLES, ZoneDiff
from djxz.app.diff_lists import NOTE_TITLES
from djxz.escape import md_cell, md_code, terminal

# The first line of the Markdown, so a CI job can find and update its own comment instead of adding another.
MARKER = "<!-- djxz-diff -->"
MAX_CELL = 80


def diff_json(result: ZoneDiff) -> dict:

    return {
        "schema_version": 1,
        "base": result.base,
        "head": result.head,
        "summary": result.summary(),
        "counts": result.counts(),
        "warnings": [
            {"code": w.code, "title": WARNING_TITLES[w.code], "message": w.message,
             "path": w.src.path if w.src else None, "line": w.src.line if w.src else 0, "column": w.src.col if w.src else 0}
            for w in result.warnings
        ],
        "lists": [
            {"code": n.code, "title": NOTE_TITLES[n.code], "message": n.message,
             "path": n.src.path if n.src else None, "line": n.src.line if n.src else 0}
            for n in result.lists
        ],
        "changes": [
            {"kind": c.kind, "kind_name": KIND_NAMES[c.kind], "key": c.key, "status": c.status, "status_name": STATUS_NAMES[c.status],
             "title": c.title, "path": c.path,
             "fields": [{"path": f.path, "label": f.label, "old": f.old, "new": f.new} for f in c.fields]}
            for c in result.changes
        ],
    }


def _cell(text: str | None) -> str:
    if text is None:
        return "（无）"
    text = " ".join(text.split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return md_cell(text)


def _short(text: str | None) -> str:
    """One value on one terminal line: shortened like a cell, every control character shown as an escape."""
    if text is None:
        return "（无）"
    text = " ".join(terminal(text).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _code_cell(text: str) -> str:
    return md_code(text).replace("|", "\\|")  # GitHub splits a row at `|` even inside a code span


def _where(src) -> str:
    if src is None:
        return ""
    return f"{src.path}:{src.line}" if src.line else src.path


def _line(text: str) -> str:
    """A sentence from records on one Markdown line: no line breaks, no HTML, no markup."""
    return md_cell(" ".join(text.split()))


def render_markdown(result: ZoneDiff) -> str:
    lines = [MARKER, f"### 协作区改动：{result.base} → {result.head}", ""]
    if result.empty:
        lines += ["没有记录变化。", ""]
        return "\n".join(lines)
    lines += [result.summary() + "。", ""]
    if result.warnings:
        lines += ["#### ⚠️ 请审阅者注意", ""]
        for w in result.warnings:
            where = f"（{md_code(_where(w.src))}）" if w.src else ""
            lines.append(f"- **{WARNING_TITLES[w.code]}**：{md_cell(w.message)}{where}")
        lines.append("")
    if result.lists:
        lines += ["#### 三张清单和督办", ""]
        for n in result.lists:
            where = f"（{md_code(_where(n.src))}）" if n.src else ""
            lines.append(f"- **{NOTE_TITLES[n.code]}**：{_line(n.message)}{where}")
        lines.append("")
    counts = result.counts()
    for kind in KINDS:
        changes = result.of_kind(kind)
        if not changes:
            continue
        tally = "，".join(f"{STATUS_NAMES[s]} {n}" for s, n in counts[kind].items())
        lines += [f"#### {KIND_NAMES[kind]}（{tally}）", ""]
        listed = [c for c in changes if c.status in (ADDED, REMOVED)]
        if listed:
            lines += ["| 变化 | 编号 | 名称 | 文件 |", "| --- | --- | --- | --- |"]
            for c in sorted(listed, key=lambda c: c.status != ADDED):
                lines.append(f"| {STATUS_NAMES[c.status]} | {_code_cell(c.key)} | {_cell(c.title)} | {_code_cell(c.path)} |")
            lines.append("")
        for c in changes:
            if c.status != CHANGED:
                continue
            lines += [f"**修改** {md_code(c.key)} {_cell(c.title)}（{md_code(c.path)}）", "", "| 字段 | 原来 | 现在 |", "| --- | --- | --- |"]
            lines += [f"| {_cell(f.label)} | {_cell(f.old)} | {_cell(f.new)} |" for f in c.fields]
            lines.append("")
    return "\n".join(lines)


def render_text(result: ZoneDiff) -> str:
    short = _short
    lines = [f"协作区改动：{result.base} → {result.head}"]
    if result.empty:
        return "\n".join(lines + ["没有记录变化。", ""])
    lines.append(result.summary())
    if result.warnings:
        lines.append("请审阅者注意：")
        for w in result.warnings:
            where = f"（{short(_where(w.src))}）" if w.src else ""
            lines.append(f"  ! {WARNING_TITLES[w.code]}：{short(w.message)}{where}")
    if result.lists:
        lines.append("三张清单和督办：")
        lines += [f"  · {NOTE_TITLES[n.code]}：{short(n.message)}" for n in result.lists]
    for kind in KINDS:
        changes = result.of_kind(kind)
        if not changes:
            continue
        lines.append(f"{KIND_NAMES[kind]}：")
        for c in changes:
            lines.append(f"  {STATUS_NAMES[c.status]} {short(c.key)} {short(c.title)}（{short(c.path)}）")
            if c.status == CHANGED:
                lines += [f"      {short(f.label)}：{short(f.old)} → {short(f.new)}" for f in c.fields]
    return "\n".join(lines) + "\n"
