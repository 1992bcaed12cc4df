"""Use case: render the zone's documents (summary reports, the year plan, bulletins) to Markdown, DOCX and PDF files.

Everything is rendered in memory first and written only when all of it succeeded, each file atomically: a broken
template or invalid data leaves the output folder as it was. Returns what was written; prints nothing.
PDF comes from the DOCX through LibreOffice (djxz.report.pdf); when that fails, the other files are still written and
the result carries the error for the CLI to report after listing them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from djxz.app.check import load_valid_zone
from djxz.app.issue import IssuedRecord, issue_document, new_document_record
from djxz.domain.periods import Period
from djxz.errors import DataError, DjxzError, UserError, describe_os_error
from djxz.fsio import write_files, writer_lock
from djxz.report import context as c
from djxz.report.charts import NO_CJK_WARNING, cjk_font, picture
from djxz.report.docx import render_docx
from djxz.report.masthead import issue_block
from djxz.report.mdblocks import blocks
from djxz.report.pdf import docx_to_pdf
from djxz.report.render import DEFAULT_NAMES, TemplateSet, render_block, render_markdown
from djxz.report.zone_charts import zone_charts

FORMATS = ("md", "docx", "pdf")
DEFAULT_FORMATS = ("md", "docx")
SUFFIXES = {"md": ".md", "docx": ".docx", "pdf": ".pdf"}
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
    number_text: str = ""  # 发文字号 of a report or plan with a 版头 (blank on a draft)
    pdf_error: DjxzError | None = None  # LibreOffice missing or failed: md/docx were written, the PDF was not


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

def parse_formats(text: str, allowed: tuple[str, ...] = FORMATS, everything: bool = True) -> tuple[str, ...]:
    """`md,docx` -> ("md", "docx"), in the order given, each once; with `everything`, `all` means every allowed format.
    Anything else is a usage error that lists what is allowed."""
    names = [t.strip().lower() for t in text.replace("，", ",").split(",") if t.strip()]
    names = [n for name in names for n in (allowed if everything and name == "all" else (name,))]
    if not names or any(n not in allowed for n in names):
        also = f"，或 all（{len(allowed)} 种都生成）" if everything else ""
        raise UserError(f"--format 只能是 {'、'.join(allowed)} 或用逗号连接的组合（如 {','.join(allowed[:2])}）{also}，"
                        f"不能是“{text}”")
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
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    out: Path | None = None,
    template: str | None = None,
    issued: dt.date | None = None,
    issue: bool = False,
    charts: bool = True,
) -> Rendered:
    """Render a summary report (`half_year`, `annual`) or the year plan (`plan`) and write its files.

    With `issue`, also the document record that issues it and fixes its 发文字号 (djxz.app.issue): written with the
    files, or left as it is when the period's record exists already."""
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
        ctx["issue"] = {"header": False, "closing": None}  # the 版头 comes below, once the title gives the record
        _fill_title(root, ctx, template or "plan", "plan_title", key="plan_title")
        _fill_title(root, ctx, template or "plan", "title")
        period_label = f"{target}年"
        period_code = str(target)
    else:
        period = half_year_period(today, year, half) if kind == "half_year" else annual_period(today, year)
        ctx = c.build_report_context(zone, period, day)
        period_label = ctx["period"]["label"]
        period_code = ctx["period"]["code"]
        if period.end >= today:
            warnings.append(f"{period_label}尚未结束，统计截至 {today}")
    if ctx["recorded"] and issued is None:
        notes.append(f"标题和成文日期取自已印发文件的记录 {ctx['recorded']['path']}")
    record = c.recorded_document(zone, c.RECORD_KINDS[kind], period_code)
    number = record.number if record is not None else None
    issued_record = None
    if issue:
        issued_record = issue_document(root, zone, c.RECORD_KINDS[kind], period_code, ctx["title"], _issue_date(ctx),
                                       ctx["signer"]["id"] or None)
        number = issued_record.number
        notes.extend(_issue_notes(issued_record, zone))
    ctx["issue"] = issue_block(zone, _issue_date(ctx), number)
    if ctx["issue"]["header"] and number is None:
        warnings.append(f"发文字号为空（{ctx['issue']['number_text']}）：印发时加 --issue 编号并写入文件记录")
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
    pictures = []
    if charts and kind != "plan" and (kind == "annual" or zone.info.reports.half_year_charts):
        pictures = _chart_pictures(zone, period, rendered.file_stem, warnings)
    ctx["charts"] = [{"title": p.title, "file": p.file} for p in pictures]
    files = _render(root, ctx, template or _default_template(kind), formats, _issue_date(ctx), ctx["signature"],
                    pictures)
    pending = [(rendered, files)]
    _add_pdfs(pending, formats)
    writes = {issued_record.path: issued_record.text} if issued_record and issued_record.text is not None else {}
    _write(root, pending, _out_dir(root, out), replace=writes if issued_record and not issued_record.created else None,
           records=writes if issued_record and issued_record.created else None)
    if writes:
        rendered.issued_record = issued_record.path
    rendered.number = number
    rendered.number_text = ctx["issue"]["number_text"]
    return rendered


