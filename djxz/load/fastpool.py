"""Reading a large zone on two cores: a forked process reads files and has rapidyaml turn them into JSON text, while
this process turns that text into records.

The split follows the costs: reading, screening and parsing a file (fastread.emit) need no Python objects and cost
more than decoding the JSON and building the record, which must happen here. Only bytes cross the pipe (a file's
bytes, its JSON, a node count), in chunks, so the trip costs little; records never travel (unpickling them costs as
much as building them). Both processes take chunks from one counter, the helper from the front and this process
from the back whenever no finished chunk is waiting, so neither idles while the other has work. If the helper dies,
every chunk not yet received is done here: the result is the same, only slower. Without fork (Windows), or for a
small zone, everything is done here in order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from djxz.load import fastread

PARALLEL_FROM = 3000  # files; below this the helper process costs more than it saves
CHUNK = 32
_PIPE_BYTES = 1 << 20  # a pipe this large lets the helper run a few chunks ahead instead of waiting for a read

# on_file(index, bytes or None, the read problem or None, what fastread.emit gave or None)
OnFile = Callable[[int, "bytes | None", Any, "tuple[bytes, int] | None"], None]


def read_all(files: Sequence, root: Path, read: Callable, on_file: OnFile, workers: int | None = None) -> None:
    """Call `on_file` once for every file (in no fixed order): `read(zf, root)` gives (bytes, problem)."""
    cores = workers if workers is not None else (os.cpu_count() or 1)
    chunks = -(-len(files) // CHUNK)
    done: set[int] = set()
    if cores >= 2 and len(files) >= PARALLEL_FROM and fastread.AVAILABLE:
        _with_helper(files, root, read, on_file, chunks, done)
    for k in range(chunks):  # all of them on one core; with a helper, what it did not send
        if k not in done:
            _do_here(files, root, read, on_file, k)


def _with_helper(files, root, read, on_file, chunks: int, done: set[int]) -> None:
    """Share the chunks with a forked helper; `done` gets each chunk handed to `on_file`. Any trouble with the helper
    (no fork, no semaphores in a container, a helper that dies) ends the sharing: the rest is done by the caller."""
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
        front, back, lock = ctx.RawValue("i", 0), ctx.RawValue("i", chunks), ctx.Lock()
        receiver, sender = ctx.Pipe(duplex=False)
    except (ValueError, OSError, ImportError):  # no fork (Windows), or no POSIX semaphores (some containers)
        return
    _widen(sender)
    helper = ctx.Process(target=_helper, args=(sender, files, root, read, front, back, lock), daemon=True)
    started = False
    try:
        helper.start()
        started = True
        sender.close()
        _share(files, root, read, on_file, receiver, front, back, lock, done)
    except (EOFError, OSError):  # the helper died or could not start: what it had not sent is done by the caller
        pass
    finally:
        receiver.close()
        sender.close()
        if started:
            if helper.is_alive():
                helper.terminate()
            helper.join()


def _share(files, root, read, on_file, receiver, front, back, lock, done: set[int]) -> None:
    """Build the helper's chunks as they come; read chunks from the back while none is waiting."""
    while True:
        if not receiver.poll():
            k = _claim_back(front, back, lock)
            if k is not None:
                _do_here(files, root, read, on_file, k)
                done.add(k)
                continue
        message = receiver.recv()
        if message is None:
            return
        k, items = message
        for i, data, problem, emitted in items:
            on_file(i, data, problem, emitted)
        done.add(k)


def _widen(conn) -> None:
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
    except (ImportError, OSError):  # not Linux, or a lower limit: the helper then waits a little more often
        pass


def _claim_back(front, back, lock) -> int | None:
    with lock:
        if back.value <= front.value:
            return None
        back.value -= 1
        return back.value


def _claim_front(front, back, lock) -> int | None:
    with lock:
        if front.value >= back.value:
            return None
        front.value += 1
        return front.value - 1


def _do_here(files, root, read, on_file, k: int) -> None:
    for i in range(k * CHUNK, min(len(files), (k + 1) * CHUNK)):
        data, problem = read(files[i], root)
        on_file(i, data, problem, None if data is None else fastread.emit(data))


def _helper(sender, files, root, read, front, back, lock) -> None:  # pragma: no cover - runs in the forked process
    with fastread.quiet_stderr():
        while (k := _claim_front(front, back, lock)) is not None:
            items = []
            for i in range(k * CHUNK, min(len(files), (k + 1) * CHUNK)):
                data, problem = read(files[i], root)
                items.append((i, data, problem, None if data is None else fastread.emit(data)))
            sender.send((k, items))
        sender.send(None)
    sender.close()
