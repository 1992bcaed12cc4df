"""`djxz import units|activities FILE.xlsx`: Excel rows to record files; `djxz import --template KIND`: an empty sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, console, progress, today, zone_root
from djxz.escape import terminal
from djxz.errors import DataError, UserError

KIND_WORDS = "units（单位）或 activities（活动）"
STATUS_STYLES = {"新增": "green", "未变": "dim", "有改动": "yellow", "重复": "dim", "有错误": "bold red"}


def _kind(word: str | None, option: str) -> str:
    from djxz.app.excel_import import KINDS  # the importer's tables: only when --kind is parsed

    aliases = {"unit": "units", "activity": "activities", "单位": "units", "活动": "activities"}
    word = aliases.get(word or "", word)
    if word not in KINDS:
        raise UserError(f"{option} 应为 {KIND_WORDS}，不能是“{word}”")
    return KINDS[word]


def _complete_kind(incomplete: str) -> list[str]:
    return [word for word in ("units", "activities") if word.startswith(incomplete)]


def import_(
    kind: Annotated[Optional[str], typer.Argument(help="导入什么：units（单位）或 activities（活动）", show_default=False,
                                                  autocompletion=_complete_kind)] = None,
    file: Annotated[Optional[Path], typer.Argument(help="Excel 文件（.xlsx）", show_default=False)] = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", "-s", help="工作表名称；默认“活动”或“单位”，没有则用第一张表", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只预览和检查，不写文件")] = False,
    update: Annotated[bool, typer.Option("--update", help="表中与已有记录不同的行：改写这些记录中改动的字段（其余内容和注释不变）")] = False,
    template: Annotated[Optional[str], typer.Option("--template", help="生成导入模板：units 或 activities", show_default=False,
                                                    autocompletion=_complete_kind)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="与 --template 同用：模板文件名，默认“活动导入模板.xlsx”或“单位导入模板.xlsx”", show_default=False)] = None,
    zone: ZoneOpt = None,
) -> None:
    """从 Excel 导入单位或活动：每行一条记录，按中文列名对应字段，全部行都没有错误才写入，每条记录一个文件。

    单位可写编号、全称或简称；日期可以是 Excel 日期或文字；一格多个值用“、”、逗号或换行分隔。
    已导入过的行（编号相同，或活动的日期、标题、主办单位相同）与已有记录比较：未变的跳过，重复导入不会产生重复记录；
    有改动的逐行列出改动的字段（原值 → 新值），不加 --update 时拒绝导入、什么也不写；加 --update 只改写改动的字段。
    有错误时什么也不写，逐条写明第几行哪一列，退出码为 1。
    """
    if template is not None:
        if kind is not None or file is not None or dry_run or update or sheet is not None:
            raise UserError("--template 只生成模板，不能同时给出要导入的文件、--sheet、--dry-run 或 --update")
        _template(_kind(template, "--template"), out, zone)
        return
    if out is not None:
        raise UserError("--out 只能与 --template 一起使用")
    if kind is None or file is None:
        raise UserError("用法：djxz import units|activities 文件.xlsx；生成模板：djxz import --template units|activities")
    record_kind = _kind(kind, "导入类型")
    # the use case and what it loads: only when this command runs
    from djxz.app.excel_import import plan_import, write_import

    root = zone_root(zone)
    with progress("导入") as report:
        plan = plan_import(root, record_kind, file, sheet, today(), report)
    con = console()
    _print_plan(con, plan)
    for p in plan.warnings:
        con.print("警告：" + p.line(plan.book), style="yellow", markup=False)
    if plan.errors:
        lines = "\n".join("  " + p.line(plan.book) for p in plan.errors)
        raise DataError(f"{plan.book} 有 {len(plan.errors)} 处错误，没有写入任何文件：\n{lines}")
    new, skipped, changed = len(plan.new_rows), len(plan.skipped), len(plan.changed_rows)
    counts = f"新增 {new} 条，跳过已有 {skipped} 条" + (f"，有改动 {changed} 条" if changed else "")
    if dry_run:
        hint = "；有改动的行要加 --update 才会写入" if changed and not update else ""
        con.print(f"预览（--dry-run）：{counts}；没有写入文件{hint}。", style="bold", markup=False)
        return
    with progress("导入") as report:
        written = write_import(plan, report, update=update)
    folder = "units/" if record_kind == "unit" else "activities/"
    if written:
        con.print(f"已写入 {len(written)} 个文件到 {folder}（{counts}{'，已更新' if changed else ''}）。用 git diff 查看，确认后提交。", style="bold green", markup=False)
    else:
        con.print(f"没有新记录：{skipped} 条都已在协作区中且未变，没有写入文件。", style="bold", markup=False)


def _print_plan(con, plan) -> None:
    from rich.table import Table
    from rich.text import Text

    what = "单位" if plan.kind == "unit" else "活动"
    title = f"{plan.book}（工作表“{plan.sheet}”）：{len(plan.rows)} 行{what}"
    table = Table(title=Text(terminal(title), style="bold"), title_justify="left")
    table.add_column("行", justify="right")
    table.add_column("状态")
    if plan.kind == "unit":
        heads = (("单位编号", None), ("全称", "name"), ("简称", "short_name"), ("单位类型", "type"))
    else:
        heads = (("编号", None), ("日期", "date"), ("标题", "title"), ("主办单位", "hosts"))
    for head, key in heads:
        # Ids and dates stay whole; titles and names wrap.
        whole = key in (None, "date")
        table.add_column(head, overflow="fold", no_wrap=whole, min_width=10 if whole else None)
    notes = any(row.note for row in plan.rows)
    if notes:
        table.add_column("说明", overflow="fold")
    for row in plan.rows:
        cells = []
        for _, key in heads:
            value = row.record_id if key is None else row.values.get(key)
            if key == "hosts" and isinstance(value, list):
                value = "、".join(plan.unit_name(uid) for uid in value)
            cells.append("" if value is None else str(value))
        table.add_row(str(row.row), Text(terminal(row.status), style=STATUS_STYLES.get(row.status, "")),
                      *(Text(terminal(c)) for c in cells), *((Text(terminal(row.note)),) if notes else ()))
    con.print(table)
    for row in plan.changed_rows:
        con.print(Text(terminal(f"第 {row.row} 行 {row.record_id}（{row.rel}）有改动：")), style="yellow")
        for header, old, new in row.changes:
            con.print(Text(terminal(f"  {header}：{_one_line(old)} → {_one_line(new)}")))
    if plan.ignored:
        con.print(f"没有用到的列：{'、'.join(plan.ignored)}", style="dim", markup=False)


def _one_line(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _template(kind: str, out: Path | None, zone: str | None) -> None:
    # the use case and what it loads: only when this command runs
    from djxz.app.excel_import import SHEETS, write_template
    from djxz.errors import DjxzError

    out = out or Path(f"{SHEETS[kind]}导入模板.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"模板文件应以 .xlsx 结尾：{out}")
    if not out.parent.is_dir():
        raise UserError(f"目录 {out.parent} 不存在")
    loaded = None
    try:  # with a zone at hand, the template lists its units and offers its vocabulary: zone.yaml and units/ only
        from djxz.load.loader import load_zone, zone_files

        root = zone_root(zone)
        loaded, _ = load_zone(root, listing=zone_files(root, only=("units",)), fast=True)
    except DjxzError:
        loaded = None
    write_template(kind, out, loaded)
    units = f"，附协作区的 {len(loaded.units)} 个单位名称" if loaded is not None and kind == "activity" else ""
    console().print(f"已生成模板 {out}（工作表“{SHEETS[kind]}”和“填写说明”{units}）。", markup=False)
