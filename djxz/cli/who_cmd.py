"""`djxz who`: the lead unit, the unit on duty on a date, and the next turns."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, parse_date_option, print_json, today, zone_root
from djxz.escape import terminal
from djxz.errors import UserError

STATUS_STYLES = {"recorded": "green", "anchor": "cyan", "projected": "yellow"}


def who(
    zone: ZoneOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="查询哪一天（YYYY-MM-DD），默认今天")] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="查询哪一年（当年查今天，其他年份查 1 月 1 日）", min=2000, max=2199)] = None,
    rotation: Annotated[Optional[str], typer.Option("--rotation", "-r", help="哪个轮值安排（name），默认第一个：年度轮值单位")] = None,
    count: Annotated[int, typer.Option("--next", "-n", help="再列出之后几期", min=0, max=100)] = 3,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json")] = "text",
) -> None:
    """谁在轮值：牵头单位、某一天的轮值单位及其期次，以及之后几期由谁轮值。

    每一期标明“已记录”（zone.yaml 中的轮值记录，不再改变）、“起点”（anchor）或“推算”（按轮值顺序，
    跳过当时不是成员的单位，并按轮值调整推算）。
    """
    from djxz.app.who import day_for_year, who as run_who

    fmt = choose(fmt, ("text", "json"), "--format")
    if date is not None and year is not None:
        raise UserError("--date 和 --year 只能用一个")
    day = parse_date_option(date, "--date") or (day_for_year(year, today()) if year is not None else today())
    result = run_who(zone_root(zone), day, rotation, count)
    if fmt == "json":
        print_json(result.to_json())
        return
    _print_text(result)


def _print_text(result) -> None:
    from rich.table import Table
    from rich.text import Text

    from djxz.app.who import STATUS_NAMES, kind_name

    zone, rot = result.zone, result.rotation
    out = console()
    out.print(Text(terminal(f"{zone.info.name}　{result.day.isoformat()}"), style="bold"))
    out.print(f"牵头单位：{zone.unit_name(zone.info.lead_unit)}", markup=False)
    current = result.current
    if current is None:
        out.print(f"{rot.title}：无（{result.day.isoformat()} 不在任何一期轮值之内，或没有可以轮值的成员单位）", markup=False)
    else:
        how = STATUS_NAMES[current.source]
        out.print(Text.assemble(terminal(f"{rot.title}："), (terminal(zone.unit_name(current.unit)), "bold"),
                                terminal(f"（{current.period.label}，{current.start.isoformat()} 至 {current.end.isoformat()}，{how}"
                                         + (f"：{current.note}" if current.note else "") + "）")))
    rows = ([current] if current else []) + list(result.upcoming)
    if not rows:
        return
    table = Table(title=Text(terminal(f"{rot.title}（{kind_name(rot)}轮值）"), style="bold"), title_justify="left")
    notes = any(slot.note for slot in rows)
    for header in ("期次", "起止", "单位", "依据") + (("备注",) if notes else ()):
        table.add_column(header, no_wrap=header == "依据", overflow="fold")
    for slot in rows:
        style = STATUS_STYLES.get(slot.source, "")
        period = slot.period.label + ("（本期）" if slot is current else "")
        cells = [period, f"{slot.start.isoformat()}～{slot.end.isoformat()}", zone.unit_name(slot.unit),
                 Text(STATUS_NAMES[slot.source], style=style)]
        table.add_row(*cells, *((slot.note or "",) if notes else ()))
    out.print()
    out.print(table)
