"""Use case: render the zone's documents (summary reports, the year plan, bulletins) to Markdown and DOCX files.

Everything is rendered in memory first and written only when all of it succeeded, each file atomically: a broken
template or invalid data leaves the output folder as it was. Returns what was written; prints nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from djxz.domain.periods import Period
from djxz.errors import DataError, DjxzError, UserError

FORMATS = ("md", "docx")
SUFFIXES = {"md": ".md", "docx": ".docx"}
KINDS = ("half_year", "annual", "plan")
KIND_NAMES = {"half_year": "半年总结通报", "annual": "年度总结通报", "plan": "年度协作计划", "bulletin": "信息简报"}


@dataclass(frozen=True)
class Output:
    path: Path
    format: str
    size: int


@dataclass
class Rendered:
    """One document: what it is, the files written for it, and what the user should know about it."""

    kind: str
    title: str
    file_stem: str
    period: str
    duty_unit: str
    signature: str
    date: str
    number: int | None = None
    provisional: bool = False
    outputs: list[Output] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for information: where a title or a number came from
    warnings: list[str] = field(default_factory=list)  # to act on: a provisional number, a period not yet over
    issued_record: Path | None = None


def _first_year_shown(kind: str, today: dt.date, year: int | None, half: int | None) -> int | None:
    """A summary report shows its period, compares it with the year before and judges its duties by records made
    since: activities and documents of earlier years need not be read (None: read them all)."""
    if kind == "plan":
        return None
    try:
        period = half_year_period(today, year, half) if kind == "half_year" else annual_period(today, year)
    except DjxzError:  # reported with the zone loaded, as before
        return None
    return period.year - 1


# -- options ------------------------------------------------------------------------------------------------------------

def parse_formats(text: str) -> tuple[str, ...]:
    """`md,docx` -> ("md", "docx"); unknown names are a usage error."""
    names = [t.strip().lower() for t in text.replace("，", ",").split(",") if t.strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise UserError(f"--format 只能是 md、docx 或 md,docx，不能是“{text}”")
    return tuple(dict.fromkeys(names))


def repo_root(zone_root: Path) -> Path:
    """The zone's repository: the folder holding data/ (or the zone folder itself when zone.yaml is at its top)."""
    return zone_root.parent if zone_root.name == "data" else zone_root


def default_out_dir(zone_root: Path) -> Path:
    return repo_root(zone_root) / "out"


def half_year_period(today: dt.date, year: int | None, half: int | None) -> Period:
    """The half year asked for; without year and half, the last one completed before `today`."""
    if half is not None and half not in (1, 2):
        raise UserError(f"--half 只能是 1（上半年）或 2（下半年），不能是 {half}")
    if year is None:
        if half is None:
            return Period("half", today.year, 1) if today.month >= 7 else Period("half", today.year - 1, 2)
        year = today.year if (half == 1 and today.month >= 7) else today.year - 1
    elif half is None:
        half = 2 if year < today.year else 1
    period = Period("half", year, half)
    if period.start > today:
        raise UserError(f"{period.label}还没有开始（今天是 {today}），无法总结")
    return period


def annual_period(today: dt.date, year: int | None) -> Period:
    """The year asked for; without one, the last completed year."""
    period = Period("year", year if year is not None else today.year - 1)
    if period.start > today:
        raise UserError(f"{period.year}年还没有开始（今天是 {today}），无法总结")
    return period


def plan_year(zone, today: dt.date, year: int | None) -> int:
    """The year asked for; without one, this year, or next year once its plan has been entered."""
    if year is not None:
        return year
    return today.year + 1 if (today.year + 1) in zone.plans else today.year


# -- documents ----------------------------------------------------------------------------------------------------------

