"""Use case: what a change to a zone means: records added, removed and changed by kind, and what a reviewer must see.

The comparison is semantic: two loaded zones, record by record (matched by id, a plan by its year), field by field (list
items matched by their id, name or period, so a reordered list is no change). Both versions come from git objects, or
the newer one from the working tree; nothing is checked out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from djxz.app.diff_lists import ListNote, explain_lists
from djxz.domain.duty_rules import merge_rules
from djxz.domain.people import iter_people
from djxz.load.revision import load_version, resolve_versions
from djxz.load.schema import FILE_SPECS, Spec
from djxz.model import ERROR, Document, Record, Source, Zone

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
STATUS_NAMES = {ADDED: "新增", CHANGED: "修改", REMOVED: "删除"}
KINDS = ("zone", "unit", "plan", "activity", "document", "holidays", "need", "project")
KIND_NAMES = {"zone": "协作区设置", "unit": "单位", "plan": "年度计划", "activity": "活动", "document": "文件", "holidays": "节假日",
              "need": "需求", "project": "项目"}
KIND_COUNTERS = {"zone": "处", "unit": "个", "plan": "份", "activity": "项", "document": "份", "holidays": "处", "need": "项",
                 "project": "个"}

# Warnings a reviewer must see, by code. The code is stable (JSON output); the title is what a reviewer reads.
TURN_CHANGED = "turn-changed"
UNIT_STILL_NAMED = "unit-removed-still-named"
BULLETIN_REUSED = "bulletin-number-reused"
DEADLINE_MOVED = "deadline-moved"
UNREADABLE = "unreadable"
DUTY_ADJUSTED = "duty-adjusted"
WARNING_TITLES = {
    TURN_CHANGED: "已记录的轮值被改动",
    UNIT_STILL_NAMED: "删除的单位仍被引用",
    BULLETIN_REUSED: "信息简报期号被重复使用或改动",
    DEADLINE_MOVED: "截止时间被改动",
    UNREADABLE: "文件无法读取，未参与比较",
    DUTY_ADJUSTED: "职责被免于或顺延",
}


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, before and after; `old`/`new` are display text, None when the field is not there."""

    path: str
    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class RecordChange:
    kind: str
    key: str
    status: str
    title: str
    path: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ReviewWarning:
    code: str
    message: str
    src: Source | None = None


@dataclass(frozen=True)
class ZoneDiff:
    base: str
    head: str
    changes: tuple[RecordChange, ...]
    warnings: tuple[ReviewWarning, ...]
    lists: tuple[ListNote, ...] = ()  # what the change means for the three lists and 督办 (djxz.app.diff_lists)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.warnings

    def of_kind(self, kind: str) -> list[RecordChange]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, dict[str, int]]:
        """{kind: {status: n}} for the kinds that changed, in KINDS order."""
        out: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            changes = self.of_kind(kind)
            if changes:
                out[kind] = {s: n for s in (ADDED, CHANGED, REMOVED) if (n := sum(c.status == s for c in changes))}
        return out

    def summary(self) -> str:
        """One Chinese sentence: 新增活动 3 项、修改单位 1 个；删除文件 1 份."""
        if not self.changes:
            return "没有记录变化"
        parts = []
        for status in (ADDED, CHANGED, REMOVED):
            items = [f"{KIND_NAMES[k]} {n[status]} {KIND_COUNTERS[k]}" for k, n in self.counts().items() if status in n]
            if items:
                parts.append(STATUS_NAMES[status] + "、".join(items))
        return "；".join(parts)


# ---------------------------------------------------------------- the comparison (pure)

def diff_zones(old: Zone, new: Zone, base: str = "", head: str = "") -> ZoneDiff:
    """Everything that differs between two loaded zones, and the warnings a reviewer must see."""
    changes: list[RecordChange] = []
    warnings: list[ReviewWarning] = []
    old_records, new_records = _records(old), _records(new)
    for kind in KINDS:
        spec = FILE_SPECS[kind]
        before, after = old_records[kind], new_records[kind]
        for key in sorted(before.keys() | after.keys(), key=_natural):
            a, b = before.get(key), after.get(key)
            if a is None:
                changes.append(RecordChange(kind, key, ADDED, _title(kind, b), b.src.path))
            elif b is None:
                if _unreadable(new, kind, a):
                    warnings.append(ReviewWarning(UNREADABLE, f"{a.src.path} 在新版本中无法读取，其记录没有参与比较（运行 djxz check 查看原因）",
                                                  Source(a.src.path)))
                    continue
                changes.append(RecordChange(kind, key, REMOVED, _title(kind, a), a.src.path))
            else:
                fields = compare_records(a, b, spec)
                if fields:
                    changes.append(RecordChange(kind, key, CHANGED, _title(kind, b), b.src.path, tuple(fields)))
    if old.info_ok and not new.info_ok:
        warnings.append(ReviewWarning(UNREADABLE, "zone.yaml 在新版本中无法读取，协作区设置没有参与比较（运行 djxz check 查看原因）", Source("zone.yaml")))
    if old.info_ok and new.info_ok:
        warnings += _turn_warnings(old, new)
        warnings += _duty_deadline_warnings(old, new)
    warnings += _plan_deadline_warnings(old, new)
    warnings += _adjustment_warnings(old, new)
    warnings += _removed_unit_warnings(old, new)
    warnings += _bulletin_warnings(old, new)
    return ZoneDiff(base, head, tuple(changes), tuple(warnings), explain_lists(old, new))


def compare_records(old: Record, new: Record, spec) -> list[FieldChange]:
    """Field-level changes between two versions of one record, in the order of the schema.

    A list item (a plan item, a recorded turn, a person) that appears or disappears is one change, not one per field.
    """
    if old == new and old.src.path == new.src.path:
        return []  # equal values (positions aside): nothing to show, and most records of a large zone are like this
    before, after = _flatten(old, spec), _flatten(new, spec)
    out: list[FieldChange] = []
    if old.src.path != new.src.path:
        out.append(FieldChange("file", "文件", old.src.path, new.src.path))
    whole = tuple(p + "." for p, e in (*before.items(), *after.items()) if e[2] and (p in before) != (p in after))
    for path in _merged_order(list(before), list(after)):
        if path.startswith(whole):
            continue
        a, b = before.get(path), after.get(path)
        if a and b and a[2]:
            continue  # an item in both versions: its fields say what changed
        old_text, new_text = a[1] if a else None, b[1] if b else None
        if old_text != new_text:
            out.append(FieldChange(path, (b or a)[0], old_text, new_text))
    return out


def _merged_order(before: list[str], after: list[str]) -> list[str]:
    """The new order, with what only the old version had placed after its old predecessor."""
    order = list(after)
    known = set(order)
    for i, path in enumerate(before):
        if path in known:
            continue
        at = order.index(before[i - 1]) + 1 if i else 0
        order.insert(at, path)
        known.add(path)
    return order


def _flatten(record: Record, spec, path: str = "", label: str = "") -> dict[str, tuple[str, str | None, bool]]:
    """Every field by dotted path -> (Chinese label, display text, is a list item), in schema order."""
    out: dict[str, tuple[str, str | None, bool]] = {}
    for fld in spec.fields:
        value = getattr(record, fld.key, None)
        sub = f"{path}{fld.key}"
        title = f"{label}{_short(fld.title)}"
        if fld.type == "object":
            if value is None:
                out[sub] = (title, None, False)
            else:
                out.update(_flatten(value, fld.spec, sub + ".", title + " › "))
        elif fld.type == "list" and isinstance(fld.item, Spec):
            for ident, item in _item_keys(value or (), fld.item):
                item_path = f"{sub}[{ident}]"
                item_label = f"{label}{_short(fld.item.title)} {ident}"
                out[item_path] = (item_label, describe(item), True)
                out.update(_flatten(item, fld.item, item_path + ".", item_label + " › "))
        else:
            out[sub] = (title, display(value), False)
    return out


def _item_keys(values, spec) -> list[tuple[str, Any]]:
    """A stable identity for each list item: its id, name or period, else its position; repeats get #2, #3."""
    field = next((k for k in ("id", "name", "period", "date") if k in spec.by_key), None)
    seen: dict[str, int] = defaultdict(int)
    out = []
    for i, item in enumerate(values, 1):
        ident = display(getattr(item, field)) if field else str(i)
        seen[ident] += 1
        out.append((ident if seen[ident] == 1 else f"{ident}#{seen[ident]}", item))
    return out


def _short(title: str) -> str:
    """A field title without its explanation in brackets: 轮值单位（单位编号） -> 轮值单位."""
    return re.sub(r"（[^）]*）", "", title).strip() or title


