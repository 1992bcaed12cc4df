"""The one ruamel.yaml setup, for writing: round-trip load and dump (the atomic writes themselves live in djxz.fsio).

Reading a zone never comes here (see load.yamlread); a command that changes a file loads just that file here, edits it
in place and writes it back, so comments, key order, quoting and layout of everything else stay as they were.
"""

from __future__ import annotations

import io
from typing import Any

from djxz.fsio import atomic_write, write_files  # noqa: F401 - the writes live in fsio; re-exported for old callers

# The house style of every file djxz writes and every example file: 2-space maps, lists indented under their key.
INDENT = {"mapping": 2, "sequence": 4, "offset": 2}


def make_yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(**INDENT)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-flow a clerk's long line
    yaml.allow_duplicate_keys = False
    return yaml


def load_text(text: str) -> Any:
    return make_yaml().load(text)


def dump_text(data: Any) -> str:
    stream = io.StringIO()
    make_yaml().dump(data, stream)
    return stream.getvalue()


def round_trip(text: str) -> str:
    """Load and dump without change: what any edit does to the parts it does not touch."""
    return dump_text(load_text(text))
