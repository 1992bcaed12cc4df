"""`djxz new activity|unit|document`: a new record file with the right path and id; guided entry on a terminal."""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, choose, today, zone_root
from djxz.cli.guided import Asker, count_parser, date_parser, split_items, units_parser
from djxz.cli.output import echo
from djxz.cli.zh import ZhCommand, ZhGroup
from djxz.errors import UserError

app = typer.Typer(help="新建记录文件（活动、单位、已印发的文件、需求或项目）：自动确定文件位置和编号，写入前先检查。", no_args_is_help=True,
                  cls=ZhGroup, rich_markup_mode=None)

DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只显示将写入的内容，不写文件")]
EARLIEST = dt.date(1990, 1, 1)


class _Entry:
    """What every guided entry starts with: the zone, today, what zone.yaml and units/ say (read once), and the asker."""

    def __init__(self, zone) -> None:
        from djxz.app.new import entry_facts  # reads zone.yaml and units/: only when a command runs

        self.root = zone_root(zone)
        self.day = today()
        self.facts = entry_facts(self.root)
        self.names = self.facts.names
        self.ask = Asker()
        self.earliest = self.facts.established or EARLIEST  # from the zone's founding (or 1990) to a year after today
        self.latest = self.day + dt.timedelta(days=366)

    def date(self, given: str | None, option: str, title: str, today_default: bool = True, required: bool = True,
             latest: dt.date | None = None) -> dt.date | None:
        last = latest or self.latest
        return self.ask.value(given, option, f"{title}（YYYY-MM-DD，{self.earliest} 至 {last}）",
                              date_parser(option, self.earliest, last), default=str(self.day) if today_default else None,
                              required=required)

    def units(self, given: list[str] | None, option: str, title: str, required: bool = True, ask: bool = True) -> list[str]:
        """Unit ids from a repeatable option (an unknown name is kept for the zone check to name), else asked for."""
        if given:
            return units_parser(option, self.names, strict=False)(",".join(given))
        if not ask:
            return []
        return self.ask.value(None, option, title, units_parser(option, self.names), required=required) or []