def display(value: Any) -> str | None:
    """A value as a reviewer reads it; None when the field is empty."""
    if value is None or value == () or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        parts = [display(v) for v in value]
        return "、".join(p for p in parts if p)
    if dataclasses.is_dataclass(value):
        return describe(value)
    return str(value)


def describe(record: Any) -> str:
    """A short description of a nested record: its name or title, its period or date, its unit."""
    parts = []
    for key in ("title", "name", "kind", "period", "date", "month", "unit", "host", "deadline"):
        value = getattr(record, key, None)
        if value not in (None, "", ()):
            parts.append(display(value))
    return "，".join(dict.fromkeys(p for p in parts if p)) or "（空）"


def _natural(key: str) -> tuple:
    return tuple(int(p) if re.fullmatch(r"[0-9]+", p) else p for p in re.split(r"([0-9]+)", key))


def _records(zone: Zone) -> dict[str, dict[str, Record]]:
    out: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
    if zone.info_ok:
        out["zone"]["zone"] = zone.info
    if zone.holidays is not None:
        out["holidays"]["holidays"] = zone.holidays
    out["unit"].update(zone.units)
    out["plan"].update({str(year): plan for year, plan in zone.plans.items()})
    for kind, records in (("activity", zone.activities), ("document", zone.documents), ("need", zone.needs),
                          ("project", zone.projects)):
        for record in records:
            key = record.id if record.id not in out[kind] else f"{record.id}@{record.src.path}"
            out[kind][key] = record
    return out


def _unreadable(new: Zone, kind: str, record: Record) -> bool:
    if kind == "zone":
        return not new.info_ok
    return Path(record.src.path).stem in new.unreadable_ids


def _title(kind: str, record: Any) -> str:
    if kind == "zone":
        return record.name
    if kind == "holidays":
        return "节假日和调休"
    if kind == "unit":
        return record.name
    if kind == "plan":
        return f"{record.year} 年协作计划"
    if kind == "project":
        return f"{record.title}（{record.agreed}）"
    if kind == "document" and record.number is not None:
        return f"{record.title}（第 {record.number} 期，{record.date}）"
    return f"{record.title}（{record.date}）"


# ---------------------------------------------------------------- warnings a reviewer must see

def _turn_warnings(old: Zone, new: Zone) -> Iterator[ReviewWarning]:
    """A recorded turn is a fact: changing or removing one rewrites the zone's history."""
    new_rotations = {r.name: r for r in new.info.rotations}
    for rotation in old.info.rotations:
        other = new_rotations.get(rotation.name)
        name = f"{rotation.title}（{rotation.name}）"
        if rotation.anchor and (other is None or other.anchor is None or _turn_key(other.anchor) != _turn_key(rotation.anchor)):
            now = f"改为 {other.anchor.period} 期 {other.anchor.unit}" if other and other.anchor else "被删除"
            yield ReviewWarning(TURN_CHANGED, f"{name}的起点（{rotation.anchor.period} 期 {rotation.anchor.unit}）{now}",
                                (other.at("anchor") if other else new.info.at("rotations")))
        after = {t.period: t for t in other.turns} if other else {}
        for turn in rotation.turns:
            now_turn = after.get(turn.period)
            if now_turn is None:
                yield ReviewWarning(TURN_CHANGED, f"{name}{turn.period} 期的轮值记录（{turn.unit}）被删除",
                                    other.at("turns") if other else new.info.at("rotations"))
            elif now_turn.unit != turn.unit:
                yield ReviewWarning(TURN_CHANGED, f"{name}{turn.period} 期的轮值单位由 {turn.unit} 改为 {now_turn.unit}",
                                    now_turn.at("unit"))


def _turn_key(turn) -> tuple:
    return (turn.period, turn.unit)


def _duty_deadline_warnings(old: Zone, new: Zone) -> Iterator[ReviewWarning]:
    """A duty's effective deadline (`deadline`, `due_days`: the built-in rule with zone.yaml's override) moved."""
    before = {r.id: r for r in merge_rules(old.info.duties)}
    after = {r.id: r for r in merge_rules(new.info.duties)}
    for rule_id in sorted(before.keys() | after.keys()):
        a, b = before.get(rule_id), after.get(rule_id)
        was, now = _due(a), _due(b)
        if was == now:
            continue
        name = f"“{(b or a).title}”（{rule_id}）" if (b or a).title else f"“{rule_id}”"
        src = b.at("deadline" if b.deadline else "due_days" if b.due_days is not None else "id") if b and b.src.path else new.info.at("duties")
        yield ReviewWarning(DEADLINE_MOVED, f"职责{name}的截止时间由 {was} 改为 {now}", src)


