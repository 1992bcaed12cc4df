"""`djxz brief` (summary reports and the year plan) and `djxz bulletin` (numbered bulletins): Markdown, DOCX, PDF."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, console, parse_date_option, today, zone_root

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="输出格式：md、docx、pdf 或组合如 md,docx（默认）；all 为 md、docx、pdf 三种。PDF 由 LibreOffice 转换")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="输出目录，默认协作区仓库根目录下的 out/", show_default=False)]
TemplateOpt = Annotated[
    Optional[str],
    typer.Option("--template", "-t", help="模板名称（在协作区的 templates/ 和内置模板中查找 名称.md.j2、名称.docx）或模板文件路径", show_default=False),
]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="成文日期（YYYY-MM-DD），默认已印发记录的日期，否则今天", show_default=False)]


def brief(
    half_year: Annotated[bool, typer.Option("--half-year", help="半年总结通报")] = False,
    annual: Annotated[bool, typer.Option("--annual", help="年度总结通报")] = False,
    plan: Annotated[bool, typer.Option("--plan", help="年度协作计划（含轮值安排）")] = False,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="年度；默认最近一个已结束的期间（计划默认今年）", min=2000, max=2199, show_default=False)] = None,
    half: Annotated[Optional[int], typer.Option("--half", help="1 上半年，2 下半年（与 --half-year 同用）", min=1, max=2, show_default=False)] = None,
    no_charts: Annotated[bool, typer.Option("--no-charts", help="不附统计图（年度通报默认附“活动情况统计图”）")] = False,
    issue: Annotated[bool, typer.Option("--issue", help="印发：取本年度下一个发文字号（如 伊协〔2026〕3号），写入文件记录 documents/<年份>/…；已有记录时沿用，不重复编号")] = False,
    fmt: FormatOpt = "md,docx",
    out: OutOpt = None,
    template: TemplateOpt = None,
    date: DateOpt = None,
    zone: ZoneOpt = None,
) -> None:
    """生成协作区的总结通报或年度协作计划（Markdown、GB/T 9704-2012 版式的 DOCX，以及 PDF）。

    zone.yaml 声明了 documents（发文机关标志、发文字号代字）时加版头和版记；未加 --issue 的稿件发文字号留空（伊协〔2026〕　　号）。

    不给年度时：半年通报为最近一个已结束的半年，年度通报为上一年，计划为今年（下一年度计划已录入时为下一年度）。
    协作区数据有错误时拒绝生成（退出码 1），不写任何文件。
    """
    from djxz.app.brief import make_brief, parse_formats  # the use case and what it loads: only when this command runs
    from djxz.errors import UserError

    chosen = [k for k, on in (("half_year", half_year), ("annual", annual), ("plan", plan)) if on]
    if len(chosen) != 1:
        raise UserError("请指定 --half-year、--annual、--plan 中的一个，如 djxz brief --half-year")
    kind = chosen[0]
    if half is not None and kind != "half_year":
        raise UserError("--half 只能与 --half-year 一起使用")
    formats = parse_formats(fmt)
    root = zone_root(zone)
    result = make_brief(root, kind, today(), year=year, half=half, formats=formats, out=out, template=template,
                        issued=parse_date_option(date, "--date"), issue=issue, charts=not no_charts)
    _print([result])
    _raise_pdf_error([result])


def bulletin(
    activity_ids: Annotated[List[str], typer.Argument(help="活动编号（activities/<年份>/ 下的文件名，不含 .yaml）", show_default=False)],
    issue: Annotated[bool, typer.Option("--issue", help="印发：为新简报写入文件记录（documents/<年份>/…），确定期号")] = False,
    title: Annotated[Optional[str], typer.Option("--title", help="简报标题，代替模板按活动记录拟定的新闻标题（只用于一期简报）", show_default=False)] = None,
    fmt: FormatOpt = "md,docx",
    out: OutOpt = None,
    template: TemplateOpt = None,
    date: DateOpt = None,
    zone: ZoneOpt = None,
) -> None:
    """生成活动的信息简报（第N期，红色报头）。

    已印发过简报的活动按记录的期号和标题生成；其余活动合成一期新简报，使用本年度下一个空闲期号，
    标题由模板按活动记录拟定（主办、参加单位、活动形式和名称），可用 --title 另拟。
    新期号在提交文件记录之前是暂定的：加 --issue 写入记录（documents/<年份>/<日期>-jianbao-di<期号>qi.yaml）。
    """
    from djxz.app.brief import (  # the use case and what it loads: only when this command runs
        make_bulletins,
        parse_formats,
    )

    formats = parse_formats(fmt)
    root = zone_root(zone)
    results = make_bulletins(root, list(activity_ids), today(), formats=formats, out=out, template=template,
                             issued=parse_date_option(date, "--date"), issue=issue, title=title)
    _print(results)
    _raise_pdf_error(results)


def _raise_pdf_error(results) -> None:
    """The PDF could not be made (no LibreOffice: exit 2; it failed: exit 1), after the files that were written have
    been listed."""
    error = next((r.pdf_error for r in results if r.pdf_error is not None), None)
    if error is not None:
        raise error


def _print(results) -> None:
    """Per document: its title, the facts a clerk checks (period or number, duty unit, signature, date), the files
    written (whole paths, never cut to the terminal's width) and what to watch out for."""
    out = console()
    for r in results:
        out.print(r.title, style="bold", markup=False)
        if r.kind == "bulletin":
            facts = [f"期号：第{r.number}期" + ("（暂定）" if r.provisional else ""), f"编印单位：{r.duty_unit}"]
        else:
            facts = [f"期间：{r.period}", f"轮值单位：{r.duty_unit}", f"署名：{r.signature}"]
            if r.number_text:
                facts.append(f"发文字号：{r.number_text}")
        facts.append(f"日期：{r.date}")
        out.print("，".join(facts), markup=False)
        for o in r.outputs:
            out.print(f"  已写入 {_shown(o.path)}（{o.format.upper()}，{_size(o.size)}）", style="green", markup=False)
        if r.issued_record is not None:
            out.print(f"  已写入 {_shown(r.issued_record)}（文件记录）", style="green", markup=False)
        for note in r.notes:
            out.print(f"  说明：{note}", markup=False)
        for warning in r.warnings:
            out.print(f"  注意：{warning}", style="yellow", markup=False)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _size(n: int) -> str:
    return f"{n} 字节" if n < 1024 else f"{n / 1024:.1f} KB"
