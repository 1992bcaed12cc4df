"""`djxz check`: validate every file of the zone."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, diagnostic_json, format_diagnostic, print_json, today, zone_root
from djxz.cli.output import print_lines
from djxz.errors import UserError


def check(
    zone: ZoneOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json、github（拉取请求标注）")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="警告也算失败；同时报告本年度已逾期的职责")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天检查（YYYY-MM-DD），默认今天")] = None,
    changed: Annotated[bool, typer.Option("--changed", help="只报告本次改动涉及的问题：改动过的文件中的问题，以及改动在其他文件引起的新问题")] = False,
    base: Annotated[Optional[str], typer.Option("--base", help="与 --changed 同用：改动的起点（分支、标签或提交），默认是与主分支的合并基点", show_default=False)] = None,
) -> None:
    """检查协作区的全部文件：格式、字段、单位引用和协作区规则。

    每个问题一行：文件:行:列: 错误[代码] 说明（提示：怎样改）。
    没有错误时退出码为 0；有错误（--strict 时含警告）为 1；用法错误为 2。
    """
    from djxz.app.check import check_zone  # the use case and what it loads: only when this command runs

    fmt = choose(fmt, ("text", "json", "github"), "--format")
    root = zone_root(zone)
    if base is not None and not changed:
        raise UserError("--base 只能与 --changed 一起使用")
    if changed:
        from djxz.app.check import check_changed

        result = check_changed(root, today(as_of), strict=strict, base=base)
        summary = (f"检查了 {result.files} 个文件，本次改动涉及 {len(result.touched)} 个文件（起点 {result.base_label}）："
                   f"{result.errors} 个错误，{result.warnings} 个警告（全协作区共 {result.total} 个问题）")
    else:
        result = check_zone(root, today(as_of), strict=strict)
        summary = f"检查了 {result.files} 个文件：{result.errors} 个错误，{result.warnings} 个警告"
    if fmt == "json":
        print_json({
            "files": result.files,
            "errors": result.errors,
            "warnings": result.warnings,
            "diagnostics": [diagnostic_json(d, root) for d in result.diagnostics],
            **({"base": result.base, "changed_files": list(result.touched), "total": result.total} if changed else {}),
        })
    else:
        lines = [(format_diagnostic(d, root, fmt), ("red" if d.severity == "error" else "yellow") if fmt == "text" else None)
                 for d in result.diagnostics]
        if fmt == "text":
            lines.append((summary, "bold red" if result.errors else "bold green"))
        print_lines(console(), lines)
    raise typer.Exit(result.exit_code(strict))
