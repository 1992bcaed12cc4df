"""`djxz new activity|unit`: a new record file with the right path and id; asks for what is missing only on a terminal."""

from __future__ import annotations

import re
import sys
from typing import List, Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, parse_date_option, today, zone_root
from djxz.errors import UserError

app = typer.Typer(help="新建记录文件（活动、单位、需求或项目）：自动确定文件位置和编号，写入前先检查。", no_args_is_help=True)

DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只显示将写入的内容，不写文件")]


def interactive() -> bool:
    """Ask only when a person is at a terminal: a script or CI job gets an error naming what is missing instead."""
    return sys.stdin.isatty()


class Asker:
    """Collects the values still missing: prompts for them on a terminal, or lists them for one usage error."""

    def __init__(self) -> None:
        self.ask = interactive()
        self.missing: list[str] = []

    def text(self, value: str | None, option: str, title: str, default: str | None = None) -> str | None:
        if value is not None and value.strip():
            return value.strip()
        if not self.ask:
            self.missing.append(f"{option}（{title}）")
            return None
        while True:
            answer = typer.prompt(title, default=default, show_default=default is not None).strip()
            if answer:
                return answer

    def choice(self, value: str | None, option: str, title: str, choices: tuple[str, ...]) -> str | None:
        if value is not None:
            return choose(value, choices, option)
        if not self.ask:
            self.missing.append(f"{option}（{title}）")
            return None
        menu = "  ".join(f"{i}.{c}" for i, c in enumerate(choices, 1))
        while True:
            answer = typer.prompt(f"{title}（{menu}）").strip()
            if re.fullmatch(r"[0-9]{1,3}", answer) and 1 <= int(answer) <= len(choices):
                return choices[int(answer) - 1]
            if answer in choices:
                return answer
            typer.echo(f"请输入编号 1 至 {len(choices)}，或其中一个名称", err=True)

    def many(self, values: list[str] | None, option: str, title: str) -> list[str] | None:
        items = [v for value in values or [] for v in _split(value)]
        if items:
            return items
        if not self.ask:
            self.missing.append(f"{option}（{title}）")
            return None
        while True:
            items = _split(typer.prompt(f"{title}（单位编号，多个用逗号或空格分开）"))
            if items:
                return items

    def finish(self) -> None:
        if self.missing:
            raise UserError("缺少必填项：" + "、".join(self.missing) + "。不在终端中运行时不会提问，请用选项给出；没有写入任何文件")


def _split(text: str) -> list[str]:
    import re

    return [p for p in re.split(r"[\s,，、]+", text.strip()) if p]


def _date(asker: Asker, value: str | None, option: str, title: str, default) -> object:
    text = asker.text(value, option, title, default=str(default) if asker.ask and default else None)
    return parse_date_option(text, option) if text else None


