"""Finding a zone on disk and loading every file of it into a `Zone` plus the diagnostics of what could not be read."""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
from functools import partial
from pathlib import Path
from typing import NamedTuple

from djxz.load import schema
from djxz.load.convert import Converter
from djxz.load.where import ZONE_FILE, find_zone  # noqa: F401 - find_zone is part of this module's interface
from djxz.load.yamlread import MAX_FILE_BYTES, parse_bytes, too_large
from djxz.model import ERROR, WARNING, Diagnostic, Source, Zone, ZoneInfo

HOLIDAYS_FILE = "holidays.yaml"
# folder -> (file kind, records live one level below a year folder)
FOLDERS = {"units": ("unit", False), "plans": ("plan", False), "activities": ("activity", True), "documents": ("document", True),
           "needs": ("need", True), "projects": ("project", True)}


class ZoneFile(NamedTuple):
    """A file of the zone: its path on disk, its path relative to the zone directory, and its kind (a tuple: a large
    zone lists 22,000 of them on every run)."""

    path: str
    rel: str
    kind: str


def zone_files(root: Path, only: tuple[str, ...] | None = None) -> tuple[list[ZoneFile], list[Diagnostic]]:
    """Every record file of the zone in a stable order, and warnings for files that are in the wrong place.

    With `only` (folder names, e.g. ("units",)): zone.yaml and the files of those folders, nothing else.
    """
    top = str(root)
    files = [ZoneFile(os.path.join(top, ZONE_FILE), ZONE_FILE, "zone")]
    notes: list[Diagnostic] = []
    if only is None and os.path.lexists(os.path.join(top, HOLIDAYS_FILE)):
        files.append(ZoneFile(os.path.join(top, HOLIDAYS_FILE), HOLIDAYS_FILE, "holidays"))
    for folder, (kind, by_year) in FOLDERS.items():
        base = os.path.join(top, folder)
        if (only is not None and folder not in only) or not os.path.isdir(base):
            continue
        if os.path.islink(base) and not _inside(Path(os.path.realpath(base)), root):
            notes.append(Diagnostic(Source(folder), "DJX001", ERROR, "符号链接指向协作区目录之外，其中的文件不会读取", "把目录本身放进协作区目录"))
            continue
        for path, rel in _walk(base, folder, 2 if by_year else 1, notes):
            files.append(ZoneFile(path, rel, kind))
    return files, notes


def _walk(base: str, rel: str, depth: int, notes: list[Diagnostic]):
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError as exc:
        notes.append(Diagnostic(Source(rel), "DJX001", ERROR, f"无法读取目录：{exc.strerror}", "检查目录权限"))
        return
    for entry in entries:
        name = entry.name
        sub = f"{rel}/{name}"
        if not _utf8(name):  # os.scandir hands undecodable bytes over as surrogates, which nothing can print
            shown = f"{rel}/{os.fsencode(name).decode('utf-8', 'backslashreplace')}"
            notes.append(Diagnostic(Source(shown), "DJX019", ERROR, "文件名不是 UTF-8 编码，这个文件不会被读取",
                                    "把文件改成只用中文、字母、数字和连字符的 UTF-8 名称（在 Windows 上用 git 重新添加）"))
            continue
        if name.startswith(".") or name.lower() == "readme.md":
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:  # a symlink loop: read_bytes says so for a .yaml name
            is_dir = False
        if is_dir and entry.is_symlink() and not _inside(Path(os.path.realpath(entry.path)), _zone_top(base, rel)):
            notes.append(Diagnostic(Source(sub), "DJX001", ERROR, "符号链接指向协作区目录之外，其中的文件不会读取", "把目录本身放进协作区目录"))
            continue
        if is_dir:
            if depth > 1:
                yield from _walk(entry.path, sub, depth - 1, notes)
            else:
                notes.append(Diagnostic(Source(sub), "DJX018", WARNING, "这里不应有子目录，其中的文件不会被读取", "把记录文件直接放在上一级目录"))
        elif name.endswith(".yaml"):
            if depth > 1:
                notes.append(Diagnostic(Source(sub), "DJX018", WARNING, "记录文件应放在年度目录中，这个文件不会被读取", f"移动到 {rel}/<年份>/ 下"))
            else:
                yield entry.path, sub
        elif name.endswith(".yml"):
            notes.append(Diagnostic(Source(sub), "DJX018", WARNING, "扩展名应为 .yaml，这个文件不会被读取", f"改名为 {name[:-4]}.yaml"))


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _zone_top(base: str, rel: str) -> Path:
    """The zone directory, from a folder being walked (`base`) and its path relative to the zone (`rel`)."""
    return Path(base).parents[rel.count("/")]


