"""`djxz rotate`: the year-start turnover: record the duty unit, open the year's plan, optionally commit on a branch."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, display_path, print_json, today, zone_root
from djxz.escape import terminal


def rotate(
    zone: ZoneOpt = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="交接哪一年，默认今年", min=1990, max=2100)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="只显示将要做的修改，不写入任何文件")] = False,
    commit: Annotated[bool, typer.Option("--commit", help="新建分支并提交修改的文件，打印拉取请求说明")] = False,
    branch: Annotated[Optional[str], typer.Option("--branch", "-b", help="--commit 时使用的分支名，默认 rotate/<年份>")] = None,
    force: Annotated[bool, typer.Option("--force", help="--commit 时分支已存在也在该分支上提交（默认拒绝）")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json")] = "text",
) -> None:
    """年初轮值交接：在 zone.yaml 中记录当年的轮值单位，并新建当年的年度协作计划 plans/<年份>.yaml。

    计划按职责规则排出每月党建座谈、年初联席会议、每半年的发展工作联席会和半年总结部署会，以及各项
    截止日期，都排在国家法定工作日（含调休上班日）。只修改这两个文件，zone.yaml 的注释和格式原样保留。
    已经交接过的年份再运行不做任何修改。协作区有错误、或这两个文件有未提交的修改时拒绝运行（退出码 1）。
    """
    from djxz.app.rotate import rotate as run_rotate  # the use case and what it loads: only when this command runs

    fmt = choose(fmt, ("text", "json"), "--format")
    root = zone_root(zone)
    result = run_rotate(root, today(), year, dry_run=dry_run, commit=commit, branch=branch, force=force)
    if fmt == "json":
        print_json(result.to_json(root))
        return
    _print_text(result, root)


def _print_text(result, root) -> None:
    from rich.table import Table
    from rich.text import Text

    zone, year = result.zone, result.year
    out = console()
    name = zone.unit_name(result.slot.unit)
    if result.already_done:
        out.print(Text(terminal(f"{year} 年的轮值交接已经完成：轮值单位 {name} 已记录，plans/{year}.yaml 已存在。没有修改任何文件。"), style="bold green"))
        return
    how = "已记录" if result.turn_was_recorded else {"anchor": "轮值起点", "projected": "按轮值顺序推算"}[result.slot.source]
    if result.slot.override is not None and not result.turn_was_recorded:
        how = f"轮值调整：{result.slot.override.reason}"
    out.print(Text.assemble(f"{year} 年轮值单位：", (name, "bold"), f"（{how}）"))
    if result.previous is not None:
        out.print(f"上一年：{zone.unit_name(result.previous.unit)}（{result.previous.period.label}）", markup=False)
    for p in result.passed:
        out.print(f"跳过：{zone.unit_name(p.unit)}（{p.reason}）", markup=False)
    verb = "将要" if result.dry_run else ""
    out.print()
    for c in result.changes:
        action = "新建" if c.created else "修改"
        out.print(f"{verb}{action} {display_path(root, c.path)}：{c.summary}", markup=False)
    if result.items:
        table = Table(title=Text(terminal(f"{year} 年度计划中的会议和截止日期"), style="bold"), title_justify="left")
        for header in ("日期", "事项", "承办单位"):
            table.add_column(header, overflow="fold")
        for item in result.items:
            title = item.title + ("（截止）" if item.deadline else "")
            table.add_row(item.date.isoformat(), title, zone.unit_name(item.host, short=True) if item.host else "—")
        out.print()
        out.print(table)
    for warning in result.warnings:
        out.print()
        out.print(f"警告：{warning}", style="yellow", markup=False)
    out.print()
    if result.dry_run:
        out.print("这是预演（--dry-run），没有写入任何文件。", style="bold", markup=False)
    elif result.commit:
        out.print(f"已在分支 {result.branch} 上提交 {result.commit[:10]}。拉取请求说明：", style="bold green", markup=False)
        out.print()
        out.print(result.pull_request, markup=False, highlight=False)
    else:
        out.print("已写入。请检查后提交（或下次加 --commit 自动建分支提交）。", style="bold green", markup=False)
