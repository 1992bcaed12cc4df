"""`djxz calendar`: an .ics of the year's duty periods, planned meetings and deadlines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, print_json, today, zone_root
from djxz.escape import terminal


def calendar(
    zone: ZoneOpt = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="哪一年，默认今年", min=1990, max=2100)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="写到哪个 .ics 文件，默认 djxz-<年份>.ics；写 - 输出到屏幕")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json（列出每个日程）")] = "text",
) -> None:
    """导出日历（.ics）：当年的轮值期、年度计划中的会议和活动、各项职责的截止日期。

    可导入 Outlook、WPS、手机日历。每个日程有固定的 UID：计划修改后重新导出、再次导入，会更新原有日程而不会重复。
    截止日期提前 3 天提醒。
    """
    # the use case and what it loads: only when this command runs
    from djxz.app.calendar import DEADLINE, DUTY, PLANNED, build_calendar, write_calendar

    fmt = choose(fmt, ("text", "json"), "--format")
    root = zone_root(zone)
    result = build_calendar(root, today(), year)
    if output == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            sys.stdout.flush()
            buffer.write(result.ics)
            buffer.flush()
        else:  # a text-only stream (an embedding program, a test runner)
            sys.stdout.write(result.ics.decode("utf-8"))
        return
    path = Path(output or f"djxz-{result.year}.ics")
    if path.suffix.lower() != ".ics":
        from djxz.errors import UserError

        raise UserError(f"输出文件应以 .ics 结尾：{path}")
    write_calendar(result, path)
    if fmt == "json":
        print_json({"schema_version": 1, "path": path.as_posix(), "year": result.year, "warnings": result.warnings,
                    "events": [e.to_json() for e in result.events]})
        return
    from rich.table import Table
    from rich.text import Text

    out = console()
    table = Table(title=Text(terminal(f"{result.year} 年日历：{path.as_posix()}"), style="bold"), title_justify="left")
    table.add_column("日程")
    table.add_column("个数", justify="right")
    table.add_row("轮值期", str(result.count(DUTY)))
    table.add_row("计划中的会议和活动", str(result.count(PLANNED)))
    table.add_row("职责截止日期", str(result.count(DEADLINE)))
    table.add_row(Text("合计", style="bold"), Text(str(len(result.events)), style="bold"))
    out.print(table)
    for warning in result.warnings:
        out.print(f"警告：{warning}", style="yellow", markup=False)