def _issue_notes(record: IssuedRecord, zone) -> list[str]:
    if record.text is None:
        shown = f"，发文字号序号 {record.number}" if record.number is not None else ""
        return [f"已有文件记录 {record.rel}{shown}，未重复编号"]
    if not record.created:
        return [f"为已有的文件记录 {record.rel} 编发文字号序号 {record.number}"]
    return []


def make_bulletins(
    root: Path,
    activity_ids: list[str],
    today: dt.date,
    *,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    out: Path | None = None,
    template: str | None = None,
    issued: dt.date | None = None,
    issue: bool = False,
    title: str | None = None,
) -> list[Rendered]:
    """Render the bulletins of some activities. An activity with an issued bulletin gets that bulletin, number and all;
    the others share one new bulletin with the year's next free number: provisional, unless `issue` writes its record.
    `title` replaces the headline the template writes (one bulletin only).
    """
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
    if title is not None and not title.strip():
        raise UserError("--title 不能为空")
    if title is not None and len(groups) + (1 if fresh else 0) > 1:
        raise UserError("--title 只能用于一期简报：这些活动分属多期简报，请分别生成")
    day = issued or today
    jobs = []
    for doc, acts in groups:
        ctx = c.build_bulletin_context(zone, acts, doc.number or 0, doc.date, record=doc, title=title)
        _fill_title(root, ctx, template or "bulletin", "headline")
        jobs.append((ctx, [f"按已印发的记录 {doc.src.path} 生成（{doc.date.year}年第{doc.number}期）"], []))
    record_path = record_text = None
    later = [a for a in fresh if a.date > day]
    if later:
        act = max(later, key=lambda a: a.date)
        raise DataError(f"简报日期 {day} 早于其所报的活动“{act.title}”（{act.date}，{act.id}）：简报在活动之后印发。"
                        f"用 --date 写活动当天或之后的日期（不早于 {act.date}），或去掉这项活动")
    if fresh:
        number = c.next_bulletin_number(zone, day.year)
        ctx = c.build_bulletin_context(zone, fresh, number, day, provisional=not issue, title=title)
        _fill_title(root, ctx, template or "bulletin", "headline")
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
            signature=ctx["compiler"]["name"],
            date=ctx["date"],
            number=ctx["masthead"]["number"],
            provisional=ctx["provisional"],
            notes=notes,
            warnings=warnings,
        )
        pending.append((rendered, files))
        results.append(rendered)
    _add_pdfs(pending, formats)
    # The record and every document in one write: a full disk or Ctrl-C halfway leaves neither a record without its
    # documents nor documents of a number that was never recorded.
    _write(root, pending, _out_dir(root, out), {record_path: record_text} if record_path is not None else None)
    if record_path is not None:
        results[-1].issued_record = record_path
    return results


def _bulletin_record(root: Path, zone, ctx: dict, acts: list, number: int, day: dt.date) -> tuple[Path, str]:
    """The document record that fixes a bulletin's number: documents/<year>/<date>-jianbao-di<N>qi.yaml."""
    values = {
        "kind": "信息简报",
        "title": ctx["title"],
        "date": day,
        "issuer": ctx["compiler"]["id"] or None,
        "number": number,
        "period": str(day.year),
        "activities": [a.id for a in sorted(acts, key=lambda a: (a.date, a.id))],
    }
    path, _, text = new_document_record(root, values, f"jianbao-di{number}qi")
    return path, text


# -- rendering and writing ----------------------------------------------------------------------------------------------

def _default_template(kind: str) -> str:
    return DEFAULT_NAMES[kind]


def _fill_title(root: Path, ctx: dict, template: str, block: str, key: str = "title") -> None:
    """A title the template writes (its `block`), when the context has none: the DOCX, the record and the terminal
    then show the very words the Markdown shows."""
    if not ctx[key]:
        ctx[key] = render_block(TemplateSet.for_zone(root), template, block, ctx, fallback=_default_template(ctx["kind"]))


