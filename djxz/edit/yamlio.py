"""The one ruamel.yaml setup, for writing: round-trip load, dump, and atomic replace of a file.

Reading a zone never comes here (see load.yamlread); a command that changes a file loads just that file here, edits it
in place and writes it back, so comments, key order, quoting and layout of everything else stay as they were.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Mapping

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
    write_files({Path(path): content})


def write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write several files as one change: all or none of them.

    Each file is first written in full to a temp file beside it and flushed to disk; only then are they renamed into
    place, one by one. If anything fails on the way (disk full, a read-only folder, Ctrl-C), the files already renamed
    get their old content back (kept as a hard link, or in memory where links are not possible), files that did not
    exist are removed, and so are the temp files and any folder made for them: the tree is as it was. A symlink is
    written through (the link stays a link); a file with no write permission at all is refused, not replaced.
    """
    plan = [(_target(Path(p)), c.encode("utf-8") if isinstance(c, str) else c) for p, c in files.items()]
    made: list[Path] = []
    staged: list[tuple[Path, str]] = []
    done: list[tuple[Path, tuple | None]] = []
    current = None
    try:
        for current, data in plan:
            made += _make_parents(current.parent)
            staged.append((current, _stage(current, data)))
        for current, tmp in staged:
            # One file needs no backup: its rename is all or nothing. Several are recorded before each rename, so a
            # Ctrl-C right after one is still undone.
            if len(staged) > 1:
                done.append((current, _keep(current)))
            os.replace(tmp, current)
    except BaseException as exc:
        for _, tmp in staged:
            _remove(tmp)
        for target, backup in reversed(done):
            _restore(target, backup)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(exc, OSError) and current is not None:
            # fsync names no file and a rename names our temp file: the user needs the file that was being written.
            raise OSError(exc.errno, exc.strerror or str(exc), str(current)) from exc
        raise
    for _, backup in done:
        if backup is not None and backup[0] == "link":
            _remove(backup[1])


def _target(path: Path) -> Path:
    if path.is_symlink():
        real = Path(os.path.realpath(path))
        if not real.exists():  # a link to nowhere (or anywhere): never create a file through it
            raise FileNotFoundError(errno.ENOENT, "符号链接指向的文件不存在，不会经由它写入", str(path))
        path = real
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISREG(mode) and not mode & 0o222:
        raise PermissionError(errno.EACCES, "文件是只读的", str(path))
    return path


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return the ones made, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    made = []
    for d in reversed(missing):
        try:
            d.mkdir()
        except FileExistsError:
            continue
        except BaseException:
            for m in reversed(made):
                try:
                    m.rmdir()
                except OSError:
                    pass
            raise
        made.append(d)
    return made


def _stage(path: Path, data: bytes) -> str:
    """A temp file beside `path` holding `data`, on disk, with the mode `path` has (0644 for a new file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _keep(target: Path) -> tuple | None:
    """What it takes to put `target` back: None when it does not exist, else a hard link to it or its bytes."""
    if not os.path.lexists(target):
        return None
    for _ in range(3):
        name = str(target.parent / f".{target.name}.{os.urandom(4).hex()}.old.tmp")
        try:
            os.link(target, name)
            return ("link", name)
        except FileExistsError:
            continue
        except OSError:
            break
    return ("bytes", target.read_bytes(), target.stat().st_mode & 0o7777)


def _restore(target: Path, backup: tuple | None) -> None:
    try:
        if backup is None:
            _remove(str(target))
        elif backup[0] == "link":
            os.replace(backup[1], target)
        else:
            tmp = _stage(target, backup[1])
            os.chmod(tmp, backup[2])
            os.replace(tmp, target)
    except Exception:  # noqa: BLE001 - undoing is best effort; the first failure is the one to report
        pass


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass
