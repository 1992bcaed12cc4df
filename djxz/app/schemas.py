"""Use case `djxz schema`: the JSON Schemas for editors, with a zone's own vocabulary when asked. Prints nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from djxz.errors import DataError
from djxz.load.jsonschema import all_schemas
from djxz.load.loader import ZONE_FILE, ZoneFile, read_file
from djxz.model import ERROR, Vocabulary, ZoneInfo


def zone_vocabulary(root: Path) -> Vocabulary:
    """The `vocabulary:` of the zone at `root` (only zone.yaml is read); refuses a zone.yaml that does not load."""
    record, diagnostics = read_file(ZoneFile(str(root / ZONE_FILE), ZONE_FILE, "zone"), root)
    if not isinstance(record, ZoneInfo) or any(d.severity == ERROR for d in diagnostics):
        raise DataError(f"{root / ZONE_FILE} 有错误，无法读取其中的 vocabulary：先运行 djxz check 改正")
    return record.vocabulary


def schemas(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """File name -> schema; with a zone directory, the kinds its `vocabulary:` adds are allowed too."""
    return all_schemas(zone_vocabulary(root) if root is not None else Vocabulary())
