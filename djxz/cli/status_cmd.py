"""`djxz status`: who is on duty, the year's duties with their status, and the year's activity counts."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, today, zone_root
from djxz.escape import terminal

STATUS_STYLES = {"已完成": "green", "待办": "", "即将到期": "yellow", "逾期": "bold red", "已免除": "cyan", "不适用": "dim"}


def status(
    zone: ZoneOpt = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="哪一年的职责（截止日期在该年），默认 --as-of 所在年", min=1990, max=2100)] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天判断（YYYY-MM-DD），默认今天")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="只看某单位（单位编号）负责的职责和参加的活动")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json")] = "text",
    fail_on_overdue: Annotated[bool, typer.Option("--fail-on-overdue", help="有逾期职责时退出码为 1（供每周定时检查）")] = False,
) -> None:
    """职责完成情况：当前轮值单位，本年度每项职责的状态（已完成、待办、即将到期、逾期、已免除、不适用），以及活动统计。

    状态从活动和文件记录推算，不需要手工填写。退出码：0 正常；1 数据有错误，或加了 --fail-on-overdue 且有逾期职责。
    """
    from djxz.app.status import load_status, status_json  # the use case and what it loads: only when this command runs

    fmt = choose(fmt, ("text", "json"), "--format")
    root = zone_root(zone)
    report = load_status(root, today(), today(as_of), year, unit)
    if fmt == "json":
        sys.stdout.write(json.dumps(status_json(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        _print_text(report)
    raise typer.Exit(1 if fail_on_overdue and report.overdue else 0)


def _state(d) -> str:
    """The status with its days: 逾期 12 天, 晚 6 天完成, 即将到期（剩 4 天）."""
    if d.status == "已完成":
        return f"晚 {d.days_late} 天完成" if d.late else "已完成"
    if d.status == "逾期" and d.closed:
        return "未完成"  # the year has ended: no running day count (the deadline is in its own column)
    if d.status == "逾期":
        return f"逾期 {d.days_late} 天"
    if d.days_left is not None:
        left = "今天截止" if d.days_left == 0 else f"剩 {d.days_left} 天"
        return f"{d.status}（{left}）"
    return d.status


def _basis(d) -> str:
    """The records that fulfil it (their ids are their file names), or what is missing; an adjustment's reason."""
    if d.status == "已免除":
        return d.note
    if d.evidence:
        ids = "、".join(e.id for e in d.evidence[:2]) + (f" 等 {len(d.evidence)} 项" if len(d.evidence) > 2 else "")
        return f"{ids}；{d.note}" if d.note and d.status != "已完成" else ids
    if d.status in ("逾期", "即将到期", "待办"):
        return d.requirement + (f"；{d.note}" if d.note else "")
    return d.note


# (title, no_wrap, max_width); the first column (the duty's name) is never broken, the last one wraps.
DUTY_COLUMNS = (("职责", True, None), ("期间", True, 26), ("截止", True, None), ("状态", True, None), ("依据或说明", False, None))
BASIS_MIN = 12  # below this the explanation column would be one or two characters a line: drop it instead
DROP_ORDER = (1, 4)  # on a narrow terminal the period goes first (the deadline says when), then the explanation


def _kept_columns(rows, width: int) -> list[int]:
    """Which of DUTY_COLUMNS fit in `width`: the duty's name, deadline and status always; the others while they fit."""
    from rich.cells import cell_len

    def need(col: int) -> int:
        title, _, cap = DUTY_COLUMNS[col]
        if col == 4:
            return BASIS_MIN
        widest = max([cell_len(title)] + [cell_len(str(r[col])) for r in rows])
        return min(widest, cap) if cap else widest

    kept = list(range(len(DUTY_COLUMNS)))
    for col in DROP_ORDER:
        if sum(need(c) + 3 for c in kept) + 1 <= width:
            break
        kept.remove(col)
    return kept


