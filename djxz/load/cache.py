"""The result caches: plain data (JSON) under the user's cache directory, never inside the zone.

An entry is trusted only as data: it is JSON, never code (no pickle), and it is keyed by what it answers (the zone's
file signature, the djxz version and a fingerprint of the code that computed it), so a stale answer is never reused.
Whoever can write the cache directory can at worst make djxz compute afresh: an entry that is not a regular file
owned by this user (a symlink, a FIFO, a device, someone else's file), that is larger than the cap, or that is not the
JSON we wrote is a miss, and the next write replaces it. The directory is made 0700 and entries 0600. Failing to read
or write the cache never fails the command.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import djxz

MAGIC = "djxz-cache-2"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_READER_MODULES = ("model.py", "load/schema.py", "load/convert.py", "load/yamlread.py", "load/fastread.py",
                   "load/loader.py", "domain/periods.py")
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_WRITE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
                | getattr(os, "O_BINARY", 0))


def code_fingerprint(modules: tuple[str, ...] = _READER_MODULES, folders: tuple[str, ...] = ()) -> str:
    """Changes whenever the named code changes (and with the version), so a stale result is never reused."""
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


def cache_dir() -> Path:
    override = os.environ.get("DJXZ_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("djxz", appauthor=False))


def entry_path(root: Path, name: str) -> Path:
    return cache_dir() / f"{name}-{_root_key(root)}.json"


def load_result(root: Path, name: str, key: str):
    """The value stored under `key` for this zone, or None (missing, stale, unsafe or corrupt: compute afresh)."""
    return read_entry(entry_path(root, name), key)


def save_result(root: Path, name: str, key: str, value) -> None:
    """Store a JSON-able value under `key` for this zone; silently nothing when the cache cannot be written."""
    write_entry(entry_path(root, name), key, value)


def read_entry(path: Path, key: str):
    data = _read_safely(path)
    if data is None:
        return None
    try:
        payload = json.loads(data)
    except ValueError:  # corrupt, truncated or not ours (a planted pickle is bytes json cannot even decode)
        return None
    if isinstance(payload, dict) and payload.get("magic") == MAGIC and payload.get("key") == key:
        return payload.get("value")
    return None


def _read_safely(path: Path) -> bytes | None:
    """The bytes of a regular file owned by this user and under the cap; None for anything else. Never follows a
    symlink (O_NOFOLLOW) and never waits on a FIFO (O_NONBLOCK, then fstat)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES or not _ours(st):
            return None
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_ENTRY_BYTES:  # grew while we read
                return None
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _ours(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def write_entry(path: Path, key: str, value) -> None:
    try:
        data = json.dumps({"magic": MAGIC, "key": key, "value": value}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):  # pragma: no cover - callers store plain data only
        return
    if len(data) > MAX_ENTRY_BYTES:
        return
    try:
        folder = _private_folder(path.parent)
        if folder is None:
            return
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        fd = os.open(tmp, _WRITE_FLAGS, 0o600)
        try:
            with open(fd, "wb", closefd=True) as fh:
                fh.write(data)
            os.replace(tmp, path)  # a rename replaces whatever was planted there (a symlink, a FIFO); it follows nothing
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return  # a read-only home, a full disk, a directory planted in the entry's place: parse again next time


def _private_folder(folder: Path) -> Path | None:
    """The cache folder, made 0700 when missing; None when it is not a real directory of this user's."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or not _ours(st):
        return None
    if st.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return None
    return folder
