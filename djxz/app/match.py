"""Use case `djxz match`: candidate units for the open needs, and needs for each resource, with jieba for shared words.

Prints nothing. The scoring is djxz.domain.matching; this module supplies the word splitter and the JSON shape.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from djxz.app.check import load_valid_zone
from djxz.domain.matching import Candidate, NeedMatch, OfferMatch, match_needs, match_offers
from djxz.errors import UserError
from djxz.load.cache import cache_dir
from djxz.model import Zone

# Words every need says and that say nothing about what is needed.
STOPWORDS = frozenset("""
需要 需求 希望 开展 协作区 单位 成员 一名 一处 一套 一次 不少 左右 全年 今年 明年 年底 最好 适合 准备 进行 工作 活动
我们 他们 以及 或者 可以 能够 相关 方面 有关 组织 为了 提供 支援 协助 借用 共建 党建 党员
""".split())
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,}$")


@lru_cache(maxsize=1)
def _tokenizer():
    """One jieba tokenizer whose dictionary cache lives in djxz's own cache folder, not in a shared /tmp."""
    import logging

    import jieba  # heavy (the dictionary takes a second to load): only `match` needs it


    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(folder)
    except OSError:
        tokenizer.tmp_dir = None  # no cache: slower, still right
    return tokenizer


@lru_cache(maxsize=4096)
def words(text: str) -> frozenset[str]:
    """The meaningful words of a text: jieba's words of two or more characters, without the stopwords."""
    return frozenset(w for w in _tokenizer().lcut(text) if _WORD.match(w) and not re.fullmatch(r"[0-9０-９]+", w) and w not in STOPWORDS)


def run_match(zone: Zone, as_of: dt.date, need_id: str | None = None) -> tuple[list[NeedMatch], list[OfferMatch]]:
    if need_id is not None and need_id not in {n.id for n in zone.needs}:
        import difflib

        close = difflib.get_close_matches(need_id, [n.id for n in zone.needs], n=1, cutoff=0.6)
        hint = f"是不是“{close[0]}”？" if close else "需求编号见 needs/ 目录下的文件名"
        raise UserError(f"--need 指定的需求“{need_id}”不存在（{hint}）")
    needs = match_needs(zone, words, as_of, need_id)
    return needs, ([] if need_id else match_offers(zone, needs))


def load_match(root: Path, today: dt.date, as_of: dt.date | None = None, need_id: str | None = None):
    zone = load_valid_zone(root, today)
    return zone, *run_match(zone, as_of or today, need_id)


def _candidate_json(zone: Zone, c: Candidate) -> dict:
    return {"unit": {"id": c.unit, "name": zone.unit_name(c.unit)}, "score": c.score, "because": list(c.because)}


def match_json(zone: Zone, needs: list[NeedMatch], offers: list[OfferMatch]) -> dict:
    """The documented shape (docs/lists.md): needs with their candidates; resources with the needs they could meet."""
    return {
        "schema_version": 1,
        "needs": [
            {"id": m.need.id, "title": m.need.title, "unit": m.need.unit,
             "candidates": [_candidate_json(zone, c) for c in m.candidates]}
            for m in needs
        ],
        "resources": [
            {"unit": {"id": o.offer.unit, "name": zone.unit_name(o.offer.unit)}, "group": o.offer.group,
             "kind": o.offer.kind, "name": o.offer.name,
             "needs": [{"id": n.id, "title": n.title, "unit": n.unit, "score": c.score} for n, c in o.needs]}
            for o in offers
        ],
    }
