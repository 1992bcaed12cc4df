"""Use case `djxz city`: several zones' repositories side by side for the city committee (各协作区工作情况汇总).

Each zone is found and validated as `djxz check` would (with the same parse cache); an invalid zone stops the roll-up
with its errors, or is listed as skipped with `skip_invalid`. The roll-up is written as Markdown (charts beside it as
PNG files), DOCX (charts embedded), JSON and xlsx, all at once or not at all. Prints nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from djxz.app.brief import Output, parse_formats
from djxz.app.check import check_zone
from djxz.app.export import Sheet, workbook_bytes
from djxz.domain.periods import Period
from djxz.errors import DataError, DjxzError, UserError, describe_os_error
from djxz.load.loader import ZONE_FILE
from djxz.model import Diagnostic
from djxz.fsio import write_files
from djxz.report.mdblocks import blocks as markdown_blocks
from djxz.report.charts import NO_CJK_WARNING, cjk_font, picture
from djxz.report.city_context import CityZone, build_city_context, city_charts, zone_row
from djxz.report.docx import render_docx
from djxz.report.render import TemplateSet, render_markdown

CITY_FORMATS = ("md", "docx", "json", "xlsx")
SUFFIXES = {"md": ".md", "docx": ".docx", "json": ".json", "xlsx": ".xlsx"}
JSON_SCHEMA_VERSION = 1
TEMPLATE = "city"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Skipped:
    path: str
    errors: list[Diagnostic]


@dataclass
class CityResult:
    title: str
    period: Period
    zones: list[str]
    skipped: list[Skipped] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class InvalidZones(DataError):
    """One or more zones have errors: each zone's diagnostics, for the CLI to print (exit 1)."""

    def __init__(self, invalid: list[Skipped]):
        self.invalid = invalid
        names = "、".join(s.path for s in invalid)
        super().__init__(f"{len(invalid)} 个协作区的数据有错误（{names}），没有生成汇总；先在该协作区运行 djxz check 修正，"
                         "或加 --skip-invalid 跳过有错误的协作区")


def city_period(today: dt.date, year: int | None, half: int | None) -> Period:
    """The half year asked for, or the whole year; by default the last year that has ended."""
    if half is not None:
        if half not in (1, 2):
            raise UserError(f"--half 只能是 1（上半年）或 2（下半年），不能是 {half}")
        return Period("half", year or today.year, half)
    return Period("year", year or today.year - 1)


def zone_folder(given: Path) -> Path:
    """The zone folder of a path on the command line: the folder holding zone.yaml, or the repository holding data/."""
    for candidate in (given, given / "data"):
        if (candidate / ZONE_FILE).is_file():
            return candidate.resolve()
    raise UserError(f"{given} 不是协作区目录：找不到 {ZONE_FILE} 或 data/{ZONE_FILE}")


def city_rows(paths: list[Path], today: dt.date, period: Period, as_of: dt.date, skip_invalid: bool = False,
              progress: Progress | None = None) -> tuple[list[dict], list[Skipped], Path]:
    """Each zone found, validated and reduced to its row of the roll-up, one zone in memory at a time.

    A folder given twice or two zones of one name are usage errors. Returns the rows, the zones skipped, and the first
    zone's folder (its templates/ may override the roll-up's template).
    """
    if not paths:
        raise UserError("请给出至少一个协作区目录，如 djxz city ../yili ../tacheng")
    roots: dict[Path, str] = {}
    for given in paths:
        key = zone_folder(Path(given))
        if key in roots:
            raise UserError(f"协作区目录 {given} 与 {roots[key]} 是同一个协作区，只能给一次")
        roots[key] = str(given)
    rows, skipped, names = [], [], {}
    for i, (root, given) in enumerate(roots.items()):
        if progress:
            progress(given, i, len(roots))
        # Like a summary report, a row shows its period beside the one a year earlier: with the zone's check cached,
        # the activities and documents of the years before those two are not read (a cold check reads them all).
        result = check_zone(root, today, need_zone=True, since=period.year - 1)
        if result.errors:
            skipped.append(Skipped(given, [d for d in result.diagnostics if d.severity == "error"]))
            continue
        name = result.zone.info.name
        if name in names:
            raise UserError(f"{given} 和 {names[name]} 的协作区名称都是“{name}”：汇总中无法区分，请先改正其中一个的 zone.yaml")
        names[name] = given
        rows.append(zone_row(CityZone(given, result.zone), period, as_of))
    if progress:
        progress("", len(roots), len(roots))
    if skipped and not skip_invalid:
        raise InvalidZones(skipped)
    if not rows:
        raise DataError("没有可以汇总的协作区：给出的协作区都有错误")
    return rows, skipped, next(iter(roots))


