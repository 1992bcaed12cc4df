"""Where the zone is: found without reading any record, so `djxz who` answered from its cache imports no YAML reader."""

from __future__ import annotations

import os
from pathlib import Path

from djxz.errors import UserError

ZONE_FILE = "zone.yaml"


def find_zone(option: str | None = None, cwd: Path | None = None) -> Path:
    """The zone directory: `--zone`, else $DJXZ_ZONE, else the nearest data/zone.yaml or zone.yaml walking up."""
    given = option or os.environ.get("DJXZ_ZONE")
    if given:
        base = Path(given).expanduser()
        for candidate in (base, base / "data"):
            if (candidate / ZONE_FILE).is_file():
                return candidate.resolve()
        source = "--zone" if option else "环境变量 DJXZ_ZONE"
        raise UserError(f"{source} 指向的 {given} 不是协作区目录：找不到 {ZONE_FILE} 或 data/{ZONE_FILE}")
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "data", folder):
            if (candidate / ZONE_FILE).is_file():
                return candidate
    raise UserError(
        f"在当前目录及其上级目录中找不到协作区（data/{ZONE_FILE} 或 {ZONE_FILE}）。"
        "请进入协作区仓库目录，或用 --zone 指定目录，或运行 djxz init 新建一个协作区。"
    )
