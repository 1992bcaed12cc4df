"""Breaking a title into lines at word boundaries, balanced (GB/T 9704 7.3.1: 回行时要做到词意完整，排列对称，
长短适宜，间距恰当，标题排列应当使用梯形或菱形).

Words come from jieba (imported only when a title is too long for one line), with the zone's own names added so a
unit's name is never cut. Punctuation stays with its word: an opening quote or bracket with the word after it, a
closing one (and 的) with the word before it, a number with its 年/月/期.
"""

from __future__ import annotations

import re

import itertools
import logging
import math
import os
import unicodedata
from functools import lru_cache

from djxz.load.cache import cache_dir

# 二号 (22 pt) characters in the 156 mm type area: 442.2 / 22 = 20.1.
TITLE_CHARS = 20
# A name longer than this is left to jieba's own words, so a long zone name can still be broken inside, at a word.
MAX_NAME_WIDTH = 10
_OPENING = "“‘《（([〔【"
_CLOSING = "”’》）)]〕】，。、；：！？…·"
NAME_FREQ = 1_000_000  # above any dictionary word, so a name is one word
_ATTACH_BEFORE = ("的", "之", "年", "月", "日", "号", "期", "份", "届", "次", "个", "项")
_DIGITS = "0123456789"


def _digit(ch: str) -> bool:
    return len(ch) == 1 and ch in _DIGITS


def display_width(text: str) -> float:
    """Width in 二号 characters: CJK, full-width and the quotes and dashes CJK fonts set full-width (East Asian
    "ambiguous": “ ” ‘ ’ … — ·) count 1; Latin letters and digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def break_title(title: str, names: tuple[str, ...] = (), width: int = TITLE_CHARS) -> list[str]:
    """`title` as lines of at most `width` full-width characters, cut only between words, as even as they can be."""
    if display_width(title) <= width:
        return [title]
    words = title_words(title, names)
    total = display_width(title)
    least = max(2, math.ceil(total / width))
    for count in range(least, least + 3):
        best = _best_cut(words, count, width)
        if best is not None:
            return best
    return _by_characters(title, width)  # a single word longer than a line: nothing else fits


def title_words(title: str, names: tuple[str, ...] = ()) -> list[str]:
    """The title's words, with punctuation and particles attached to the word they belong to."""
    tokenizer = _tokenizer()
    for name in sorted({n for n in names if n and display_width(n) <= MAX_NAME_WIDTH}):
        if tokenizer.FREQ.get(name, 0) < NAME_FREQ:
            tokenizer.add_word(name, freq=NAME_FREQ)
    merged: list[str] = []
    pending = ""
    for token in tokenizer.lcut(title, HMM=False):
        if all(ch in _OPENING for ch in token):
            pending += token
            continue
        if merged and (all(ch in _CLOSING for ch in token) or token in _ATTACH_BEFORE
                       or (_digit(merged[-1][-1:]) and _digit(token[:1]))):
            merged[-1] += pending + token
        else:
            merged.append(pending + token)
        pending = ""
    if pending:
        merged.append(pending)
    # A number goes with the unit after it: 2026 + 年度 -> 2026年度.
    out: list[str] = []
    for word in merged:
        if out and out[-1] and all(ch in _DIGITS for ch in out[-1]):
            out[-1] += word
        else:
            out.append(word)
    return out


def _best_cut(words: list[str], count: int, width: int) -> list[str] | None:
    """The split of `words` into `count` lines, none wider than `width`, with the least spread of line widths;
    among equals, no line in the middle shorter than both neighbours (an hourglass is neither 梯形 nor 菱形)."""
    sizes = [display_width(w) for w in words]
    best = None
    for cuts in itertools.combinations(range(1, len(words)), count - 1):
        bounds = (0, *cuts, len(words))
        widths = [sum(sizes[a:b]) for a, b in zip(bounds, bounds[1:])]
        if max(widths) > width:
            continue
        mean = sum(widths) / count
        hourglass = any(widths[i] < widths[i - 1] and widths[i] < widths[i + 1] for i in range(1, count - 1))
        cost = (hourglass, round(sum((w - mean) ** 2 for w in widths), 6), [-w for w in widths])
        if best is None or cost < best[0]:
            best = (cost, ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:])])
    return best[1] if best else None


def _by_characters(title: str, width: int) -> list[str]:
    lines, line = [], ""
    for ch in title:
        if display_width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


@lru_cache(maxsize=1)
def _tokenizer():
    """One jieba tokenizer a process (its dictionary takes a second to load); zones' names are added as they come."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # jieba keeps its prepared dictionary in a cache file; ours, not the shared temporary folder's.
    folder = cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
        tokenizer.tmp_dir = str(folder)
    except OSError:
        pass
    tokenizer.initialize()
    return tokenizer
