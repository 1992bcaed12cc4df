"""The parse cache: each file's record and diagnostics, keyed by a hash of its bytes, under the user's cache directory.

Never inside the zone. A changed or new file has a new hash and is parsed again; a cache written by another version of
the reader (its code is part of the key), a corrupt or a foreign file is ignored and rebuilt. Failing to write the
cache never fails the command.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

MAGIC = "djxz-parse-cache"
_READER_MODULES = ("model.py", "load/schema.py", "load/convert.py", "load/yamlread.py", "domain/periods.py")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def code_fingerprint(modules: tuple[str, ...] = _READER_MODULES, folders: tuple[str, ...] = ()) -> str:
    """Changes whenever the named code changes (and with the version), so a stale result is never reused."""
    import djxz

    base = Path(djxz.__file__).parent
    paths = [base / rel for rel in modules]
    for folder in folders:
        paths += sorted((base / folder).glob("*.py"))
    h = hashlib.blake2b(djxz.__version__.encode(), digest_size=16)
    for path in paths:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(str(path).encode())
    return h.hexdigest()


reader_fingerprint = code_fingerprint


def zone_signature(files) -> str:
    """A hash of every record file's path and stat (size, mtime, ctime, inode), as git's index tells changed files.

    Cheap enough to take on every run; any write to a file changes its mtime and ctime.
    """
    h = hashlib.blake2b(digest_size=16)
    for zf in files:
        try:
            st = os.stat(zf.path)
            h.update(f"{zf.rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
        except OSError:
            h.update(f"{zf.rel}\0missing\n".encode())
    return h.hexdigest()


def _root_key(root: Path) -> str:
    return hashlib.blake2b(str(Path(root).resolve()).encode(), digest_size=12).hexdigest()


def load_result(root: Path, name: str, key: str):
    """A whole command result stored under `key` for this zone, or None."""
    try:
        with open(cache_dir() / f"{name}-{_root_key(root)}.pickle", "rb") as fh:
            payload = pickle.load(fh)
        if isinstance(payload, dict) and payload.get("magic") == MAGIC and payload.get("key") == key:
            return payload["value"]
    except Exception:  # missing, corrupt or foreign: compute afresh
        return None
    return None


def save_result(root: Path, name: str, key: str, value) -> None:
    try:
        from djxz.edit.yamlio import atomic_write

        path = cache_dir() / f"{name}-{_root_key(root)}.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps({"magic": MAGIC, "key": key, "value": value}, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def cache_dir() -> Path:
    override = os.environ.get("DJXZ_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("djxz", appauthor=False))


class ParseCache:
    def __init__(self, path: Path, fingerprint: str, entries: dict) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.entries = entries
        self.hits = 0

    def get(self, rel: str, data: bytes):
        entry = self.entries.get(rel)
        if entry is None or entry[0] != _digest(data):
            return None
        self.hits += 1
        return entry[1]

    def stale(self, parsed: int, files: int) -> bool:
        """Whether the cache must be written again: something was parsed, or files went away."""
        return parsed > 0 or files != len(self.entries)

    def save(self, results: dict[str, tuple[bytes, object]]) -> None:
        """Store every file's result, replacing what was there."""
        entries = {rel: (_digest(data), result) for rel, (data, result) in results.items()}
        payload = pickle.dumps({"magic": MAGIC, "fingerprint": self.fingerprint, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            from djxz.edit.yamlio import atomic_write

            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, payload)
        except OSError:
            return  # a read-only home or a full disk: the next run simply parses again
        self.entries = entries
        _opened[self.path] = (_mtime(self.path), self)


# Caches already read by this process, by file and its mtime: diff and check --changed load two versions of a zone,
# and reading 20,000 records twice costs half a second.
_opened: dict[Path, tuple[int, ParseCache]] = {}


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def open_cache(root: Path) -> ParseCache:
    fingerprint = code_fingerprint()
    path = cache_dir() / f"zone-{_root_key(root)}.pickle"
    known = _opened.get(path)
    if known is not None and known[0] == _mtime(path) and known[1].fingerprint == fingerprint:
        return known[1]
    entries: dict = {}
    try:
        with open(path, "rb") as fh:
            payload = pickle.load(fh)
        if isinstance(payload, dict) and payload.get("magic") == MAGIC and payload.get("fingerprint") == fingerprint:
            entries = payload["entries"]
            if not isinstance(entries, dict):
                entries = {}
    except Exception:  # missing, truncated, foreign or from another version: start afresh
        entries = {}
    store = ParseCache(path, fingerprint, entries)
    _opened[path] = (_mtime(path), store)
    return store
