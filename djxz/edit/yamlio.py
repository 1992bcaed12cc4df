"""The one ruamel.yaml setup, for writing: round-trip load, dump, and atomic replace of a file.

Reading a zone never comes here (see load.yamlread); a command that changes a file loads just that file here, edits it
in place and writes it back, so comments, key order, quoting and layout of everything else stay as they were.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

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


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write to a temp file beside `path`, flush it to disk, then rename over `path`: readers see old or new, never half.

    On any failure (disk full, Ctrl-C) the temp file is removed and the original is untouched.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
