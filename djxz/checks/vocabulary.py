"""The kinds a record names (activity, document, resource, talent) are the built-in ones or the zone's `vocabulary:`.

The converter takes any word in these fields (it reads one file and cannot know zone.yaml), so this check is where a
typo is reported, with a did-you-mean against both lists, under the code and wording the converter uses for choices.
"""

from __future__ import annotations

import difflib
from typing import Iterator

from djxz.checks.context import CheckContext
from djxz.model import ERROR, Diagnostic, Record, Zone

_NAMES = {"activity_kinds": "活动形式", "document_kinds": "文件种类", "resource_kinds": "资源类别", "talent_kinds": "人才类别"}


def _judge(record: Record, key: str, value: str | None, vocabulary: str, allowed: tuple[str, ...],
           zone_words: tuple[str, ...]) -> Iterator[Diagnostic]:
    if value is None or value in allowed:
        return
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.3)
    hint = f"是不是“{close[0]}”？" if close else ""
    extra = f"（其中本协作区增加的：{'、'.join(zone_words)}）" if zone_words else ""
    yield Diagnostic(record.at(key), "DJX014", ERROR, f"“{key}”的值“{value}”不在允许范围内",
                     f"{hint}可选：{'、'.join(allowed)}{extra}；本协作区需要新的{_NAMES[vocabulary]}时，"
                     f"写在 zone.yaml 的 vocabulary.{vocabulary} 中")


def check_vocabulary(zone: Zone, ctx: CheckContext) -> Iterator[Diagnostic]:
    """DJX014: every kind is in the built-in list or the zone's vocabulary."""
    vocab = zone.info.vocabulary
    lists = {key: (vocab.allowed(key), getattr(vocab, key)) for key in _NAMES}

    def judge(record: Record, key: str, value: str | None, vocabulary: str) -> Iterator[Diagnostic]:
        yield from _judge(record, key, value, vocabulary, *lists[vocabulary])

    for rule in zone.info.duties:
        yield from judge(rule, "activity_kind", rule.activity_kind, "activity_kinds")
        yield from judge(rule, "document_kind", rule.document_kind, "document_kinds")
    for unit in zone.units.values():
        for res in unit.resources:
            yield from judge(res, "kind", res.kind, "resource_kinds")
        for tal in unit.talents:
            yield from judge(tal, "kind", tal.kind, "talent_kinds")
    for plan in zone.plans.values():
        for item in plan.items:
            yield from judge(item, "kind", item.kind, "activity_kinds")
    for act in zone.activities:
        yield from judge(act, "kind", act.kind, "activity_kinds")
    for doc in zone.documents:
        yield from judge(doc, "kind", doc.kind, "document_kinds")


CHECKS = [check_vocabulary]