def make_brief(
    root: Path,
    kind: str,
    today: dt.date,
    *,
    year: int | None = None,
    half: int | None = None,
    formats: tuple[str, ...] = FORMATS,
    out: Path | None = None,
    template: str | None = None,
    issued: dt.date | None = None,
) -> Rendered:
    """Render a summary report (`half_year`, `annual`) or the year plan (`plan`) and write its files."""
    from djxz.app.check import load_valid_zone
    from djxz.report import context as c

    if kind not in KINDS:
        raise UserError(f"未知的文件种类“{kind}”")
    zone = load_valid_zone(root, today, since=_first_year_shown(kind, today, year, half))
    notes: list[str] = []
    warnings: list[str] = []
    day = issued or today
    if kind == "plan":
        target = plan_year(zone, today, year)
        if target not in zone.plans:
            have = "、".join(str(y) for y in sorted(zone.plans)) or "无"
            raise DataError(f"没有 {target} 年度协作计划（plans/{target}.yaml）；已有的年度：{have}。"
                            "新年度的计划可用 djxz rotate 生成")
        ctx = c.build_plan_context(zone, target, day)
        period_label = f"{target}年"
    else:
        period = half_year_period(today, year, half) if kind == "half_year" else annual_period(today, year)
        ctx = c.build_report_context(zone, period, day)
        period_label = ctx["period"]["label"]
        if period.end >= today:
            warnings.append(f"{period_label}尚未结束，统计截至 {today}")
    if ctx["recorded"] and issued is None:
        notes.append(f"标题和成文日期取自已印发文件的记录 {ctx['recorded']['path']}")
    rendered = Rendered(
        kind=kind,
        title=ctx["title"],
        file_stem=ctx["file_stem"],
        period=period_label,
        duty_unit=ctx["duty_unit"]["name"],
        signature=ctx["signature"],
        date=ctx["date"],
        notes=notes,
        warnings=warnings,
    )
    files = _render(root, ctx, template or _default_template(kind), formats, _issue_date(ctx), ctx["signature"])
    _write([(rendered, files)], _out_dir(root, out))
    return rendered


def make_bulletins(
    root: Path,
    activity_ids: list[str],
    today: dt.date,
    *,
    formats: tuple[str, ...] = FORMATS,
    out: Path | None = None,
    template: str | None = None,
    issued: dt.date | None = None,
    issue: bool = False,
) -> list[Rendered]:
    """Render the bulletins of some activities. An activity with an issued bulletin gets that bulletin, number and all;
    the others share one new bulletin with the year's next free number: provisional, unless `issue` writes its record.
    """
    from djxz.app.check import load_valid_zone
    from djxz.report import context as c

    if not activity_ids:
        raise UserError("请给出至少一个活动编号，如 djxz bulletin 2024-03-15-dangke")
    zone = load_valid_zone(root, today)
    missing = [a for a in activity_ids if zone.activity(a) is None]
    if missing:
        close = difflib.get_close_matches(missing[0], list(zone.activities_by_id), n=1)
        hint = f"（是不是“{close[0]}”？）" if close else "（活动编号就是 activities/<年份>/ 下的文件名，不含 .yaml）"
        raise UserError(f"找不到活动“{'”“'.join(missing)}”{hint}")

    groups: list[tuple[object, list]] = []  # (recorded document or None, activities)
    seen_docs: dict[str, int] = {}
    fresh = []
    for act_id in dict.fromkeys(activity_ids):
        doc = c.recorded_bulletin(zone, act_id)
        if doc is None:
            fresh.append(zone.activity(act_id))
        elif doc.id not in seen_docs:
            seen_docs[doc.id] = len(groups)
            groups.append((doc, [a for a in (zone.activity(x) for x in doc.activities) if a is not None]))
    day = issued or today
    jobs = []
    for doc, acts in groups:
        ctx = c.build_bulletin_context(zone, acts, doc.number or 0, doc.date, record=doc)
        jobs.append((ctx, [f"按已印发的记录 {doc.src.path} 生成（{doc.date.year}年第{doc.number}期）"], []))
    record_path = record_text = None
    if fresh:
        number = c.next_bulletin_number(zone, day.year)
        ctx = c.build_bulletin_context(zone, fresh, number, day, provisional=not issue)
        if issue:
            record_path, record_text = _bulletin_record(root, zone, ctx, fresh, number, day)
            rel = record_path.relative_to(repo_root(root)).as_posix()
            warnings = [f"已写入文件记录 {rel}：提交到 git 并合并后，第{number}期才算确定"]
        else:
            warnings = [f"第{number}期是暂定期号（本年度下一个空闲期号）：印发时加 --issue 写入文件记录并提交，期号才确定"]
        jobs.append((ctx, [], warnings))

    results = []
    pending = []
    for ctx, notes, warnings in jobs:
        files = _render(root, ctx, template or "bulletin", formats, _issue_date(ctx), ctx["compiler"]["name"])
        rendered = Rendered(
            kind="bulletin",
            title=ctx["title"],
            file_stem=ctx["file_stem"],
            period=ctx["masthead"]["date"],
            duty_unit=ctx["compiler"]["name"],
            signature=ctx["masthead"]["compiler"],
            date=ctx["date"],
            number=ctx["masthead"]["number"],
            provisional=ctx["provisional"],
            notes=notes,
            warnings=warnings,
        )
        pending.append((rendered, files))
        results.append(rendered)
    # The record and every document in one write: a full disk or Ctrl-C halfway leaves neither a record without its
    # documents nor documents of a number that was never recorded.
    _write(pending, _out_dir(root, out), {record_path: record_text} if record_path is not None else None)
    if record_path is not None:
        results[-1].issued_record = record_path
    return results


