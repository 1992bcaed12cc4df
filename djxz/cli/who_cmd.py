"""`djxz who`: the lead unit, the unit on duty on a date, and the next turns."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, parse_date_option, print_json, today, zone_root
from djxz.cli.output import echo, screen_key
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
    from djxz.app.who_answer import answer_key, day_for_year, load_answer, save_answer  # light: no records, no YAML

    fmt = choose(fmt, ("text", "json"), "--format")
    if date is not None and year is not None:
        raise UserError("--date 和 --year 只能用一个")
    day = parse_date_option(date, "--date") or (day_for_year(year, today()) if year is not None else today())
    root = zone_root(zone)
    key = answer_key(root, day, rotation, count)
    answer = load_answer(root, key)
    fresh = answer is None
    if fresh:
        answer = _answer(root, day, rotation, count)
    if fmt == "json":
        print_json(answer["json"])
    elif (screen := screen_key()) is None:  # a terminal: through rich, in colour
        _print_text(answer, console())
    else:  # a file or a pipe: the printed text is kept with the answer, per screen; printing it again needs no rich
        printed = answer.get("printed")
        text = printed.get(screen) if isinstance(printed, dict) else None
        if not isinstance(text, str):
            text = _render(answer)
            answer["printed"] = {screen: text}
            fresh = True
        echo(terminal(text, keep_newlines=True), nl=False)  # a cache entry is data: escaped like all output
    if fresh:
        save_answer(root, key, answer)


def _render(answer: dict) -> str:
    """What _print_text writes to stdout (a file or a pipe), as a string."""
    import io

    out = console()
    out.file = io.StringIO()
    _print_text(answer, out)
    return out.file.getvalue()


def _answer(root, day, rotation, count) -> dict:
    # the use case and what it loads: only when this command runs
    from djxz.app.who import STATUS_NAMES, kind_name, who as run_who

    result = run_who(root, day, rotation, count)
    return {"json": result.to_json(), "kind": kind_name(result.rotation), "status_names": dict(STATUS_NAMES)}


def _print_text(answer: dict, out) -> None:
    """The answer as text, from the same plain data as --format json (so a cached answer prints the same)."""
    from rich.table import Table
    from rich.text import Text

    data, names = answer["json"], answer["status_names"]

    def unit_name(unit: dict | None) -> str:
        return unit["name"] if unit else ""

    title = data["rotation"]["title"]
    out.print(Text(terminal(f"{data['zone']}　{data['date']}"), style="bold"))
    out.print(terminal(f"牵头单位：{unit_name(data['lead_unit'])}"), markup=False)
    current = data["current"]
    if current is None:
        out.print(terminal(f"{title}：无（{data['date']} 不在任何一期轮值之内，或没有可以轮值的成员单位）"), markup=False)
    else:
        how = names[current["status"]]
        out.print(Text.assemble(terminal(f"{title}："), (terminal(unit_name(current["unit"])), "bold"),
                                terminal(f"（{current['label']}，{current['start']} 至 {current['end']}，{how}"
                                         + (f"：{current['note']}" if current["note"] else "") + "）")))
    rows = ([current] if current else []) + list(data["next"])
    if not rows:
        return
    table = Table(title=Text(terminal(f"{title}（{answer['kind']}轮值）"), style="bold"), title_justify="left")
    notes = any(slot["note"] for slot in rows)
    for header in ("期次", "起止", "单位", "依据") + (("备注",) if notes else ()):
        table.add_column(header, no_wrap=header == "依据", overflow="fold")
    for i, slot in enumerate(rows):
        style = STATUS_STYLES.get(slot["status"], "")
        period = slot["label"] + ("（本期）" if current is not None and i == 0 else "")
        cells = [period, f"{slot['start']}～{slot['end']}", terminal(unit_name(slot["unit"])),
                 Text(names[slot["status"]], style=style)]
        table.add_row(*cells, *((terminal(slot["note"] or ""),) if notes else ()))
    out.print()
    out.print(table)
