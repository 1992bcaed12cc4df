"""Writing a new record file in the house style: the editor-schema line, fields in schema order, text as literal blocks."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from djxz.edit.yamlio import dump_text
from djxz.errors import UserError
from djxz.fsio import write_files
from djxz.load.schema import FILE_SPECS

# The editor schemas live beside the zone directory (`schemas/` next to `data/`), where `djxz schema` writes them.
SCHEMA_DIR = "schemas"


def schema_line(kind: str, rel: str) -> str:
    """`# yaml-language-server: $schema=...` relative to the file, e.g. ../../../schemas/activity.schema.json."""
    up = "../" * (rel.count("/") + 1)
    return f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{kind}.schema.json\n"


def record_text(kind: str, rel: str, values: dict[str, Any], to_fill: tuple[str, ...] = ()) -> str:
    """The file's text: the schema line, then `values` in their order (empty ones dropped; text fields as `|` blocks),
    then the optional fields in `to_fill` as commented-out keys with their Chinese titles, for the clerk to fill in.

    Commented out rather than left empty, so the file stays valid for the loader and for the editor schemas alike.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString


    spec = FILE_SPECS[kind]
    data = CommentedMap()
    for key, value in values.items():
        if value is None or value == "" or value == () or value == []:
            continue
        if isinstance(value, (list, tuple)):
            data[key] = CommentedSeq(list(value))
        elif isinstance(value, dict):  # a nested record such as party_org (djxz import)
            data[key] = CommentedMap(value)
        elif isinstance(value, str) and (spec.by_key[key].type == "text" or "\n" in value):
            data[key] = LiteralScalarString(value.strip("\n") + "\n")
        elif isinstance(value, (str, int, bool, dt.date)):
            data[key] = value
        else:  # pragma: no cover - callers pass plain values
            raise TypeError(f"cannot write {type(value).__name__} for {key}")
    lines = []
    for key in to_fill:
        if key in data:
            continue
        fld = spec.by_key[key]
        lines.append(f"# {key}:  # {fld.title}")
        item = fld.item if fld.type == "list" else None
        if hasattr(item, "fields"):  # a list of mappings: show the keys each one needs
            needed = [f.key for f in item.fields if f.required] or [item.fields[0].key]
            lines += [f"#   {'- ' if i == 0 else '  '}{k}:" for i, k in enumerate(needed)]
        elif item is not None:
            lines.append("#   -")
    return schema_line(kind, rel) + dump_text(data) + "".join(line + "\n" for line in lines)


def write_new_files(files: dict[Path, str], root: Path | None = None) -> None:
    """The first file is new (refused when it exists); the others replace files; all written or none, never through a
    symlink below `root` (djxz.fsio)."""
    new = next(iter(files))
    if os.path.lexists(new):  # a dangling symlink too: writing through it could land anywhere
        raise UserError(f"{new} 已存在，没有覆盖")
    write_files(files, root=root)
