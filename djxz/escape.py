"""Escaping record text for each place it is written: Markdown, GitHub workflow commands, xlsx cells, terminals, .ics.

Record text comes from pull requests. Each function here makes a piece of it show literally in one output format, so it
can never become markup, a forged table row or annotation, a spreadsheet formula, a terminal control sequence or an
iCalendar property. Pure functions of strings; every boundary that writes record text calls the one for its format.
"""

from __future__ import annotations

import re

# -- Markdown ---------------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([ \t]*)([#=+\-]|[0-9]+(?=[.)]))", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")


def md_inline(text: str) -> str:
    """Markdown text that renders as `text`: no emphasis, code, link, HTML, heading or list item, even after a newline."""
    text = terminal_controls_removed(text, keep_newlines=True)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(r"\1\\\2", text)


def md_cell(text: str) -> str:
    """Markdown for one table cell: md_inline on one line (a newline would end the row and forge the next one)."""
    return md_inline(" ".join(_NEWLINES.sub(" ", text).split(" ")))


def md_code(text: str) -> str:
    """An inline code span holding `text` on one line, fenced with more backticks than `text` has in a row."""
    text = _NEWLINES.sub(" ", terminal_controls_removed(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# -- GitHub workflow commands -----------------------------------------------------------------------------------------
# GitHub's documented rules (toolkit/core command.ts): data escapes % CR LF; property values also escape : and ,.

def gh_data(text: str) -> str:
    """The message part of `::error ...::message`: a newline can never start a second command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: str) -> str:
    """A property value (`file=`, `title=`): no `,` or `:` to end it early or start the message."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")


# -- xlsx -------------------------------------------------------------------------------------------------------------
# Excel and WPS read a cell starting with one of these as a formula when it is edited or the sheet is saved as CSV
# (full-width forms included: WPS accepts them). Such a cell is written as a string with Excel's quote prefix.

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def xlsx_needs_guard(value: object) -> bool:
    """Whether a cell holding `value` must be forced to text (string type, quote prefix) rather than left to guessing."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_text(value: object) -> object:
    """A cell's value with the control characters XML cannot hold removed; other types pass unchanged."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- terminals --------------------------------------------------------------------------------------------------------

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates that reorder what a
# reader sees (Trojan Source), plus the line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_AND_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _visible(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal(text: str, keep_newlines: bool = False) -> str:
    """`text` safe to print: every control character, ESC and bidi override shown as a visible escape (`\\e`, `\\x9b`,
    `\\u202e`). A newline stays only with `keep_newlines` (a whole multi-line text built by djxz)."""
    return (_CONTROL if keep_newlines else _CONTROL_AND_NEWLINE).sub(_visible, text)


def terminal_controls_removed(text: str, keep_newlines: bool = False) -> str:
    """`text` with the same characters dropped instead of shown (for documents, where an escape would be noise)."""
    return (_CONTROL if keep_newlines else _CONTROL_AND_NEWLINE).sub("", text.replace("\t", " "))


# -- iCalendar --------------------------------------------------------------------------------------------------------

def ics_text(text: str) -> str:
    """A TEXT value ready for icalendar (which escapes `\\ ; ,` and newlines and folds lines at 75 octets, RFC 5545
    3.3.11 and 3.1): every newline made LF, and the control characters TEXT forbids removed."""
    return terminal_controls_removed(_NEWLINES.sub("\n", text), keep_newlines=True)
