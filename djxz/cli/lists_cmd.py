"""`djxz lists`: the 需求清单, 资源清单 and 项目清单 (with the 督办 ledger) as text, JSON or an xlsx 台账."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, parse_date_option, print_json, today, zone_root


def lists(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="只列这一年提出的需求、约定的项目、作出的决定；默认全部", min=1990, max=2100, show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json、xlsx（台账，需 --out）")] = "text",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="xlsx 台账写到哪个文件（.xlsx，已有则覆盖）", show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天判断状态（YYYY-MM-DD），默认今天", show_default=False)] = None,
    zone: ZoneOpt = None,
) -> None:
    """三张清单：需求清单、资源清单、项目清单，以及督办事项。

    需求的状态（开放、已认领、已解决）和督办事项的状态（办理中、逾期、已办结）都从记录推算，不需要手工填写。
    --format xlsx 写出检查用的台账：每张清单一个工作表，表头冻结、带筛选。协作区数据有错误时不输出（退出码 1）。
    """
    from djxz.app.lists import lists_json, load_lists  # the use case and what it loads: only when this command runs

    fmt = choose(fmt, ("text", "json", "xlsx"), "--format")
    if fmt == "xlsx" and out is None:
        from djxz.errors import UserError

        raise UserError("--format xlsx 需要用 --out 指定写入的文件，如 --out 台账.xlsx")
    day = today()
    result = load_lists(zone_root(zone), day, parse_date_option(as_of, "--as-of"), year)
    if fmt == "json":
        print_json(lists_json(result))
    elif fmt == "xlsx":
        from djxz.app.lists import write_lists_xlsx

        written = write_lists_xlsx(result, out)
        console().print(f"已写入 {out}：" + "，".join(f"{n} {k} 行" for n, k in written), markup=False)
    else:
        _print_text(result)


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def _print_text(result) -> None:
    from rich.table import Table
    from rich.text import Text

    from djxz.app.lists import (  # the use case and what it loads: only when this command runs
        DECISION_HEADERS, NEED_HEADERS, PROJECT_HEADERS, RESOURCE_HEADERS,
        decision_rows, need_rows, project_rows, resource_table,
    )

    out = console()
    scope = f"{result.year} 年" if result.year else "全部"
    out.print(Text(f"{result.zone.info.name}　三张清单（{scope}，截至 {result.as_of}）", style="bold"))
    tables = (
        ("需求清单", NEED_HEADERS, need_rows(result), ("编号", "说明", "认领项目")),
        ("资源清单", RESOURCE_HEADERS, resource_table(result), ("说明或专长",)),
        ("项目清单", PROJECT_HEADERS, project_rows(result), ("编号", "对应需求", "成果", "共建协议")),
        ("督办事项", DECISION_HEADERS, decision_rows(result), ("办结依据",)),
    )
    for title, headers, rows, skip in tables:
        keep = [i for i, h in enumerate(headers) if h not in skip]
        table = Table(title=Text(f"{title}（{len(rows)} 项）", style="bold"), title_justify="left")
        for i in keep:
            table.add_column(headers[i], overflow="fold")
        for row in rows:
            table.add_row(*(Text(_cell(row[i])) for i in keep))
        out.print()
        out.print(table)
