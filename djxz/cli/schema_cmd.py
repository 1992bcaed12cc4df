"""`djxz schema`: write the JSON Schemas that give editors completion and red squiggles."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import ZoneOpt, console


def schema(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="写入的目录（默认 schemas/：给了 --zone 时与协作区目录同级，否则在当前目录）", show_default=False)] = None,
    zone: ZoneOpt = None,
) -> None:
    """生成编辑器使用的 JSON Schema（每种文件一个），与 djxz check 使用同一份字段定义。

    示例文件第一行的 `# yaml-language-server: $schema=…` 指向这些文件，VS Code 装上 YAML 插件即可补全和提示错误。
    """
    import json

    from djxz.edit.yamlio import atomic_write
    from djxz.errors import UserError
    from djxz.load.jsonschema import all_schemas

    if out is None:  # beside the zone directory, where the records' `$schema=` lines point (djxz.edit.new_record)
        out = Path("schemas") if zone is None else _zone_dir(zone).parent / "schemas"
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} 不是目录")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in all_schemas().items():
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


def _zone_dir(option: str) -> Path:
    from djxz.cli.common import zone_root

    return zone_root(option)
