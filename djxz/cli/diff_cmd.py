"""`djxz diff`: what a change to the zone means, as Markdown for a pull-request comment, plain text or JSON."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, print_json, zone_root
from djxz.cli.output import echo

# The first line of the Markdown, so a CI job can find and update its own comment instead of adding another.
MARKER = "<!-- djxz-diff -->"
MAX_CELL = 80


def diff(
    base: Annotated[Optional[str], typer.Argument(help="比较的起点（分支、标签或提交）；默认是与主分支（main、master 或 origin/HEAD）的合并基点", show_default=False)] = None,
    head: Annotated[Optional[str], typer.Argument(help="比较的终点；默认是工作区（包括尚未提交的修改）", show_default=False)] = None,
    zone: ZoneOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：md（默认，可直接贴到拉取请求）、text、json")] = "md",
) -> None:
    """说明一次改动对协作区意味着什么，可直接贴到拉取请求。

    按种类列出新增、删除、修改的记录和修改了哪些字段，并提醒审阅者必须注意的事项：已记录的轮值被改动、
    删除的单位仍被引用、信息简报期号被重复使用、截止时间被改动。两个版本都直接从 git 对象读取，
    不会切换分支或改动工作区。
    """
    from djxz.app.diff import diff_revisions

    fmt = choose(fmt, ("md", "text", "json"), "--format")
    result = diff_revisions(zone_root(zone), base, head)
    if fmt == "json":
        print_json(diff_json(result))
    else:
        echo(render_markdown(result) if fmt == "md" else render_text(result), nl=False)


def diff_json(result) -> dict:
    from djxz.app.diff import KIND_NAMES, STATUS_NAMES, WARNING_TITLES

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
    return text.replace("|", "\\|").replace("<", "&lt;")


def _where(src) -> str:
    if src is None:
        return ""
    return f"{src.path}:{src.line}" if src.line else src.path


def render_markdown(result) -> str:
    from djxz.app.diff import ADDED, CHANGED, KIND_NAMES, KINDS, REMOVED, STATUS_NAMES, WARNING_TITLES

    lines = [MARKER, f"### 协作区改动：{result.base} → {result.head}", ""]
    if result.empty:
        lines += ["没有记录变化。", ""]
        return "\n".join(lines)
    lines += [result.summary() + "。", ""]
    if result.warnings:
        lines += ["#### ⚠️ 请审阅者注意", ""]
        for w in result.warnings:
            where = f"（`{_where(w.src)}`）" if w.src else ""
            lines.append(f"- **{WARNING_TITLES[w.code]}**：{w.message}{where}")
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
                lines.append(f"| {STATUS_NAMES[c.status]} | `{c.key}` | {_cell(c.title)} | `{c.path}` |")
            lines.append("")
        for c in changes:
            if c.status != CHANGED:
                continue
            lines += [f"**修改** `{c.key}` {_cell(c.title)}（`{c.path}`）", "", "| 字段 | 原来 | 现在 |", "| --- | --- | --- |"]
            lines += [f"| {_cell(f.label)} | {_cell(f.old)} | {_cell(f.new)} |" for f in c.fields]
            lines.append("")
    return "\n".join(lines)


def render_text(result) -> str:
    from djxz.app.diff import CHANGED, KIND_NAMES, KINDS, STATUS_NAMES, WARNING_TITLES

    def short(text: str | None) -> str:
        return _cell(text).replace("\\|", "|").replace("&lt;", "<")

    lines = [f"协作区改动：{result.base} → {result.head}"]
    if result.empty:
        return "\n".join(lines + ["没有记录变化。", ""])
    lines.append(result.summary())
    if result.warnings:
        lines.append("请审阅者注意：")
        for w in result.warnings:
            where = f"（{_where(w.src)}）" if w.src else ""
            lines.append(f"  ! {WARNING_TITLES[w.code]}：{w.message}{where}")
    for kind in KINDS:
        changes = result.of_kind(kind)
        if not changes:
            continue
        lines.append(f"{KIND_NAMES[kind]}：")
        for c in changes:
            lines.append(f"  {STATUS_NAMES[c.status]} {c.key} {short(c.title)}（{c.path}）")
            if c.status == CHANGED:
                lines += [f"      {short(f.label)}：{short(f.old)} → {short(f.new)}" for f in c.fields]
    return "\n".join(lines) + "\n"