@app.command("activity", cls=ZhCommand)
def activity(
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="活动日期 YYYY-MM-DD", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="活动标题", show_default=False)] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="“五共”类别：组织共建、发展共谋、文化共育、教育共抓、资源共享", show_default=False)] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="活动形式，如 联片党课、月度党建座谈、文体活动", show_default=False)] = None,
    host: Annotated[Optional[List[str]], typer.Option("--host", help="主办单位：编号、全称或简称（可写多次，或用逗号分开）", show_default=False)] = None,
    participant: Annotated[Optional[List[str]], typer.Option("--participant", "-p", help="参加单位：编号、全称或简称（可写多次，或用逗号分开）", show_default=False)] = None,
    summary: Annotated[Optional[str], typer.Option("--summary", "-s", help="活动概况（一两句话，之后可在文件中补充）", show_default=False)] = None,
    slug: Annotated[Optional[str], typer.Option("--slug", help="文件名中日期后的短名，如 lianpian-dangke；默认取标题关键词的拼音", show_default=False)] = None,
    attendance: Annotated[Optional[str], typer.Option("--attendance", help="参加人数", show_default=False)] = None,
    location: Annotated[Optional[str], typer.Option("--location", help="地点", show_default=False)] = None,
    plan_item: Annotated[Optional[str], typer.Option("--plan-item", help="对应的计划事项编号", show_default=False)] = None,
    resolves: Annotated[Optional[List[str]], typer.Option("--resolves", help="本活动办结的督办事项：活动编号#事项编号（可写多次）", show_default=False)] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="办结的依据：做了什么、结果如何（与 --resolves 一起用）", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一条活动记录：写到 activities/<年份>/<日期>-<短名>.yaml，编号与文件名相同。

    短名默认取标题关键词的拼音（见 docs/ids.md），与已有编号重复时自动加 -2、-3。
    在终端中缺少的必填项会逐项询问，每项答完立即检查；不在终端中运行时直接报错（退出码 2）并列出缺少的全部选项。
    写入前用整个协作区检查新记录，有错误时不写入（退出码 1）。
    """
    # the use case and what it loads: only when this command runs
    from djxz.app.new import NewActivity, plan_activity
    from djxz.vocabulary import CATEGORIES

    entry = _Entry(zone)
    ask = entry.ask
    values = dict(
        date=entry.date(date, "--date", "活动日期"),
        title=ask.text(title, "--title", "活动标题"),
        category=ask.choice(category, "--category", "“五共”类别", CATEGORIES),
        kind=ask.choice(kind, "--kind", "活动形式", entry.facts.kinds("activity_kinds")),
        hosts=entry.units(host, "--host", "主办单位（编号、全称或简称，多个用逗号分开）") or None,
        summary=ask.text(summary, "--summary", "活动概况"),
        participants=entry.units(participant, "--participant", "参加单位", required=False),
        attendance=ask.value(attendance, "--attendance", "参加人数", count_parser("--attendance"), required=False),
    )
    closes = [r for value in resolves or [] for r in split_items(value)]
    if closes and not (evidence or "").strip():
        ask.missing.append("--evidence（办结的依据）")
    ask.finish()
    new = NewActivity(**values, slug=slug, location=location, plan_item=plan_item,  # type: ignore[arg-type]
                      resolves=closes, evidence=evidence)
    _finish(entry.root, plan_activity(entry.root, new, entry.day), dry_run)


def _rotation_position(choice: str | None, order: list[str], ask: Asker, names: dict[str, str]) -> int | None:
    """--rotation append|none|<位次>, or the answer on a terminal: the 0-based place in the duty order, None to stay out."""
    def parse(text: str) -> int | None:
        text = text.strip()
        if text in ("append", "末位", ""):
            return len(order)
        if text in ("none", "不加入", "0"):
            return None
        if re.fullmatch(r"[0-9]{1,4}", text) and 1 <= int(text) <= len(order) + 1:
            return int(text) - 1
        raise UserError(f"--rotation 只能是 append（末位）、none（不加入）或位次 1 至 {len(order) + 1}，不能是“{text}”")

    if choice is not None:
        return parse(choice)
    if not ask.ask or not order:
        return None
    reverse = {uid: name for name, uid in names.items() if name != uid}
    shown = "  ".join(f"{i}.{reverse.get(uid, uid)}" for i, uid in enumerate(order, 1))
    answer = ask.read(f"加入轮值顺序的位次（现在：{shown}；回车=末位 {len(order) + 1}，0=不加入）", None)
    while True:
        try:
            return parse(answer)
        except UserError as exc:
            echo(f"{exc}，请重新输入。", err=True)
            answer = ask.read("加入轮值顺序的位次", None)


@app.command("unit", cls=ZhCommand)
def unit(
    unit_id: Annotated[Optional[str], typer.Option("--id", help="单位编号（也是文件名）；默认按简称的拼音生成，如 塔什库尔干站 → tashikuergan-zhan", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="单位全称", show_default=False)] = None,
    short_name: Annotated[Optional[str], typer.Option("--short-name", help="简称", show_default=False)] = None,
    unit_type: Annotated[Optional[str], typer.Option("--type", help="单位类型：机关、站所、高校、国企、其他", show_default=False)] = None,
    role: Annotated[str, typer.Option("--role", help="身份：成员单位（参加轮值）或共建单位（驻地高校、国企等合作方）")] = "成员单位",
    joined: Annotated[Optional[str], typer.Option("--joined", help="加入日期 YYYY-MM-DD", show_default=False)] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="单位简介", show_default=False)] = None,
    rotation: Annotated[Optional[str], typer.Option("--rotation", help="成员单位加入轮值顺序的位置：append（末位）、none（不加入）或位次数字；终端中不写会询问", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一个单位：写到 units/<单位编号>.yaml；成员单位可同时加入轮值顺序（zone.yaml 只增加一行）。

    单位编号默认按简称的拼音生成（规则见 docs/ids.md），重复时加 -2、-3；--id 可指定。
    在终端中缺少的必填项会逐项询问，每项答完立即检查；不在终端中运行时直接报错（退出码 2）并列出缺少的全部选项。
    写入前用整个协作区检查，有错误时不写入（退出码 1）。
    """
    # the use case and what it loads: only when this command runs
    from djxz.app.new import NewUnit, duty_order, plan_unit, propose_unit_id
    from djxz.vocabulary import UNIT_ROLES, UNIT_TYPES

    role = choose(role, UNIT_ROLES, "--role")
    entry = _Entry(zone)
    root, ask = entry.root, entry.ask
    full = ask.text(name, "--name", "单位全称")
    short = ask.text(short_name, "--short-name", "简称", default=full if ask.ask else None)
    kind = ask.choice(unit_type, "--type", "单位类型", UNIT_TYPES)
    if unit_id is None and ask.ask and short and kind:
        unit_id = ask.text(None, "--id", "单位编号（回车使用建议的编号）", default=propose_unit_id(root, short, kind))
    since = entry.date(joined, "--joined", "加入日期")
    ask.finish()
    position = _rotation_position(rotation, duty_order(root), ask, entry.names) if role == "成员单位" else None
    new = NewUnit(id=unit_id, name=full, short_name=short, type=kind, role=role, joined=since,  # type: ignore[arg-type]
                  description=description, rotation_position=position)
    _finish(root, plan_unit(root, new, entry.day), dry_run)


