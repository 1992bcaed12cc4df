"""`djxz schema`: write the JSON Schemas that give editors completion and red squiggles."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, console, zone_root


def schema(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="写入的目录（默认 schemas/：给了 --zone 时与协作区目录同级，否则在当前目录）", show_default=False)] = None,
    zone: ZoneOpt = None,
) -> None:
    """生成编辑器使用的 JSON Schema（每种文件一个），与 djxz check 使用同一份字段定义。

    示例文件第一行的 `# yaml-language-server: $schema=…` 指向这些文件，VS Code 装上 YAML 插件即可补全和提示错误。
    协作区在 zone.yaml 的 vocabulary 中增加了类别时，用 --zone 指向协作区目录，生成的 Schema 才认得这些类别。
    """
    import json

    from djxz.app.schemas import schemas  # lazy: the command registry imports every command module
    from djxz.fsio import atomic_write
    from djxz.errors import UserError

    if out is None:  # beside the zone directory, where the records' `$schema=` lines point (djxz.edit.new_record)
        out = Path("schemas") if zone is None else zone_root(zone).parent / "schemas"
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} 不是目录")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in schemas(zone_root(zone) if zone else None).items():
        text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text)
            written.append(name)
    con = console()
    if written:
        con.print(f"已写入 {len(written)} 个 JSON Schema 到 {out}/：{'、'.join(written)}", markup=False)
    else:
        con.print(f"{out}/ 中的 JSON Schema 已是最新，没有改动。", markup=False)