def _issue_date(ctx: dict) -> dt.date:
    return dt.date.fromisoformat(ctx["date_iso"])


def _chart_pictures(zone, period: Period, stem: str, warnings: list[str]) -> list:
    """The summary report's charts (activities by month, by category, by unit), drawn for 附件3."""
    if cjk_font() is None:
        warnings.append(NO_CJK_WARNING)
    return [picture(chart, f"{stem}-图{i}.png") for i, chart in enumerate(zone_charts(zone, period), 1)]


def _render(root: Path, ctx: dict, template: str, formats: tuple[str, ...], day: dt.date, author: str,
            pictures: list | None = None) -> dict[str, bytes]:
    """Each format's bytes; a chart's PNG rides along with the Markdown as `png:<file name>` (written beside it)."""
    templates = TemplateSet.for_zone(root)
    files: dict[str, bytes] = {}
    markdown: list[str] = []

    def md() -> str:
        if not markdown:
            markdown.append(render_markdown(templates, template, ctx))
        return markdown[0]

    def docx_blocks() -> dict:
        """The DOCX lays out the blocks of the rendered Markdown (one wording); a DOCX-only template without a
        Markdown twin gets none."""
        issue = ctx.get("issue") or {}
        # The DOCX template draws the 版头 and 版记 itself (in their frames), so its blocks come without them.
        try:
            text = md() if not (issue.get("header") or issue.get("closing")) else render_markdown(
                templates, template, {**ctx, "issue": {**issue, "header": False, "closing": None}})
            return {"blocks": blocks(text, ctx.get("signature", ""), ctx.get("date", ""),
                                     pictures={p.file: p for p in pictures or ()})}
        except UserError:
            if "md" in formats:
                raise
            return {"blocks": []}

    if "md" in formats:
        files["md"] = md().encode("utf-8")
        for p in pictures or ():
            files[f"png:{p.file}"] = p.png
    if "docx" in formats or "pdf" in formats:  # the PDF is converted from the DOCX

        files["docx"] = render_docx(templates, template, ctx, {"title": ctx["title"], "author": author, "date": day},
                                     late_context=docx_blocks)
    return files


def _add_pdfs(pending: list[tuple[Rendered, dict[str, bytes]]], formats: tuple[str, ...]) -> None:
    """Convert every document's DOCX to PDF in one LibreOffice run. The DOCX is kept when it was asked for, and also
    when the PDF could not be made, so the user has a file to print or convert by hand; the error goes on the result."""
    if "pdf" not in formats:
        return
    try:
        pdfs = docx_to_pdf({r.file_stem: files["docx"] for r, files in pending})
    except DjxzError as exc:
        for rendered, _ in pending:
            rendered.pdf_error = exc
        return
    for rendered, files in pending:
        files["pdf"] = pdfs[rendered.file_stem]
        if "docx" not in formats:
            del files["docx"]


def _out_dir(root: Path, out: Path | None) -> Path:
    target = Path(out) if out is not None else default_out_dir(root)
    if target.exists() and not target.is_dir():
        raise UserError(f"--out 指向的 {target} 不是目录")
    return target


def _write(root: Path, pending: list[tuple[Rendered, dict[str, bytes]]], target: Path,
           records: dict[Path, str] | None = None, replace: dict[Path, str] | None = None) -> None:
    """Every file of the command at once, all or none (djxz.fsio.write_files); a new record file never replaces one,
    while `replace` holds existing records given a number."""
    files: dict[Path, str | bytes] = {}
    for path, text in (records or {}).items():
        if os.path.lexists(path):
            raise UserError(f"{path} 已存在，没有覆盖")
        files[path] = text
    files.update(replace or {})
    outputs = []
    for rendered, data_by_format in pending:
        for fmt, data in data_by_format.items():
            if fmt.startswith("png:"):  # a chart beside the Markdown that links it
                path, fmt = target / fmt[4:], "png"
            else:
                path = target / f"{rendered.file_stem}{SUFFIXES[fmt]}"
            files[path] = data
            outputs.append((rendered, Output(path, fmt, len(data))))
    try:
        # A symlink in out/ (or out/ itself one) from a pull request is refused; a record write holds the lock.
        with writer_lock(root) if records or replace else contextlib.nullcontext():
            top = repo_root(root)
            write_files(files, root=top if _inside(target, top) else None)
    except OSError as exc:
        raise DjxzError(f"没有写入任何文件。{describe_os_error(exc)}") from None
    for rendered, output in outputs:
        rendered.outputs.append(output)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(Path(os.path.abspath(folder)))
