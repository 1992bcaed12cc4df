"""Proposed record ids from Chinese names, in pinyin (the rule is in docs/ids.md)."""

from __future__ import annotations

import re
from typing import Callable, Iterable

# A unit's type suffix (on its short name) -> the id's tail, longest first within each type.
TYPE_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "站所": (("检查站", "jianchazhan"), ("派出所", "paichusuo"), ("站", "zhan"), ("所", "suo")),
    "机关": (("机关", "jiguan"),),
    "高校": (("大学", "daxue"), ("学院", "xueyuan")),
    "国企": (("集团", "jituan"), ("公司", "gongsi")),
    "其他": (),
}
# Place-name readings pypinyin gets wrong out of context (什 is shi in 塔什库尔干, not shen; 都 is du in 都拉塔).
NAME_READINGS = {"什": "shi", "都": "du", "尔": "er", "乐": "le", "曲": "qu", "藏": "zang", "单": "shan"}
# Words that say nothing about which activity it was; dropped before the title's key words are taken.
TITLE_FILLERS = (
    "协作区", "联建", "关于", "开展", "举办", "举行", "召开", "组织", "活动", "工作", "党建协作", "第", "期", "月份", "年度",
)
TITLE_SYLLABLES = 4  # an activity slug: the first four syllables of the title's key words, in pairs


def _pinyin(text: str, names: bool) -> list[str]:
    """One syllable per Chinese character (ASCII letters and digits kept as they are, anything else dropped)."""
    from pypinyin import lazy_pinyin  # 40 ms and a large dictionary: only when an id is proposed

    out: list[str] = []
    for ch in text:
        if ch.isascii():
            if ch.isalnum():
                out.append(ch.lower())
            continue
        if names and ch in NAME_READINGS:
            out.append(NAME_READINGS[ch])
            continue
        out.extend(s for s in lazy_pinyin(ch, errors="ignore") if s.isascii() and s.isalpha())
    return out


def _context_pinyin(text: str, names: bool) -> list[str]:
    """Syllables read in context (多音字 by phrase), with the place-name readings on top."""
    from pypinyin import lazy_pinyin

    chinese = [ch for ch in text if not ch.isascii()]
    readings = [s for s in lazy_pinyin("".join(chinese), errors="ignore")]
    if len(readings) != len(chinese):  # a character pypinyin does not know: read one by one
        return _pinyin(text, names)
    it = iter(readings)
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            if ch.isalnum():
                out.append(ch.lower())
            continue
        syllable = next(it)
        if names and ch in NAME_READINGS:
            syllable = NAME_READINGS[ch]
        if syllable.isascii() and syllable.isalpha():
            out.append(syllable)
    return out


def _pairs(syllables: list[str]) -> str:
    return "-".join("".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2))


def unit_id(short_name: str, unit_type: str) -> str:
    """塔什库尔干站 (站所) -> tashikuergan-zhan: the short name less its type suffix in one word, then the suffix's tail.
    Without a suffix, the name's syllables in pairs: 河谷能投 -> hegu-nengtou. Empty when nothing is readable."""
    name = re.sub(r"\s+", "", short_name)
    for suffix, tail in TYPE_SUFFIXES.get(unit_type, ()):
        stem = name[: -len(suffix)]
        if name.endswith(suffix) and stem:
            syllables = _context_pinyin(stem, names=True)
            if syllables:
                return f"{''.join(syllables)}-{tail}"
    return _pairs(_context_pinyin(name, names=True))


def activity_slug(title: str) -> str:
    """The key words of a title as a short slug: 联片党课：学习新修订条例 -> lianpian-dangke (empty when unreadable)."""
    text = re.sub(r"[0-9０-９一二三四五六七八九十〇零]+(年度|年|月份|月|日|号|期)", "", title)  # dates say nothing: the id has one
    text = re.sub(r"[0-9０-９]+", "", text)
    for filler in TITLE_FILLERS:
        text = text.replace(filler, "")
    chinese = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isascii() and ch.isalnum())
    return _pairs(_context_pinyin(chinese, names=False)[:TITLE_SYLLABLES])


def free_id(base: str, taken: Callable[[str], bool] | Iterable[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first one not taken."""
    is_taken = taken if callable(taken) else set(taken).__contains__
    candidate, n = base, 1
    while is_taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate
