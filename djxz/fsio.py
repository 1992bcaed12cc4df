"""Every file djxz writes goes through here: atomic, all or none, never through a symlink; and one writer at a time.

A symlink can arrive in a pull request (`out/报告.docx -> ~/.bashrc`) or sit in a shared folder, so a write refuses a
symlink at the target and at every folder between the target and the top of its zone or repository (UnsafePathError,
exit 1, naming the link). Temp files are created with O_EXCL, which never follows a link, and are removed on any
failure, Ctrl-C included.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import stat
import tempfile
import time
from pathlib import Path
from typing import Iterator, Mapping

from djxz.errors import DjxzError, RepoError

LOCK_NAME = "djxz.lock"
# A lock file that cannot be read back (a writer killed while writing it) is taken as stale after this many seconds.
UNREADABLE_LOCK_SECONDS = 60


class UnsafePathError(DjxzError):
    """A write would go through a symlink (exit 1)."""

    exit_code = 1


# -- the symlink rule --------------------------------------------------------------------------------------------------

def symlink_on_the_way(path: Path, root: Path | None = None) -> Path | None:
    """The first symlink among `path` and its folders up to (not including) the top of its git repository, or else up
    to `root` (the zone). Outside both, only `path` itself is looked at: the folders above are the user's own choice.
    """
    path = Path(os.path.abspath(path))
    chain = _folders_below(path, lambda folder: os.path.lexists(folder / ".git"))
    if chain is None and root is not None:
        top = Path(os.path.abspath(root))
        chain = _folders_below(path, lambda folder: folder == top)
    for p in chain or [path]:
        if os.path.islink(p):
            return p
    return None


def _folders_below(path: Path, is_top) -> list[Path] | None:
    """`path` and the folders above it, up to the first that `is_top`; None when no folder is."""
    chain = [path]
    for folder in path.parents:
        if is_top(folder):
            return chain
        chain.append(folder)
    return None


def refuse_symlinks(path: Path, root: Path | None = None) -> None:
    link = symlink_on_the_way(path, root)
    if link is None:
        return
    try:
        points_to = os.readlink(link)
    except OSError:
        points_to = "?"
    what = "要写入的文件" if link == Path(os.path.abspath(path)) else "路径中的文件夹"
    raise UnsafePathError(
        f"拒绝写入 {path}：{what} {link} 是符号链接（指向 {points_to}）。djxz 从不经由符号链接写文件，以免改写协作区以外的文件；"
        "请删除这个链接（需要时换成普通文件或文件夹）后重试"
    )


# -- atomic writes -----------------------------------------------------------------------------------------------------

def atomic_write(path: Path, content: str | bytes, root: Path | None = None) -> None:
    """Write to a temp file beside `path`, flush it to disk, then rename over `path`: readers see old or new, never half.

    On any failure (disk full, Ctrl-C) the temp file is removed and the original is untouched.
    """
    write_files({Path(path): content}, root=root)


def write_files(files: Mapping[Path, str | bytes], root: Path | None = None) -> None:
    """Write several files as one change: all or none of them.

    Each file is first written in full to a temp file beside it and flushed to disk; only then are they renamed into
    place, one by one. If anything fails on the way (disk full, a read-only folder, Ctrl-C), the files already renamed
    get their old content back (kept as a hard link, or in memory where links are not possible), files that did not
    exist are removed, and so are the temp files and any folder made for them: the tree is as it was. A symlink at a
    target or on the way to it is refused before anything is written; a file with no write permission is refused too.
    """
    plan = [(Path(os.path.abspath(p)), c.encode("utf-8") if isinstance(c, str) else c) for p, c in files.items()]
    for target, _ in plan:
        refuse_symlinks(target, root)
        _refuse_read_only(target)
    made: list[Path] = []
    staged: list[tuple[Path, str]] = []
    done: list[tuple[Path, tuple | None]] = []
    current = None
    try:
        for current, data in plan:
            made += _make_parents(current.parent)
            staged.append((current, _stage(current, data)))
        for current, tmp in staged:
            refuse_symlinks(current, root)  # again, just before the rename: a link planted meanwhile is still refused
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


def create_file(path: Path, content: str | bytes, mode: int = 0o666) -> None:
    """Create a file that must not exist yet (O_EXCL|O_NOFOLLOW): for a fresh private folder such as `djxz init` fills."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _refuse_read_only(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode) and not mode & 0o222:
        raise PermissionError(errno.EACCES, "文件是只读的", str(path))


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; return the ones made, outermost first."""
    missing = []
    while not os.path.lexists(folder):
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # O_EXCL: never a link
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = os.lstat(path).st_mode & 0o7777
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
            os.link(target, name, follow_symlinks=False)
            return ("link", name)
        except FileExistsError:
            continue
        except OSError:
            break
    return ("bytes", target.read_bytes(), os.lstat(target).st_mode & 0o7777)


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
    except OSError:
        pass


# -- one writer at a time ----------------------------------------------------------------------------------------------

def git_dir(start: Path) -> Path | None:
    """The `.git` folder of the repository holding `start` (following a worktree's `.git` file), or None."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        dot = candidate / ".git"
        if dot.is_dir() and not dot.is_symlink():
            return dot
        if dot.is_file() and not dot.is_symlink():
            try:
                line = dot.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if line.startswith("gitdir:"):
                target = Path(line[len("gitdir:"):].strip())
                target = target if target.is_absolute() else candidate / target
                return target if target.is_dir() else None
            return None
    return None


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """Hold `.git/djxz.lock` while a command writes records, so a `rotate` and an `import` never interleave.

    The lock file holds the pid and the host. It is stale, and taken over, when its process is gone (same host), or
    when it cannot be read back and is older than a minute. Outside a git repository there is nothing to lock.
    """
    where = git_dir(root)
    if where is None:
        yield
        return
    lock = where / LOCK_NAME
    fd = None
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            break
        except FileExistsError:
            holder = _lock_holder(lock)
            if _is_stale(lock, holder):
                _remove(str(lock))
                continue
            pid, host = holder or ("?", "?")
            raise RepoError(
                f"另一个 djxz 命令（进程 {pid}，主机 {host}）正在写入这个仓库（锁文件 {lock}）。请等它结束后重试；"
                f"如果确定没有别的 djxz 在运行，删除 {lock} 后重试"
            ) from None
    if fd is None:
        raise RepoError(f"无法取得写入锁 {lock}：请删除该文件后重试")
    mine = f"{os.getpid()}\n{socket.gethostname()}\n"
    try:
        try:
            os.write(fd, mine.encode("utf-8"))
        finally:
            os.close(fd)
        yield
    finally:
        try:
            if lock.read_text(encoding="utf-8") == mine:  # never remove a lock someone else took over
                os.unlink(lock)
        except (OSError, UnicodeDecodeError):
            pass


def _lock_holder(lock: Path) -> tuple[int, str] | None:
    try:
        pid_text, host = lock.read_text(encoding="utf-8").split("\n")[:2]
        if not re.fullmatch(r"[0-9]{1,10}", pid_text):
            return None
        return int(pid_text), host
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _is_stale(lock: Path, holder: tuple[int, str] | None) -> bool:
    if holder is None:
        try:
            return time.time() - os.lstat(lock).st_mtime > UNREADABLE_LOCK_SECONDS
        except OSError:
            return True
    pid, host = holder
    if host != socket.gethostname():
        return False  # another machine's process: we cannot tell, so we do not guess
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False