def _due(rule) -> str:
    if rule is None:
        return "（无此职责）"
    parts = []
    if rule.deadline:
        parts.append(rule.deadline)
    if rule.due_days is not None:
        parts.append(f"期满后 {rule.due_days} 天内")
    return "、".join(parts) or "期末"


def _plan_deadline_warnings(old: Zone, new: Zone) -> Iterator[ReviewWarning]:
    """A planned item's date or month changed: whoever prepares it now has a different deadline."""
    before = {item.id: item for plan in old.plans.values() for item in plan.items}
    for plan in new.plans.values():
        for item in plan.items:
            was = before.get(item.id)
            if was is None:
                continue
            when_was, when_now = display(was.date) or was.month, display(item.date) or item.month
            if when_was != when_now:
                src = item.at("date" if item.date else "month" if item.month else "id")
                yield ReviewWarning(DEADLINE_MOVED, f"计划事项“{item.title}”（{item.id}）的时间由 {when_was or '未定'} 改为 {when_now or '未定'}", src)


def _adjustment_warnings(old: Zone, new: Zone) -> Iterator[ReviewWarning]:
    """An adjustment (免于, 顺延) added or changed in a plan: a duty instance stops counting as 逾期 (docs/duties.md)."""
    def adjustments(zone: Zone) -> dict[tuple[str, str], Any]:
        return {(a.duty, a.period): a for plan in zone.plans.values() for a in plan.adjustments}

    before, rules = adjustments(old), {r.id: r for r in merge_rules(new.info.duties)}
    for key, adj in adjustments(new).items():
        was = before.get(key)
        if was is not None and (was.action, was.to, was.reason, was.approved_by) == (adj.action, adj.to, adj.reason, adj.approved_by):
            continue
        rule = rules.get(adj.duty)
        name = f"“{rule.title}”（{adj.duty}）" if rule is not None and rule.title else f"“{adj.duty}”"
        what = f"顺延至 {adj.to}" if adj.action == "顺延" else "免于"
        verb = "改为" if was is not None else ""
        yield ReviewWarning(DUTY_ADJUSTED, f"职责{name}的 {adj.period} {verb}{what}，原因：{adj.reason}（{adj.approved_by}批准）；"
                                           "该期不再显示为逾期", adj.src)


def _removed_unit_warnings(old: Zone, new: Zone) -> Iterator[ReviewWarning]:
    """A unit removed while records still name it: the zone no longer checks, and history loses a name."""
    removed = {unit_id for unit_id in old.units if unit_id not in new.units and unit_id not in new.unreadable_ids}
    if not removed:
        return
    refs: dict[str, list[Source]] = defaultdict(list)
    for unit_id, record, path in unit_references(new):
        if unit_id in removed:
            refs[unit_id].append(record.at(path))  # a position only for what is reported
    for unit_id, unit in old.units.items():
        if unit_id not in removed or not refs.get(unit_id):
            continue
        places = sorted(refs[unit_id])
        shown = "、".join(str(s) for s in places[:3]) + ("等" if len(places) > 3 else "")
        yield ReviewWarning(UNIT_STILL_NAMED, f"单位“{unit.name}”（{unit_id}）被删除，但仍有 {len(places)} 处引用它：{shown}"
                            "（退出协作区的单位应保留文件并填写 left 日期）", places[0])


def unit_references(zone: Zone) -> Iterator[tuple[str, Record, str]]:
    """Every place that names a unit (the record and the field's dotted path): zone settings, plans, activities,
    documents."""
    info = zone.info
    if zone.info_ok:
        if info.lead_unit:
            yield info.lead_unit, info, "lead_unit"
        if info.office and info.office.unit:
            yield info.office.unit, info.office, "unit"
        for _, person in iter_people(info):
            if person.unit:
                yield person.unit, person, "unit"
        for rotation in info.rotations:
            for i, unit_id in enumerate(rotation.order):
                yield unit_id, rotation, f"order.{i}"
            for turn in ((rotation.anchor,) if rotation.anchor else ()) + rotation.turns:
                yield turn.unit, turn, "unit"
            for override in rotation.overrides:
                if override.unit:
                    yield override.unit, override, "unit"
    for plan in zone.plans.values():
        yield plan.duty_unit, plan, "duty_unit"
        for item in plan.items:
            if item.host:
                yield item.host, item, "host"
    for act in zone.activities:
        for i, unit_id in enumerate(act.hosts):
            yield unit_id, act, f"hosts.{i}"
        for i, unit_id in enumerate(act.participants):
            yield unit_id, act, f"participants.{i}"
    for doc in zone.documents:
        if doc.issuer:
            yield doc.issuer, doc, "issuer"


