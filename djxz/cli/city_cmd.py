"""`djxz city`: several zones side by side for the city committee (各协作区工作情况汇总), with charts."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from typing_extensions import Annotated

from djxz.cli.brief_cmd import _shown, _size
from djxz.cli.common import console, format_diagnostic, parse_date_option, progress, today


def city(
    zones: Annotated[List[Path], typer.Argument(help="各协作区的目录（含 zone.yaml 的目录，或含 data/ 的仓库目录）", show_default=False)],
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="年度；默认上一年", show_default=False)] = None,
    half: Annotated[Optional[int], typer.Option("--half", help="1 上半年，2 下半年；不写则汇总全年", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：md、docx、json、xlsx，可用逗号分隔多种")] = "md,docx",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="输出目录，默认当前目录下的 out/", show_default=False)] = None,
    no_charts: Annotated[bool, typer.Option("--no-charts", help="不画图表")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="跳过数据有错误的协作区（列出它们），而不是拒绝汇总")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天的情况统计职责（YYYY-MM-DD），默认今天", show_default=False)] = None,
) -> None:
    """汇总几个协作区的工作情况（供市委组织部），生成 Markdown、DOCX、JSON 或 Excel，附图表。

    每个协作区先按 djxz check 检查；有错误的协作区会列出错误并拒绝汇总（退出码 1），加 --skip-invalid 则跳过它。
    同一个目录给两次、两个协作区名称相同，都是用法错误（退出码 2）。
    """
    from djxz.app.city import InvalidZones, make_city  # the roll-up pulls in matplotlib and docx: only when run

    try:
        with progress("检查各协作区") as report:
            result = make_city(list(zones), today(), year=year, half=half, formats=fmt, out=out, charts=not no_charts,
                               skip_invalid=skip_invalid, as_of=parse_date_option(as_of, "--as-of"), progress=report)
    except InvalidZones as exc:
        err = console(stderr=True)
        for skipped in exc.invalid:
            for d in skipped.errors:
                err.print(f"{skipped.path}：" + format_diagnostic(d, Path(skipped.path), "text"), markup=False)
        raise
    out_console = console()
    out_console.print(result.title, style="bold", markup=False)
    out_console.print("汇总的协作区：" + "、".join(result.zones), markup=False)
    for s in result.skipped:
        out_console.print(f"  跳过 {s.path}：有 {len(s.errors)} 个错误（在该目录运行 djxz check 查看）", style="yellow", markup=False)
    for o in result.outputs:
        out_console.print(f"  已写入 {_shown(o.path)}（{o.format.upper()}，{_size(o.size)}）", style="green", markup=False)
    for w in result.warnings:
        out_console.print(f"  注意：{w}", style="yellow", markup=False)