@app.command("document", cls=ZhCommand)
def document(
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="文件种类：信息简报、半年总结通报、年度总结通报、年度协作计划、轮值安排、向市委报送计划、向市委报送总结、会议通知、会议纪要、其他", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="印发日期 YYYY-MM-DD", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="文件标题", show_default=False)] = None,
    number: Annotated[Optional[int], typer.Option("--number", help="期号（信息简报必填）", show_default=False)] = None,
    period: Annotated[Optional[str], typer.Option("--period", help="所属期次，如 2026、2026H1", show_default=False)] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", help="印发单位：编号、全称或简称", show_default=False)] = None,
    activity_ids: Annotated[Optional[List[str]], typer.Option("--activity", "-a", help="信息简报报道的活动编号（可写多次，或用逗号分开）", show_default=False)] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="备注", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """登记一份在 djxz 之外写好并已印发的文件：写到 documents/<年份>/<日期>-<短名>.yaml，相应职责即算完成。

    重复运行不会重复登记：同一种类、同一期次（信息简报为同一年同一期号）的记录已存在时不写入。
    """
    # the use case and what it loads: only when this command runs
    from djxz.app.new import NewDocument, plan_document

    entry = _Entry(zone)
    ask = entry.ask
    values = dict(
        kind=ask.choice(kind, "--kind", "文件种类", entry.facts.kinds("document_kinds")),
        date=entry.date(date, "--date", "印发日期"),
        title=ask.text(title, "--title", "文件标题"),
    )
    ask.finish()
    issuer_id = units_parser("--issuer", entry.names)(issuer)[0] if issuer else None
    acts = [a for value in activity_ids or [] for a in split_items(value)]
    new = NewDocument(**values, number=number, period=period, issuer=issuer_id, activities=acts, note=note)  # type: ignore[arg-type]
    _finish(entry.root, plan_document(entry.root, new, entry.day), dry_run)