def _bulletin_record(root: Path, zone, ctx: dict, acts: list, number: int, day: dt.date) -> tuple[Path, str]:
    """The document record that fixes a bulletin's number: documents/<year>/<date>-jianbao-di<N>qi.yaml."""
    from djxz.edit.new_record import record_text

    record_id = f"{day.isoformat()}-jianbao-di{number}qi"
    rel = f"documents/{day.year}/{record_id}.yaml"
    path = root / rel
    if path.exists():
        raise UserError(f"{rel} 已存在，没有覆盖")
    values = {
        "id": record_id,
        "kind": "信息简报",
        "title": ctx["title"],
        "date": day,
        "issuer": ctx["compiler"]["id"] or None,
        "number": number,
        "period": str(day.year),
        "activities": [a.id for a in sorted(acts, key=lambda a: (a.date, a.id))],
    }
    return path, record_text("document", rel, values)


# -- rendering and writing ----------------------------------------------------------------------------------------------

def _default_template(kind: str) -> str:
    from djxz.report.render import DEFAULT_NAMES

    return DEFAULT_NAMES[kind]


def _issue_date(ctx: dict) -> dt.date:
    return dt.date.fromisoformat(ctx["date_iso"])


def _render(root: Path, ctx: dict, template: str, formats: tuple[str, ...], day: dt.date, author: str) -> dict[str, bytes]:
    from djxz.report.render import TemplateSet, render_markdown

    templates = TemplateSet.for_zone(root)
    files: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "md":
            files[fmt] = render_markdown(templates, template, ctx).encode("utf-8")
        else:
            from djxz.report.docx import render_docx

            files[fmt] = render_docx(templates, template, ctx, {"title": ctx["title"], "author": author, "date": day})
    return files


def _out_dir(root: Path, out: Path | None) -> Path:
    target = Path(out) if out is not None else default_out_dir(root)
    if target.exists() and not target.is_dir():
        raise UserError(f"--out 指向的 {target} 不是目录")
    return target


def _write(pending: list[tuple[Rendered, dict[str, bytes]]], target: Path, records: dict[Path, str] | None = None) -> None:
    """Every file of the command at once, all or none (djxz.edit.yamlio.write_files); a record file is never replaced."""
    import os

    from djxz.edit.yamlio import write_files
    from djxz.errors import describe_os_error

    files: dict[Path, str | bytes] = {}
    for path, text in (records or {}).items():
        if os.path.lexists(path):
            raise UserError(f"{path} 已存在，没有覆盖")
        files[path] = text
    outputs = []
    for rendered, data_by_format in pending:
        for fmt, data in data_by_format.items():
            path = target / f"{rendered.file_stem}{SUFFIXES[fmt]}"
            files[path] = data
            outputs.append((rendered, Output(path, fmt, len(data))))
    try:
        write_files(files)
    except OSError as exc:
        raise DjxzError(f"没有写入任何文件。{describe_os_error(exc)}") from None
    for rendered, output in outputs:
        rendered.outputs.append(output)