@app.command("activity")
def activity(
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="活动日期 YYYY-MM-DD", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="活动标题", show_default=False)] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="“五共”类别：组织共建、发展共谋、文化共育、教育共抓、资源共享", show_default=False)] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="活动形式，如 联片党课、月度党建座谈、文体活动", show_default=False)] = None,
    host: Annotated[Optional[List[str]], typer.Option("--host", help="主办单位编号（可写多次，或用逗号分开）", show_default=False)] = None,
    participant: Annotated[Optional[List[str]], typer.Option("--participant", "-p", help="参加单位编号（可写多次，或用逗号分开）", show_default=False)] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", "-s", help="活动概况（一两句话，之后可在文件中补充）", show_default=False)] = None,
    slug: Annotated[Optional[str], typer.Option("--slug", help="文件名中日期后的英文短名，如 lianpian-dangke；默认按活动形式", show_default=False)] = None,
    attendance: Annotated[Optional[int], typer.Option("--attendance", help="参加人数", show_default=False)] = None,
    location: Annotated[Optional[str], typer.Option("--location", help="地点", show_default=False)] = None,
    plan_item: Annotated[Optional[str], typer.Option("--plan-item", help="对应的计划事项编号", show_default=False)] = None,
    resolves: Annotated[Optional[List[str]], typer.Option("--resolves", help="本活动办结的督办事项：活动编号#事项编号（可写多次）", show_default=False)] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="办结的依据：做了什么、结果如何（与 --resolves 一起用）", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一条活动记录：写到 activities/<年份>/<日期>-<短名>.yaml，编号与文件名相同。

    缺少的必填项在终端中会逐项询问；不在终端中运行时直接报错（退出码 2）并写明缺少哪一项。
    写入前用整个协作区检查新记录，有错误时不写入（退出码 1）。
    """
    from djxz.app.new import NewActivity, plan_activity
    from djxz.model import ACTIVITY_KINDS, CATEGORIES

    root = zone_root(zone)
    day = today()
    ask = Asker()
    values = NewActivity(
        date=_date(ask, date, "--date", "活动日期", day),
        title=ask.text(title, "--title", "活动标题"),
        category=ask.choice(category, "--category", "“五共”类别", CATEGORIES),
        kind=ask.choice(kind, "--kind", "活动形式", ACTIVITY_KINDS),
        hosts=ask.many(host, "--host", "主办单位"),
        summary=ask.text(summary, "--summary", "活动概况"),
        participants=[p for value in participant or [] for p in _split(value)],
        slug=slug, attendance=attendance, location=location, plan_item=plan_item,
        resolves=[r for value in resolves or [] for r in _split(value)], evidence=evidence,
    )
    if values.resolves and not (evidence or "").strip():
        ask.missing.append("--evidence（办结的依据）")
    ask.finish()
    _finish(root, plan_activity(root, values, day), dry_run)


@app.command("unit")
def unit(
    unit_id: Annotated[Optional[str], typer.Option("--id", help="单位编号（英文小写和连字符，也是文件名），如 yining-zhan", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="单位全称", show_default=False)] = None,
    short_name: Annotated[Optional[str], typer.Option("--short-name", help="简称", show_default=False)] = None,
    unit_type: Annotated[Optional[str], typer.Option("--type", help="单位类型：机关、站所、高校、国企、其他", show_default=False)] = None,
    role: Annotated[str, typer.Option("--role", help="身份：成员单位（参加轮值）或共建单位（驻地高校、国企等合作方）")] = "成员单位",
    joined: Annotated[Optional[str], typer.Option("--joined", help="加入日期 YYYY-MM-DD", show_default=False)] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="单位简介", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一个单位：写到 units/<单位编号>.yaml。

    缺少的必填项在终端中会逐项询问；不在终端中运行时直接报错（退出码 2）并写明缺少哪一项。
    写入前用整个协作区检查，有错误时不写入（退出码 1）。
    """
    from djxz.app.new import NewUnit, plan_unit
    from djxz.model import UNIT_ROLES, UNIT_TYPES

    root = zone_root(zone)
    day = today()
    ask = Asker()
    values = NewUnit(
        id=ask.text(unit_id, "--id", "单位编号（英文小写和连字符）"),
        name=ask.text(name, "--name", "单位全称"),
        short_name=ask.text(short_name, "--short-name", "简称"),
        type=ask.choice(unit_type, "--type", "单位类型", UNIT_TYPES),
        role=choose(role, UNIT_ROLES, "--role"),
        joined=_date(ask, joined, "--joined", "加入日期", day),
        description=description,
    )
    ask.finish()
    _finish(root, plan_unit(root, values, day), dry_run)


