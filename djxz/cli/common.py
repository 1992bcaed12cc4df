"""What every command shares: the --zone and --format options, today's date, the console, diagnostic output."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

import typer
from typing_extensions import Annotated

from djxz.errors import UserError
from djxz.escape import gh_data, gh_property, terminal

if TYPE_CHECKING:  # the records cost 20 ms to define; `djxz --version` and help need none of them
    from djxz.model import Diagnostic

ZoneOpt = Annotated[
    Optional[str],
    typer.Option("--zone", "-z", help="协作区目录（含 zone.yaml 或 data/zone.yaml）；默认用环境变量 DJXZ_ZONE，再向上查找", show_default=False),
]

SEVERITY_NAMES = {"error": "错误", "warning": "警告"}
# The days djxz reasons about: a date outside is a typo (9998 for 2024) and is refused as usage, not computed on.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


def zone_root(option: str | None) -> Path:
    from djxz.load.where import find_zone  # the zone finder walks the disk: only for commands that take a zone

    return find_zone(option)


def today(as_of: str | None = None) -> dt.date:
    """`--as-of`, else $DJXZ_TODAY (for reproducible runs and tests), else the system date."""
    text = as_of or os.environ.get("DJXZ_TODAY")
    if not text:
        return dt.date.today()
    source = "--as-of" if as_of else "环境变量 DJXZ_TODAY"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{source} 的日期“{text}”无效，应为 YYYY-MM-DD，如 2024-07-01") from None
    return in_range(day, source)


def in_range(day: dt.date, source: str) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError(f"{source} 的日期 {day.isoformat()} 超出 djxz 支持的范围（{FIRST_DAY.isoformat()} 至 {LAST_DAY.isoformat()}）："
                        "请检查年份是否写错")
    return day


def parse_date_option(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{name} 的日期“{text}”无效，应为 YYYY-MM-DD，如 2024-07-01") from None
    return in_range(day, name)


def choose(value: str, allowed: Iterable[str], name: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise UserError(f"{name} 只能是 {'、'.join(allowed)}，不能是“{value}”")
    return value


def console(stderr: bool = False):
    """The rich console every command prints with (djxz.cli.output: encoded for the console, never crashing)."""
    from djxz.cli.output import console as make  # rich is behind it: only when a command prints with it

    return make(stderr)


def display_path(root: Path, rel: str) -> str:
    """A diagnostic's path as the user would type it: relative to the current directory when the zone is below it."""
    full = root / rel
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return full.as_posix()


def format_diagnostic(d: Diagnostic, root: Path, fmt: str) -> str:
    path = display_path(root, d.src.path) if d.src else "-"
    line, col = (d.src.line, d.src.col) if d.src else (0, 0)
    if fmt == "github":
        level = "error" if d.severity == "error" else "warning"
        message = f"[{d.code}] {d.message}" + (f"（提示：{d.hint}）" if d.hint else "")
        place = f"file={gh_property(path)}" + (f",line={line},col={col}" if line else "")
        return f"::{level} {place},title={gh_property(d.code)}::{gh_data(message)}"
    where = f"{path}:{line}:{col}" if line else path
    hint = f"（提示：{d.hint}）" if d.hint else ""
    return terminal(f"{where}: {SEVERITY_NAMES[d.severity]}[{d.code}] {d.message}{hint}")


def diagnostic_json(d: Diagnostic, root: Path) -> dict:
    return {
        "path": display_path(root, d.src.path) if d.src else None,
        "line": d.src.line if d.src else 0,
        "column": d.src.col if d.src else 0,
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
    }


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


@contextlib.contextmanager
def progress(description: str):
    """A transient rich progress bar while a long command runs on a terminal; nothing at all on a pipe or in a test.

    Yields `report(stage, done, total)`: the use case calls it as it goes (it prints nothing itself).
    """
    out = console()
    if not out.is_terminal:
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=out, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"{description}：{stage}", completed=done, total=total or None)

        yield report
