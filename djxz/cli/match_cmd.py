"""`djxz match`: for each open need the units that could meet it, and for each resource the needs, with reasons."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, console, parse_date_option, print_json, today, zone_root


def match(
    need: Annotated[Optional[str], typer.Option("--need", "-n", help="只为这一项需求（需求编号）找候选单位", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text（默认）、json")] = "text",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="按哪一天判断（YYYY-MM-DD），默认今天", show_default=False)] = None,
    top: Annotated[int, typer.Option("--top", help="文字输出中每项需求最多列几个候选单位", min=1, max=100)] = 3,
    zone: ZoneOpt = None,
) -> None:
    """双向认领：为每项开放的需求排出可能满足它的单位，并为每项资源列出它可能满足的需求。

    每个候选都附有理由：类别相符、用词相近、同类单位、已有共建往来、在办项目多少。评分规则见 docs/lists.md。
    """
    from djxz.app.match import load_match, match_json  # the use case and what it loads: only when this command runs

    fmt = choose(fmt, ("text", "json"), "--format")
    zone_data, needs, offers = load_match(zone_root(zone), today(), parse_date_option(as_of, "--as-of"), need)
    if fmt == "json":
        print_json(match_json(zone_data, needs, offers))
        return
    out = console()
    if not needs:
        out.print("没有开放的需求。", markup=False)
    for m in needs:
        asker = zone_data.unit_name(m.need.unit, short=True)
        out.print(f"\n{m.need.title}（{m.need.id}，{asker}，{m.need.kind}）", style="bold", markup=False)
        if not m.candidates:
            out.print("  没有找到能满足的单位：资源清单中没有同类资源或相近的说明", markup=False)
        for i, c in enumerate(m.candidates[:top], 1):
            out.print(f"  {i}. {zone_data.unit_name(c.unit)}　{c.score:g} 分", markup=False)
            for reason in c.because:
                out.print(f"       · {reason}", markup=False)
        if len(m.candidates) > top:
            out.print(f"  另有 {len(m.candidates) - top} 个候选（--format json 查看全部）", markup=False)
    if offers:
        out.print("\n资源可满足的需求：", style="bold", markup=False)
        for o in offers:
            names = "、".join(f"{n.title}（{c.score:g} 分）" for n, c in o.needs)
            out.print(f"  {zone_data.unit_name(o.offer.unit, short=True)}“{o.offer.name}”：{names}", markup=False)