def make_city(paths: list[Path], today: dt.date, *, year: int | None = None, half: int | None = None,
              formats: str = "md,docx", out: Path | None = None, charts: bool = True, skip_invalid: bool = False,
              as_of: dt.date | None = None, progress: Progress | None = None) -> CityResult:
    period = city_period(today, year, half)
    chosen = parse_formats(formats, CITY_FORMATS, everything=False)
    rows, skipped, first_root = city_rows(paths, today, period, as_of or today, skip_invalid, progress)
    ctx = build_city_context(rows, period, as_of or today, today)
    stem = f"{period.label}各协作区工作情况汇总"
    result = CityResult(ctx["title"], period, [r["key"] for r in rows], skipped)
    pictures = draw_charts(ctx, stem, result.warnings) if charts and ({"md", "docx"} & set(chosen)) else []
    files = render_city(ctx, pictures, chosen, stem, first_root)
    target = Path(out) if out is not None else Path.cwd() / "out"
    write_outputs(files, target, result)
    return result


def draw_charts(ctx: dict, stem: str, warnings: list[str]) -> list:
    if cjk_font() is None:
        warnings.append(NO_CJK_WARNING)
    return [picture(chart, f"{stem}-图{i}.png") for i, chart in enumerate(city_charts(ctx), 1)]


def render_city(ctx: dict, pictures: list, formats: tuple[str, ...], stem: str, zone_root: Path) -> dict[str, bytes]:
    """Every chosen format's bytes, by file name. The DOCX is laid out from the rendered Markdown (one wording)."""
    files: dict[str, bytes] = {}
    templates = TemplateSet.for_zone(zone_root)
    charts = [{"title": p.title, "file": p.file} for p in pictures]
    if "md" in formats or "docx" in formats:
        markdown = render_markdown(templates, TEMPLATE, {**ctx, "charts": charts})
    if "md" in formats:
        files[stem + ".md"] = markdown.encode("utf-8")
        for p in pictures:
            files[p.file] = p.png
    if "docx" in formats:
        blocks = markdown_blocks(markdown, pictures={p.file: p for p in pictures})
        files[stem + ".docx"] = render_docx(templates, TEMPLATE, {"blocks": blocks},
                                            {"title": ctx["title"], "author": "", "date": dt.date.fromisoformat(ctx["date_iso"])})
    if "json" in formats:
        files[stem + ".json"] = (json.dumps(city_json(ctx), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if "xlsx" in formats:
        files[stem + ".xlsx"] = city_workbook(ctx)
    return files


def city_json(ctx: dict) -> dict:
    """The roll-up for programs: the same figures, zones in command-line order, with a schema version."""
    return {"schema_version": JSON_SCHEMA_VERSION, "period": ctx["period"], "as_of": ctx["as_of"],
            "zones": [{k: v for k, v in z.items() if k != "by_month"} | {"by_month": z["by_month"]} for z in ctx["zones"]],
            "totals": ctx["totals"], "findings": ctx["findings"]}


def city_workbook(ctx: dict) -> bytes:
    """One sheet per table: the comparison across zones, duties, idle units."""
    cats = ctx["categories"]
    compare = Sheet("各协作区对比", ("协作区", "轮值单位", "活动次数", "上期活动次数", "参加人次", *cats,
                                      "职责完成", "职责逾期", "简报期数"))
    for z in ctx["zones"]:
        compare.rows.append((z["name"], z["duty_unit"], z["activities"], z["previous"]["activities"] if z["previous"] else None,
                             z["attendance"], *(z["by_category"][c] for c in cats), z["duties"]["done"],
                             z["duties"]["overdue"], z["bulletins"]))
    duties = Sheet("逾期职责", ("协作区", "职责"), wrap=("职责",))
    for b in ctx["findings"]["behind"]:
        for title in b["duties"]:
            duties.rows.append((b["zone"], title))
    idle = Sheet("未参与活动的单位", ("协作区", "单位"))
    for i in ctx["findings"]["idle"]:
        for unit in i["units"]:
            idle.rows.append((i["zone"], unit))
    return workbook_bytes([compare, duties, idle])


def write_outputs(files: dict[str, bytes], target: Path, result: CityResult) -> None:
    if target.exists() and not target.is_dir():
        raise UserError(f"--out 指向的 {target} 不是目录")
    paths = {target / name: data for name, data in files.items()}
    try:
        write_files(paths)
    except OSError as exc:
        raise DjxzError(f"没有写入任何文件。{describe_os_error(exc)}") from None
    for path, data in paths.items():
        result.outputs.append(Output(path, path.suffix.lstrip("."), len(data)))