@app.command("need")
def need(
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="提出日期 YYYY-MM-DD", show_default=False)] = None,
    unit_id: Annotated[Optional[str], typer.Option("--unit", "-u", help="提出需求的单位编号", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="需求名称，如 需要借用室内篮球场地", show_default=False)] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="需求类别（与资源、人才的类别相同），如 场地设施、宣讲员", show_default=False)] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="需求说明：要什么、多少、什么时候", show_default=False)] = None,
    needed_by: Annotated[Optional[str], typer.Option("--needed-by", help="希望何时前解决 YYYY-MM-DD", show_default=False)] = None,
    slug: Annotated[Optional[str], typer.Option("--slug", help="文件名中日期后的英文短名；默认按需求类别", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一项需求（需求清单）：写到 needs/<年份>/<日期>-<短名>.yaml。

    需求的状态不用填写：有项目认领即为已认领，项目完成即为已解决；只有撤回时在文件中写 status: 已撤回。
    缺少的必填项在终端中会逐项询问；写入前用整个协作区检查，有错误时不写入（退出码 1）。
    """
    from djxz.app.new import NewNeed, plan_need
    from djxz.model import NEED_KINDS

    root = zone_root(zone)
    day = today()
    ask = Asker()
    values = NewNeed(
        date=_date(ask, date, "--date", "提出日期", day),
        unit=ask.text(unit_id, "--unit", "提出需求的单位（单位编号）"),
        title=ask.text(title, "--title", "需求名称"),
        kind=ask.choice(kind, "--kind", "需求类别", NEED_KINDS),
        description=ask.text(description, "--description", "需求说明"),
        needed_by=parse_date_option(needed_by, "--needed-by"),
        slug=slug,
    )
    ask.finish()
    _finish(root, plan_need(root, values, day), dry_run)


@app.command("project")
def project(
    agreed: Annotated[Optional[str], typer.Option("--agreed", help="约定日期 YYYY-MM-DD", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="项目名称", show_default=False)] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="“五共”类别：组织共建、发展共谋、文化共育、教育共抓、资源共享", show_default=False)] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="牵头单位编号", show_default=False)] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="完成期限 YYYY-MM-DD", show_default=False)] = None,
    need_id: Annotated[Optional[str], typer.Option("--need", help="认领的需求编号（认领后需求即为已认领）", show_default=False)] = None,
    partner: Annotated[Optional[List[str]], typer.Option("--partner", "-p", help="参与单位编号（可写多次，或用逗号分开）", show_default=False)] = None,
    agreement: Annotated[Optional[str], typer.Option("--agreement", help="共建协议的文件编号", show_default=False)] = None,
    slug: Annotated[Optional[str], typer.Option("--slug", help="文件名中日期后的英文短名，默认 xiangmu", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一个共建项目（项目清单）：写到 projects/<年份>/<约定日期>-<短名>.yaml。

    写了 --need 即认领该需求。里程碑和成果之后在文件中补充：最后一个里程碑写上完成它的活动编号（done_by），
    或写上成果（outcome），项目即为完成，对应需求即为已解决。写入前用整个协作区检查，有错误时不写入（退出码 1）。
    """
    from djxz.app.new import NewProject, plan_project
    from djxz.model import CATEGORIES

    root = zone_root(zone)
    day = today()
    ask = Asker()
    values = NewProject(
        agreed=_date(ask, agreed, "--agreed", "约定日期", day),
        title=ask.text(title, "--title", "项目名称"),
        category=ask.choice(category, "--category", "“五共”类别", CATEGORIES),
        lead=ask.text(lead, "--lead", "牵头单位（单位编号）"),
        due=_date(ask, due, "--due", "完成期限", None),
        need=need_id, partners=[p for value in partner or [] for p in _split(value)], agreement=agreement, slug=slug,
    )
    ask.finish()
    _finish(root, plan_project(root, values, day), dry_run)


def _finish(root, new_file, dry_run: bool) -> None:
    from djxz.app.new import write
    from djxz.cli.common import display_path, format_diagnostic

    for d in new_file.warnings:
        typer.echo(format_diagnostic(d, root, "text"), err=True)
    where = display_path(root, new_file.rel)
    if dry_run:
        typer.echo(f"# 将写入 {where}（--dry-run，未写入）")
        typer.echo(new_file.text, nl=False)
        return
    write(new_file)
    typer.echo(f"已新建 {where}（编号 {new_file.record_id}）。请打开文件补充内容，再运行 djxz check。")
