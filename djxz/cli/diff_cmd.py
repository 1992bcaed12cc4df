"""`djxz diff`: what a change to the zone means, as Markdown for a pull-request comment, plain text or JSON."""

from __future__ import annotations

from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, print_json, zone_root
from djxz.cli.output import echo
from djxz.escape import terminal


def diff(
    base: Annotated[Optional[str], typer.Argument(help="比较的起点（分支、标签或提交）；默认是与主分支（main、master 或 origin/HEAD）的合并基点", show_default=False)] = None,
    head: Annotated[Optional[str], typer.Argument(help="比较的终点；默认是工作区（包括尚未提交的修改）", show_default=False)] = None,
    zone: ZoneOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：md（默认，可直接贴到拉取请求）、text、json")] = "md",
) -> None:
    """说明一次改动对协作区意味着什么，可直接贴到拉取请求。

    按种类列出新增、删除、修改的记录和修改了哪些字段，并提醒审阅者必须注意的事项：已记录的轮值被改动、
    删除的单位仍被引用、信息简报期号被重复使用、截止时间被改动。两个版本都直接从 git 对象读取，
    不会切换分支或改动工作区。
    """
    from djxz.app.diff import diff_revisions  # the use case and what it loads: only when this command runs
    from djxz.app.diff_render import diff_json, render_markdown, render_text

    fmt = choose(fmt, ("md", "text", "json"), "--format")
    result = diff_revisions(zone_root(zone), base, head)
    if fmt == "json":
        print_json(diff_json(result))
    else:
        echo(render_markdown(result) if fmt == "md" else terminal(render_text(result), keep_newlines=True), nl=False)