def _bulletin_warnings(old: Zone, new: Zone) -> Iterator[ReviewWarning]:
    """A bulletin's number, once issued, never changes and never goes to another bulletin."""
    def numbered(zone: Zone) -> dict[tuple[int, int], list[Document]]:
        out: dict[tuple[int, int], list[Document]] = defaultdict(list)
        for doc in zone.documents_of("信息简报"):
            if doc.number is not None:
                out[(doc.date.year, doc.number)].append(doc)
        return out

    before, after = numbered(old), numbered(new)
    old_by_id = {d.id: d for docs in before.values() for d in docs}
    for (year, number), docs in sorted(after.items()):
        holders = {d.id for d in before.get((year, number), [])}
        for doc in docs:
            if doc.id in holders:
                continue
            others = [d for d in before.get((year, number), []) if d.id != doc.id] or [d for d in docs if d is not doc]
            if others:
                first = others[0]
                yield ReviewWarning(BULLETIN_REUSED, f"{year} 年第 {number} 期信息简报的期号被重复使用：“{first.title}”（{first.id}）"
                                    f"已用此期号，现在“{doc.title}”（{doc.id}）也用它", doc.at("number"))
    for docs in after.values():
        for doc in docs:
            was = old_by_id.get(doc.id)
            if was is not None and was.number != doc.number:
                yield ReviewWarning(BULLETIN_REUSED, f"已印发的信息简报“{doc.title}”（{doc.id}）的期号由第 {was.number} 期改为第 {doc.number} 期",
                                    doc.at("number"))


def diff_revisions(root: Path, base: str | None = None, head: str | None = None) -> ZoneDiff:
    """What changed in the zone at `root` from `base` (default: merge base with main) to `head` (default: working tree)."""
    repo, prefix, base_version, head_version = resolve_versions(root, base, head)
    old = load_version(root, repo, prefix, base_version)
    new = load_version(root, repo, prefix, head_version)
    label = base_version.label if base else f"{base_version.label}（{base_version.rev[:7]}）"
    while True:  # clean files were read without positions: those a warning cites without a line are read again
        result = _name_unreadable(diff_zones(old.zone, new.zone, label, head_version.label), new.zone, new.diagnostics)
        cited = {src.path for src in _sources(result) if not src.line}
        again = [(version, cited & version.fast.keys()) for version in (old, new)]
        if not any(rels for _, rels in again):
            return result
        for version, rels in again:
            if rels:
                version.with_positions(rels)


def _sources(result: ZoneDiff) -> Iterator[Source]:
    for item in (*result.warnings, *result.lists):
        if item.src is not None:
            yield item.src


def _name_unreadable(result: ZoneDiff, new: Zone, diagnostics: list) -> ZoneDiff:
    """Every file of the new version that did not load is a warning at its first error's line: a file the change adds
    broken would otherwise show as no change at all. One warning a file."""
    first: dict[str, Any] = {}
    for d in sorted(diagnostics, key=lambda d: d.sort_key()):
        if d.severity != ERROR or d.src is None or d.src.path in first:
            continue
        broken = (not new.info_ok) if d.src.path == "zone.yaml" else Path(d.src.path).stem in new.unreadable_ids
        if broken:
            first[d.src.path] = d
    warnings, named = [], set()
    for w in result.warnings:
        if w.code == UNREADABLE and w.src is not None:
            if w.src.path in named:
                continue
            named.add(w.src.path)
            if w.src.path in first:
                w = ReviewWarning(w.code, w.message, first[w.src.path].src)
        warnings.append(w)
    for path, d in first.items():
        if path not in named:
            warnings.append(ReviewWarning(UNREADABLE, f"{path} 在新版本中无法读取（{d.message}），没有参与比较（运行 djxz check 查看原因）", d.src))
    return dataclasses.replace(result, warnings=tuple(warnings))