@app.command("need", cls=ZhCommand)
def need(
    date: Annotated[Optional[str], typer.Option("--date", "-d", help="提出日期 YYYY-MM-DD", show_default=False)] = None,
    unit_id: Annotated[Optional[str], typer.Option("--unit", "-u", help="提出需求的单位：编号、全称或简称", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="需求名称，如 需要借用室内篮球场地", show_default=False)] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="需求类别（与资源、人才的类别相同），如 场地设施、宣讲员", show_default=False)] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="需求说明：要什么、多少、什么时候", show_default=False)] = None,
    needed_by: Annotated[Optional[str], typer.Option("--needed-by", help="希望何时前解决 YYYY-MM-DD", show_default=False)] = None,
    slug: Annotated[Optional[str], typer.Option("--slug", help="文件名中日期后的英文短名；默认取需求名称关键词的拼音", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一项需求（需求清单）：写到 needs/<年份>/<日期>-<短名>.yaml。

    需求的状态不用填写：有项目认领即为已认领，项目完成即为已解决；只有撤回时在文件中写 status: 已撤回。
    在终端中缺少的必填项会逐项询问，每项答完立即检查；写入前用整个协作区检查，有错误时不写入（退出码 1）。
    """
    from djxz.app.new import NewNeed, plan_need  # the use case loads the zone: only when run
    from djxz.vocabulary import NEED_KINDS

    entry = _Entry(zone)
    ask = entry.ask
    units = ask.value(unit_id, "--unit", "提出需求的单位（编号、全称或简称）", units_parser("--unit", entry.names))
    values = NewNeed(
        date=entry.date(date, "--date", "提出日期"),
        unit=units[0] if units else None,
        title=ask.text(title, "--title", "需求名称"),
        kind=ask.choice(kind, "--kind", "需求类别", NEED_KINDS),
        description=ask.text(description, "--description", "需求说明"),
        needed_by=entry.date(needed_by, "--needed-by", "希望何时前解决", today_default=False, required=False),
        slug=slug,
    )
    ask.finish()
    _finish(entry.root, plan_need(entry.root, values, entry.day), dry_run)


@app.command("project", cls=ZhCommand)
def project(
    agreed: Annotated[Optional[str], typer.Option("--agreed", help="约定日期 YYYY-MM-DD", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", "-t", help="项目名称", show_default=False)] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="“五共”类别：组织共建、发展共谋、文化共育、教育共抓、资源共享", show_default=False)] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="牵头单位：编号、全称或简称", show_default=False)] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="完成期限 YYYY-MM-DD", show_default=False)] = None,
    need_id: Annotated[Optional[str], typer.Option("--need", help="认领的需求编号（认领后需求即为已认领）", show_default=False)] = None,
    partner: Annotated[Optional[List[str]], typer.Option("--partner", "-p", help="参与单位：编号、全称或简称（可写多次，或用逗号分开）", show_default=False)] = None,
    agreement: Annotated[Optional[str], typer.Option("--agreement", help="共建协议的文件编号", show_default=False)] = None,
    slug: Annotated[Optional[str], typer.Option("--slug", help="文件名中日期后的英文短名；默认取项目名称关键词的拼音", show_default=False)] = None,
    zone: ZoneOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """新建一个共建项目（项目清单）：写到 projects/<年份>/<约定日期>-<短名>.yaml。

    写了 --need 即认领该需求。里程碑和成果之后在文件中补充：最后一个里程碑写上完成它的活动编号（done_by），
    或写上成果（outcome），项目即为完成，对应需求即为已解决。写入前用整个协作区检查，有错误时不写入（退出码 1）。
    """
    from djxz.app.new import NewProject, plan_project  # the use case loads the zone: only when run
    from djxz.vocabulary import CATEGORIES

    entry = _Entry(zone)
    ask = entry.ask
    leads = ask.value(lead, "--lead", "牵头单位（编号、全称或简称）", units_parser("--lead", entry.names))
    values = NewProject(
        agreed=entry.date(agreed, "--agreed", "约定日期"),
        title=ask.text(title, "--title", "项目名称"),
        category=ask.choice(category, "--category", "“五共”类别", CATEGORIES),
        lead=leads[0] if leads else None,
        due=entry.date(due, "--due", "完成期限", today_default=False, latest=entry.latest + dt.timedelta(days=3650)),
        need=need_id,
        partners=entry.units(partner, "--partner", "参与单位", ask=False),
        agreement=agreement, slug=slug,
    )
    ask.finish()
    _finish(entry.root, plan_project(entry.root, values, entry.day), dry_run)


def _finish(root, new_file, dry_run: bool) -> None:
    from djxz.app.new import write  # the use case and what it loads: only when this command runs
    from djxz.cli.common import display_path, format_diagnostic

    where = display_path(root, new_file.rel)
    if new_file.existing:
        echo(f"已有这份文件的记录 {where}（编号 {new_file.record_id}），没有重复登记。")
        return
    for d in new_file.warnings:
        echo(format_diagnostic(d, root, "text"), err=True)
    if dry_run:
        echo(f"# 将写入 {where}（--dry-run，未写入）")
        echo(new_file.text, nl=False)
        for path, _ in new_file.edits:
            echo(f"# 并修改 {display_path(root, path.relative_to(root).as_posix())}")
        for note in new_file.notes:
            echo(f"# {note}")
        return
    write(new_file)
    echo(f"已新建 {where}（编号 {new_file.record_id}）。请打开文件补充内容，再运行 djxz check。")
    for note in new_file.notes:
        echo(note)