def _duty_table(title: str, rows, width: int):
    """The duties of one owner; on a narrow terminal low-value columns go rather than a duty name breaking."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    kept = _kept_columns(rows, width)
    table = Table(title=Text(title, style="bold"), title_justify="left", show_lines=False)
    for col in kept:
        name, no_wrap, cap = DUTY_COLUMNS[col]
        if no_wrap:
            widest = max([cell_len(name)] + [cell_len(str(r[col])) for r in rows])
            table.add_column(name, no_wrap=True, overflow="ellipsis" if cap else "fold", max_width=cap,
                             min_width=None if cap else widest)
        else:
            table.add_column(name, overflow="fold", min_width=BASIS_MIN)
    for row in rows:
        table.add_row(*(row[c] for c in kept))
    return table


def _print_text(report) -> None:
    from rich.table import Table
    from rich.text import Text

    zone = report.zone
    out = console()
    scope = f"，{zone.unit_name(report.unit, short=True)}" if report.unit else ""
    out.print(Text(terminal(f"{zone.info.name}　{report.year} 年职责（截至 {report.as_of}{scope}）"), style="bold"))
    out.print(f"牵头单位：{zone.unit_name(zone.info.lead_unit)}", markup=False)
    if report.on_duty:
        how = "已记录" if report.on_duty.recorded else "推算"
        out.print(f"轮值单位：{zone.unit_name(report.on_duty.unit)}（{report.on_duty.period}，{how}）", markup=False)
    else:
        out.print("轮值单位：无", markup=False)
    groups: dict[tuple[str, str | None], list] = {}
    for d in sorted(report.duties, key=lambda d: d.owner_role != "牵头单位"):
        groups.setdefault((d.owner_role, d.owner), []).append(d)
    if not groups:
        out.print(f"\n{report.year} 年没有需要履行的职责。", markup=False)
    for (role, owner), items in groups.items():
        name = zone.unit_name(owner) if owner else "（无）"
        rows = [(d.title, d.period_label, d.deadline.isoformat(), Text(_state(d), style=STATUS_STYLES[d.status]), _basis(d))
                for d in items]
        out.print()
        out.print(_duty_table(f"{role}：{name}", rows, out.width))
    counts = report.counts
    out.print()
    shown = {s: n for s, n in counts.items() if n or s != "已免除"}  # 已免除 only when the leading group exempted one
    out.print("共 {} 项：".format(len(report.duties)) + "，".join(f"{s} {n}" for s, n in shown.items()), markup=False)
    if any(report.city_reports.values()):
        out.print("向市委报送：" + "，".join(f"{k.removeprefix('向市委报送')} {n}" for k, n in report.city_reports.items()),
                  markup=False)
    cats = Table(title=Text(f"{report.year} 年活动（按“五共”类别）", style="bold"), title_justify="left")
    cats.add_column("类别")
    cats.add_column("活动数", justify="right")
    for category, n in report.categories.items():
        cats.add_row(category, str(n))
    cats.add_row(Text("合计", style="bold"), Text(str(sum(report.categories.values())), style="bold"))
    out.print()
    out.print(cats)
    units = Table(title=Text(terminal(f"{report.year} 年活动（按单位）"), style="bold"), title_justify="left")
    units.add_column("单位")
    units.add_column("主办", justify="right")
    units.add_column("参加", justify="right")
    for u in report.units:
        units.add_row(zone.unit_name(u.unit), str(u.hosted), str(u.took_part))
    out.print()
    out.print(units)
    _print_decisions(report, out)
    if counts["逾期"]:
        out.print()
        out.print(f"有 {counts['逾期']} 项职责已逾期。", style="bold red", markup=False)


def _print_decisions(report, out) -> None:
    """督办: the open decisions by owner, overdue ones marked, so the office can chase them."""
    from rich.table import Table
    from rich.text import Text

    zone = report.zone
    out.print()
    if not report.decisions:
        out.print(Text("督办事项：没有未办结的事项", style="bold"))
        return
    overdue = len(report.overdue_decisions)
    title = f"督办事项（未办结 {len(report.decisions)} 项，其中逾期 {overdue} 项）"
    table = Table(title=Text(title, style="bold"), title_justify="left")
    table.add_column("责任单位", no_wrap=True)
    table.add_column("事项", overflow="fold")
    table.add_column("决定于", overflow="fold")
    table.add_column("期限", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    by_owner: dict[str, list] = {}
    for d in report.decisions:
        by_owner.setdefault(d.decision.owner, []).append(d)
    for owner, items in by_owner.items():
        for i, d in enumerate(items):
            state = Text(f"逾期 {d.days_overdue} 天", style="bold red") if d.days_overdue else Text(d.status)
            table.add_row(zone.unit_name(owner, short=True) if i == 0 else "", d.decision.text.strip(),
                          f"{d.activity.date} {d.activity.title}", str(d.decision.due or ""), state)
    out.print(table)
