"""`djxz log`: the history of one record, one line per commit."""

from __future__ import annotations

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, print_json, zone_root
from djxz.escape import terminal
from djxz.cli.output import echo

SHORT_VALUE = 30


def log(
    target: Annotated[str, typer.Argument(help="记录的编号（单位、活动、文件的编号，计划的年度，zone 表示协作区设置）或记录文件的路径", show_default=False)],
    zone: ZoneOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json")] = "text",
) -> None:
    """列出一条记录的修改历史：每次提交一行，写明提交号、日期、作者和改了什么。

    按文件改名追溯；已删除的记录请写它的文件路径。
    """
    from djxz.app.log import record_history  # the use case and what it loads: only when this command runs

    fmt = choose(fmt, ("text", "json"), "--format")
    history = record_history(zone_root(zone), target)
    if fmt == "json":
        print_json({
            "schema_version": 1,
            "path": history.path,
            "entries": [
                {"commit": e.commit, "author": e.author, "email": e.email, "date": e.date, "subject": e.subject,
                 "action": e.action, "path": e.path, "old_path": e.old_path,
                 "changes": [{"path": c.path, "label": c.label, "old": c.old, "new": c.new} for c in e.changes]}
                for e in history.entries
            ],
        })
        return
    if not history.entries:
        echo(f"{history.path} 还没有提交记录。")
        return
    for e in history.entries:
        echo(terminal(f"{e.short} {e.day} {e.author} {describe_entry(e)}（{e.subject}）"))


def describe_entry(entry) -> str:
    """新增 / 删除 / 修改：参加人数 60 → 80；活动概况."""
    if entry.action != "修改" or not entry.changes:
        return entry.action
    parts = []
    for c in entry.changes:
        if c.path == "file":
            parts.append(f"文件改名为 {c.new.rsplit('/', 1)[-1]}")
            continue
        short = all(v is None or _width(v) <= SHORT_VALUE for v in (c.old, c.new))
        parts.append(f"{c.label} {c.old or '（无）'} → {c.new or '（无）'}" if short else c.label)
    return "修改：" + "；".join(parts)


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
