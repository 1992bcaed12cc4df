"""双向认领: which units could meet an open need, and which needs a resource could meet, with a score a user can read.

The score is a sum of named parts, each with its reason in Chinese (docs/lists.md explains them):
- the kind matches exactly (the need's kind is the kind of one of the unit's resources or talents): +3;
- words shared between the need's title and description and the name and description (or skills) of the unit's one
  offer that shares the most: +0.5 a word, at most +2;
- distance: the same unit type as the needing unit +0.5; a 共建 relation already there (a project together, or an
  activity both took part in during the 12 months before) +0.5;
- load: −0.5 for each open project the unit leads or takes part in, at most −1.5.
A unit is a candidate only when it offers something of the right kind or with a shared word. Ties are broken by the
documented rule in `rank_key`: a kind match first, then more shared words, then fewer open projects, then unit id.

Pure: the caller passes the word splitter (jieba in the app), so nothing here imports a segmenter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from djxz.domain.lists import need_states, project_open
from djxz.model import Need, Unit, Zone

KIND_POINTS = 3.0
WORD_POINTS, WORD_CAP = 0.5, 2.0
SAME_TYPE_POINTS = 0.5
RELATION_POINTS = 0.5
LOAD_POINTS, LOAD_CAP = 0.5, 1.5
RELATION_DAYS = 365

Words = Callable[[str], frozenset[str]]


@dataclass(frozen=True)
class Offer:
    """One resource or talent of a unit, as matching sees it."""

    unit: str
    group: str  # 资源 or 人才
    kind: str
    name: str
    text: str  # name and description (or skills): what shared words are looked for in


@dataclass(frozen=True)
class Candidate:
    unit: str
    score: float
    because: tuple[str, ...]
    kind_match: bool
    shared: tuple[str, ...]
    open_projects: int
    offers: tuple[str, ...]  # the names of the offers that matched


@dataclass(frozen=True)
class NeedMatch:
    need: Need
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class OfferMatch:
    offer: Offer
    needs: tuple[tuple[Need, Candidate], ...]


def offers_of(unit: Unit) -> list[Offer]:
    out = [Offer(unit.id, "资源", r.kind, r.name, f"{r.name} {r.description or ''}") for r in unit.resources]
    out += [Offer(unit.id, "人才", t.kind, t.name, f"{t.name} {' '.join(t.skills)}") for t in unit.talents]
    return out


def open_projects(zone: Zone, unit_id: str, as_of: dt.date) -> int:
    return sum(1 for p in zone.projects if unit_id in p.units and project_open(p, as_of))


def relations(zone: Zone, a: str, b: str, as_of: dt.date) -> tuple[int, int]:
    """(projects together, activities both took part in during the RELATION_DAYS before `as_of`)."""
    projects = sum(1 for p in zone.projects if a in p.units and b in p.units and p.agreed <= as_of)
    since = as_of - dt.timedelta(days=RELATION_DAYS)
    activities = sum(1 for act in zone.activities_between(since, as_of) if a in act.units and b in act.units)
    return projects, activities


def score_unit(zone: Zone, need: Need, unit: Unit, words: Words, as_of: dt.date) -> Candidate | None:
    """How well `unit` could meet `need`, or None when it offers nothing of the kind and shares no word."""
    offers = offers_of(unit)
    need_words = words(f"{need.title} {need.description}")
    by_kind = [o for o in offers if o.kind == need.kind]
    # Shared words are counted against the unit's single best offer (a kind match wins a tie): a reason names one thing.
    best, shared = None, ()
    for offer in offers:
        common = tuple(sorted(need_words & words(offer.text)))
        if (len(common), offer.kind == need.kind) > (len(shared), best is not None and best.kind == need.kind):
            best, shared = offer, common
    if not by_kind and not shared:
        return None
    because: list[str] = []
    score = 0.0
    if by_kind:
        score += KIND_POINTS
        names = "、".join(f"“{o.name}”" for o in by_kind)
        because.append(f"类别相符：有{need.kind}{names}（+{KIND_POINTS:g}）")
    if shared:
        points = min(WORD_CAP, WORD_POINTS * len(shared))
        score += points
        because.append(f"用词相近：需求与“{best.name}”都提到{'、'.join(shared)}（+{points:g}）")
    asker = zone.unit(need.unit)
    if asker is not None and asker.type == unit.type:
        score += SAME_TYPE_POINTS
        because.append(f"与提出单位同为{unit.type}（+{SAME_TYPE_POINTS:g}）")
    together, met = relations(zone, need.unit, unit.id, as_of)
    if together or met:
        score += RELATION_POINTS
        parts = ([f"共建项目 {together} 个"] if together else []) + ([f"近一年共同参加活动 {met} 次"] if met else [])
        because.append(f"已有共建往来：{'，'.join(parts)}（+{RELATION_POINTS:g}）")
    load = open_projects(zone, unit.id, as_of)
    if load:
        minus = min(LOAD_CAP, LOAD_POINTS * load)
        score -= minus
        because.append(f"在办项目 {load} 个（−{minus:g}）")
    matched = tuple(dict.fromkeys([o.name for o in by_kind] + ([best.name] if best else [])))
    return Candidate(unit.id, round(score, 2), tuple(because), bool(by_kind), shared, load, matched)


def rank_key(c: Candidate) -> tuple:
    """Higher score first; on a tie: a kind match, then more shared words, then fewer open projects, then unit id."""
    return (-c.score, not c.kind_match, -len(c.shared), c.open_projects, c.unit)


def candidates_for(zone: Zone, need: Need, words: Words, as_of: dt.date) -> tuple[Candidate, ...]:
    """Every unit in the zone on `as_of` (not the needing unit) that could meet `need`, best first."""
    found = []
    for unit in zone.units.values():
        if unit.id == need.unit or not unit.active_on(as_of):
            continue
        candidate = score_unit(zone, need, unit, words, as_of)
        if candidate is not None:
            found.append(candidate)
    return tuple(sorted(found, key=rank_key))


def open_needs(zone: Zone, as_of: dt.date) -> list[Need]:
    return [s.need for s in need_states(zone, as_of) if s.is_open]


def match_needs(zone: Zone, words: Words, as_of: dt.date, need_id: str | None = None) -> list[NeedMatch]:
    """For each open need (or the one named), its candidate units, best first."""
    needs = open_needs(zone, as_of) if need_id is None else [n for n in zone.needs if n.id == need_id]
    return [NeedMatch(n, candidates_for(zone, n, words, as_of)) for n in needs]


def match_offers(zone: Zone, matches: list[NeedMatch]) -> list[OfferMatch]:
    """The other direction: for each resource or talent that appears as a reason, the needs it could meet, best first."""
    by_offer: dict[tuple[str, str], list[tuple]] = {}
    offers: dict[tuple[str, str], Offer] = {}
    for match in matches:
        for c in match.candidates:
            unit = zone.units[c.unit]
            for offer in offers_of(unit):
                if offer.name in c.offers:
                    key = (offer.unit, offer.name)
                    offers[key] = offer
                    by_offer.setdefault(key, []).append((match.need, c))
    out = []
    for key in sorted(by_offer):
        ranked = sorted(by_offer[key], key=lambda nc: (rank_key(nc[1]), nc[0].id))
        out.append(OfferMatch(offers[key], tuple(ranked)))
    return out
