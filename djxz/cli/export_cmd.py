"""`djxz export --year Y -o FILE.xlsx`: a year of the zone as an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, console, parse_date_option, progress, today, zone_root


def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="写入的 Excel 文件（.xlsx），已有则覆盖", show_default=False)],
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="哪一年，默认今年", min=1990, max=2100, show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天统计（YYYY-MM-DD），默认今天", show_default=False)] = None,
    zone: ZoneOpt = None,
) -> None:
    """把一年的活动和统计导出为 Excel：活动、单位参与、类别统计、职责四张表。

    表头为中文、加粗并冻结，列宽按内容调整；“活动”表的列与 djxz import activities 相同，可改后再导入。
    协作区数据有错误时不导出（退出码 1），请先运行 djxz check。
    """
    from djxz.app.export import export_year  # the use case and what it loads: only when this command runs

    root = zone_root(zone)
    day = today()
    with progress("导出") as report:
        result = export_year(root, day, year or day.year, out, parse_date_option(as_of, "--as-of"), report)
    sheets = "，".join(f"{name} {n} 行" for name, n in result.sheets)
    console().print(f"已导出 {result.year} 年（截至 {result.as_of}）到 {out}：{sheets}", markup=False)