# Opening a named pipe for reading would wait for a writer forever: open without waiting, then insist on a plain file.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_bytes(zf: ZoneFile, root: Path) -> tuple[bytes | None, Diagnostic | None]:
    """The file's bytes, or why they cannot be read. A symlink out of the zone is never followed; a pipe, a device or
    a file too large for a record is never read."""
    try:
        if _NOFOLLOW:  # one open for a plain file; a symlink fails it (ELOOP) and is looked at before it is followed
            try:
                fd = os.open(zf.path, _OPEN_FLAGS | _NOFOLLOW)
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                fd = None
        else:  # pragma: no cover - Windows
            fd = None
        if fd is None:
            if os.path.islink(zf.path) and not _inside(Path(os.path.realpath(zf.path)), root):
                return None, Diagnostic(Source(zf.rel), "DJX001", ERROR, "符号链接指向协作区目录之外，不会读取", "把文件本身放进协作区目录")
            fd = os.open(zf.path, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None, Diagnostic(Source(zf.rel), "DJX001", ERROR, "不是普通文件（可能是命名管道或设备），不会读取", "删除它，或换成普通的 YAML 文件")
            if st.st_size > MAX_FILE_BYTES:
                return None, too_large(zf.rel, st.st_size)
            return _read_fd(fd, st.st_size + 1), None  # sized by fstat: one read, no buffer object
        finally:
            os.close(fd)
    except OSError as exc:
        return None, Diagnostic(Source(zf.rel), "DJX001", ERROR, f"无法读取文件：{exc.strerror or exc}", "检查文件是否存在、是否有读取权限")


def _read_fd(fd: int, size: int) -> bytes:
    """Up to `size` bytes (fstat's size + 1): one read when it gives what fstat said, more when it gives less."""
    data = os.read(fd, size)
    if size - 1 > len(data) > 0:  # short of what fstat said: read on
        parts = [data]
        while size > (got := sum(map(len, parts))) and (more := os.read(fd, size - got)):
            parts.append(more)
        data = b"".join(parts)
    return data


def read_zone_blobs(root: Path) -> dict[str, bytes]:
    """Every readable record file's bytes, keyed by path relative to the zone (what load_zone_from_bytes takes)."""
    files, _ = zone_files(root)
    blobs = {}
    for zf in files:
        data, _problem = read_bytes(zf, root)
        if data is not None:
            blobs[zf.rel] = data
    return blobs


def read_file(zf: ZoneFile, root: Path) -> tuple[object | None, list[Diagnostic]]:
    """Read, parse and convert one file: its record (or None) and its diagnostics."""
    data, problem = read_bytes(zf, root)
    if data is None:
        return None, [problem]
    return parse_record(data, zf.rel, zf.kind)


def parse_record(data: bytes, rel: str, kind: str) -> tuple[object | None, list[Diagnostic]]:
    """Bytes of one file -> its record (or None) and its diagnostics. Pure: no disk, so git blobs can use it too."""
    parsed = parse_bytes(data, rel)
    if parsed.node is None or any(d.severity == ERROR for d in parsed.diagnostics):
        return None, _on_a_line(list(parsed.diagnostics), data)
    conv = Converter(rel)
    record = conv.record(parsed.node, schema.FILE_SPECS[kind])
    return record, _on_a_line(list(parsed.diagnostics) + conv.diagnostics, data)


def _on_a_line(diagnostics: list[Diagnostic], data: bytes) -> list[Diagnostic]:
    """libyaml marks an empty value at the very end of a file one line past it (`---` with no newline): the last line."""
    last = data.count(b"\n") + 1
    if all(d.src is None or d.src.line <= last for d in diagnostics):
        return diagnostics
    from dataclasses import replace

    tail = data.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
    return [replace(d, src=replace(d.src, line=last, col=len(tail) + 1)) if d.src and d.src.line > last else d
            for d in diagnostics]


def kind_of_path(rel: str) -> str | None:
    """The file kind of a path relative to the zone directory, or None when the loader would not read it."""
    parts = rel.split("/")
    if not rel.endswith(".yaml"):
        return None
    if len(parts) == 1:
        return {ZONE_FILE: "zone", HOLIDAYS_FILE: "holidays"}.get(rel)
    spec = FOLDERS.get(parts[0])
    if spec is None or parts[-1].startswith("."):
        return None
    kind, by_year = spec
    return kind if len(parts) == (3 if by_year else 2) else None


def load_zone_from_bytes(root: Path, blobs: dict[str, bytes]) -> tuple[Zone, list[Diagnostic]]:
    """Load a zone from file contents keyed by path relative to the zone directory (e.g. read from git objects).

    Every file is read on the positional path (loaded_from_bytes reads clean files fast, for a caller that runs the
    checks' cite-and-reread loop or asks for positions one at a time)."""
    loaded = loaded_from_bytes(root, blobs, fast=False)
    return loaded.zone, loaded.diagnostics


def loaded_from_bytes(root: Path, blobs: dict[str, bytes], fast: bool = True) -> Loaded:
    """A Loaded zone from file contents keyed by path relative to the zone directory."""
    files = []
    for rel in sorted(blobs, key=lambda r: (r != ZONE_FILE, r)):
        kind = kind_of_path(rel)
        if kind:
            files.append(ZoneFile(os.path.join(str(root), rel), rel, kind))
    notes = [] if any(zf.kind == "zone" for zf in files) else [Diagnostic(Source(ZONE_FILE), "DJX001", ERROR, "找不到 zone.yaml", "")]
    return Loaded(root, files, notes, fast=fast, blobs=blobs)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return False
    return True


def load_zone(root: Path, workers: int | None = None, listing: tuple[list[ZoneFile], list[Diagnostic]] | None = None,
              fast: bool = False) -> tuple[Zone, list[Diagnostic]]:
    """Load every file; broken files become diagnostics and the rest still loads.

    With `fast`, clean files are read without positions (fastread): for a caller that shows no position of them.
    """
    loaded = Loaded(root, *(listing or zone_files(root)), fast=fast, workers=workers)
    return loaded.zone, loaded.diagnostics


def since_year(listing: tuple[list[ZoneFile], list[Diagnostic]], year: int) -> tuple[list[ZoneFile], list[Diagnostic]]:
    """The listing without activities and documents of the year folders before `year` (what a report never shows)."""
    files, notes = listing
    kept = []
    early: dict[str, bool] = {}  # year folder -> before `year`
    for zf in files:
        if zf.kind in ("activity", "document"):
            folder = zf.rel.split("/", 2)[1]
            before = early.get(folder)
            if before is None:
                before = early[folder] = re.fullmatch(r"[0-9]{4}", folder) is not None and int(folder) < year
            if before:
                continue
        kept.append(zf)
    return kept, notes


class Loaded:
    """A loaded zone that knows which files were read without positions, and can read some of them again with them.

    A check runs on the fast records; the files its findings cite are read again on the positional path and the
    checks run again, so every message and position is what reading everything positionally would give.
    """

    def __init__(self, root: Path, files: list[ZoneFile], notes: list[Diagnostic], fast: bool = True,
                 workers: int | None = None, blobs: dict[str, bytes] | None = None) -> None:
        """`blobs`: the files' contents by relative path (a git revision), instead of reading them from disk."""
        self.root = root
        self.read = read_bytes if blobs is None else (lambda zf, _root: (blobs[zf.rel], None))
        self.files = files
        self.notes = list(notes)
        self.results: list = [None] * len(files)
        self.fast: dict[str, int] = {}
        todo: list[int] = []
        if fast:
            self.contents: list = [(None, None)] * len(files)
            self._read_fast(workers)
            for i, (record, _) in enumerate(self.results):
                if record is None and self.contents[i][0] is not None:
                    todo.append(i)
                elif record is not None:
                    self.fast[files[i].rel] = i
        else:
            self.contents = [self.read(zf, root) for zf in files]
            for i, (data, problem) in enumerate(self.contents):
                if data is None:
                    self.results[i] = (None, [problem])
                else:
                    todo.append(i)
        self._parse(todo, workers)
        self.zone, self.diagnostics = assemble(root, files, self.results, list(self.notes))

    def _read_fast(self, workers: int | None) -> None:
        """Every file read and, when clean, built on the fast path (on two cores for a large zone); the rest is left
        for the positional path."""
        from djxz.load import fastpool, fastread  # rapidyaml and msgspec: only when the fast path runs

        specs, files, contents, results = schema.FILE_SPECS, self.files, self.contents, self.results

        def on_file(i: int, data: bytes | None, problem: Diagnostic | None, emitted) -> None:
            contents[i] = (data, problem)
            if data is None:
                results[i] = (None, [problem])
                return
            zf = files[i]
            record = fastread.record(data, zf.rel, specs[zf.kind], partial(_positional_record, data, zf.rel, zf.kind),
                                     emitted)
            results[i] = (None, None) if record is None else (record, [])

        # Records hold no reference cycles, yet the collector would walk all of them again and again while they are
        # made (and once more the first time it runs after): it is paused, and what was made is set aside for good.
        collecting = gc.isenabled()
        gc.disable()
        try:
            with fastread.quiet_stderr():
                fastpool.read_all(files, self.root, self.read, on_file, workers)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()

    def _parse(self, todo: list[int], workers: int | None = None) -> None:
        parsed = parse_many([(self.contents[i][0], self.files[i].rel, self.files[i].kind) for i in todo], workers)
        for i, result in zip(todo, parsed):
            self.results[i] = result

    def cited(self, diagnostics: list[Diagnostic]) -> set[str]:
        """The files read without positions that these diagnostics cite without a line: at them, or in their text.

        (A field's line comes from the file read again with positions the first time a check asks for it; what has
        no line yet is a nested record's own position.)
        """
        if not self.fast:
            return set()
        found = set()
        for d in diagnostics:
            if d.src is not None and not d.src.line and d.src.path in self.fast:
                found.add(d.src.path)
            for name in _BARE_PATHS.findall(f"{d.message} {d.hint}"):
                if name in self.fast:
                    found.add(name)
        return found

    def with_positions(self, rels: set[str]) -> tuple[Zone, list[Diagnostic]]:
        """Read these files again on the positional path; the zone and load diagnostics as they are then."""
        todo = sorted(self.fast.pop(rel) for rel in rels if rel in self.fast)
        self._parse(todo)
        self.zone, self.diagnostics = assemble(self.root, self.files, self.results, list(self.notes))
        return self.zone, self.diagnostics


_BARE_PATHS = re.compile(r"([\w./-]+\.yaml)(?!:[0-9])")


def _positional_record(data: bytes, rel: str, kind: str):
    return parse_record(data, rel, kind)[0]
PARALLEL_FROM = 3000  # files; below this a process pool costs more than it saves


def parse_many(jobs: list[tuple[bytes, str, str]], workers: int | None = None) -> list:
    """parse_record over many files; with enough of them, spread over the cores.

    This process parses its own share while forked workers parse theirs: the results' trip back (pickling) is then
    the only cost parallelism adds.
    """
    cores = workers if workers is not None else (os.cpu_count() or 1)
    if cores < 2 or len(jobs) < PARALLEL_FROM:
        return [parse_record(*job) for job in jobs]
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return [parse_record(*job) for job in jobs]
    size = -(-len(jobs) // cores)
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ctx.Pool(len(chunks) - 1) as pool:
        pending = pool.map_async(_parse_chunk, chunks[1:])
        mine = _parse_chunk(chunks[0])
        theirs = pending.get()
    return mine + [result for part in theirs for result in part]


def _parse_chunk(jobs: list[tuple[bytes, str, str]]) -> list:
    return [parse_record(*job) for job in jobs]


def assemble(root: Path, files: list[ZoneFile], results: list, diagnostics: list[Diagnostic]) -> tuple[Zone, list[Diagnostic]]:
    """Index loaded records into a Zone. Kept apart from reading so a cache or a pool can feed it."""
    info = None
    units: dict = {}
    plans: dict = {}
    activities: list = []
    documents: list = []
    needs: list = []
    projects: list = []
    holidays = None
    unreadable: set[str] = set()
    shadowed: list = []
    for zf, (record, diags) in zip(files, results):
        diagnostics.extend(diags)
        if record is None:
            unreadable.add(os.path.splitext(os.path.basename(zf.rel))[0])
            continue
        if zf.kind == "zone":
            info = record
        elif zf.kind == "holidays":
            holidays = record
        elif zf.kind == "unit":
            if record.id in units:
                shadowed.append(record)  # reported by the identity check, with both files
                continue
            units[record.id] = record
        elif zf.kind == "plan":
            if plans.setdefault(record.year, record) is not record:
                shadowed.append(record)
        elif zf.kind == "activity":
            activities.append(record)
        elif zf.kind == "document":
            documents.append(record)
        elif zf.kind == "need":
            needs.append(record)
        elif zf.kind == "project":
            projects.append(record)
    zone = Zone(
        root=str(root),
        info=info or ZoneInfo(src=Source(ZONE_FILE)),
        units=units,
        plans=dict(sorted(plans.items())),
        activities=tuple(sorted(activities, key=lambda a: (a.date, a.id))),
        documents=tuple(sorted(documents, key=lambda d: (d.date, d.id))),
        needs=tuple(sorted(needs, key=lambda n: (n.date, n.id))),
        projects=tuple(sorted(projects, key=lambda p: (p.agreed, p.id))),
        holidays=holidays,
        files=len(files),
        unreadable_ids=frozenset(unreadable),
        info_ok=info is not None,
        shadowed=tuple(shadowed),
    )
    return zone, diagnostics
