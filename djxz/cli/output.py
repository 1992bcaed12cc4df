"""The one output layer: every command's text goes to streams that encode for the console and never crash.

A Chinese Windows console (code page 936, or `PYTHONIOENCODING=gbk`) cannot encode 𠮷 or an emoji. Instead of an
internal error, such a character is written as a visible escape, `[U+20BB7]`, that a clerk can still look up.
Files djxz writes are not touched: they are always UTF-8.
"""

from __future__ import annotations

import codecs
import os
import sys

ERRORS = "djxz-escape"


def _escape(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(f"[U+{ord(ch):04X}]" for ch in bad), error.end


def _register() -> None:
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _escape)


_register()


def install() -> None:
    """Make stdout and stderr replace what their encoding cannot hold with `[U+XXXX]` (idempotent)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) != ERRORS:
            try:
                reconfigure(errors=ERRORS)
            except (ValueError, OSError):  # a closed or detached stream: `safe` still protects each write
                pass


def safe(text: str, stream=None) -> str:
    """`text` as the stream's encoding can carry it (for streams that could not be reconfigured)."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        return text.encode(encoding, ERRORS).decode(encoding)
    except LookupError:
        return text


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Write one message (to stderr with `err`), escaped for the console's encoding."""
    stream = sys.stderr if err else sys.stdout
    stream.write(safe(text, stream) + ("\n" if nl else ""))
    stream.flush()


def print_lines(out, lines) -> None:
    """Many (text, style) lines on a rich console: through rich on a terminal (colours), written straight otherwise,
    which is what rich would write to a file or a pipe (no style, no wrapping) at a small part of the cost. A tab
    goes through rich too: it expands tabs by display width, CJK characters counting two."""
    lines = list(lines)
    if out.is_terminal or any("\t" in text for text, _ in lines):
        for text, style in lines:
            out.print(text, style=style, markup=False)
        return
    from djxz.escape import terminal

    out.file.write("".join(f"{terminal(text, keep_newlines=True)}\n" for text, _ in lines))


# What rich reads to decide how a console looks (besides whether the stream is a terminal): environment variables
# by these prefixes, and the size of whichever standard stream is a terminal.
_SCREEN_ENV = ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_", "JUPYTER", "JPY_", "VSCODE",
               "PYTHONIOENCODING")


def screen_key() -> str | None:
    """A key for text rich prints to stdout when stdout is a file or a pipe: two runs with the same key print the same
    text for the same renderables. None on a terminal (colours, and the answer is cheap next to a person reading)."""
    try:
        if sys.stdout.isatty():
            return None
    except (AttributeError, ValueError, OSError):
        return None
    sizes = []
    for fd in (0, 1, 2):
        try:
            sizes.append(tuple(os.get_terminal_size(fd)))
        except (AttributeError, ValueError, OSError):
            sizes.append(None)
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith(_SCREEN_ENV))
    return repr((sys.platform, getattr(sys.stdout, "encoding", None), sizes, env))


def console(stderr: bool = False):
    """A rich console over the same streams (rich writes through them, so the escape applies to tables too)."""
    from rich.console import Console

    from djxz.escape import terminal  # only when a rich console is made

    class SafeConsole(Console):
        """Every string it is given (a line, a table cell) passes the terminal escaper first: record text can never
        send ESC, C1 controls or bidi overrides to the user's terminal."""

        def render_str(self, text: str, *args, **kwargs):
            return super().render_str(terminal(text, keep_newlines=True), *args, **kwargs)

    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=True)
