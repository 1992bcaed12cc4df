"""`djxz check`: validate every file of the zone."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, diagnostic_json, format_diagnostic, print_json, today, zone_root


def check(
    zone: ZoneOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json、github（拉取请求标注）")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="警告也算失败；同时报告本年度已逾期的职责")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天检查（YYYY-MM-DD），默认今天")] = None,
) -> None:
    """检查协作区的全部文件：格式、字段、单位引用和协作区规则。

    每个问题一行：文件:行:列: 错误[代码] 说明（提示：怎样改）。
    没有错误时退出码为 0；有错误（--strict 时含警告）为 1；用法错误为 2。
    """
    from djxz.app.check import check_zone

    fmt = choose(fmt, ("text", "json", "github"), "--format")
    root = zone_root(zone)
    result = check_zone(root, today(as_of), strict=strict)
    summary = f"检查了 {result.zone.files} 个文件：{result.errors} 个错误，{result.warnings} 个警告"
    if fmt == "json":
        print_json({
            "files": result.zone.files,
            "errors": result.errors,
            "warnings": result.warnings,
            "diagnostics": [diagnostic_json(d, root) for d in result.diagnostics],
        })
    else:
        out = console()
        for d in result.diagnostics:
            style = "red" if d.severity == "error" else "yellow"
            out.print(format_diagnostic(d, root, fmt), style=style if fmt == "text" else None, markup=False)
        if fmt == "text":
            out.print(summary, style="bold red" if result.errors else "bold green", markup=False)
    raise typer.Exit(result.exit_code(strict))
