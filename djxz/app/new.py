"""Use case: a new activity, unit, document, need or project file: its path and id from the zone's rules, validated with
the would-be zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from djxz.app.check import check_zone, diagnose_blobs, introduced
from djxz.domain.ids import activity_slug, free_id, unit_id
from djxz.edit.new_record import record_text, write_new_files
from djxz.edit.rotation_edit import insert_in_order, rotation_order
from djxz.errors import DataError, UserError
from djxz.fsio import writer_lock
from djxz.load.loader import load_zone, read_zone_blobs, zone_files
from djxz.load.schema import ID_PATTERN
from djxz.model import ERROR, Diagnostic, Vocabulary

SLUG = re.compile(ID_PATTERN)  # a slug becomes part of an id, so it obeys the id rule

# The file name's short part when none is given: the activity's kind, in pinyin.
KIND_SLUGS = {
    "月度党建座谈": "yuedu-zuotan",
    "联席会议": "lianxi-huiyi",
    "工作调度会": "diaodu-hui",
    "发展工作联席会": "fazhan-lianxihui",
    "半年总结部署会": "bannian-zongjie-bushu",
    "年度工作谋划会": "niandu-mouhua",
    "联片党课": "lianpian-dangke",
    "骨干培训": "gugan-peixun",
    "联合主题党日": "zhuti-dangri",
    "文体活动": "wenti-huodong",
    "慰问演出": "weiwen-yanchu",
    "教育": "jiaoyu",
    "宣讲": "xuanjiang",
    "资源共享": "ziyuan-gongxiang",
    "共建交流": "gongjian-jiaoliu",
    "其他": "huodong",
}
DUTY_ROTATION = "duty"  # the rotation of duty units, the one a new member unit joins
ZONE_FILE = "zone.yaml"
# A document record's file name after its date, by kind (a bulletin's is jianbao-di<N>qi; 其他: the title's pinyin).
DOCUMENT_SLUGS = {
    "半年总结通报": "bannian-zongjie-tongbao",
    "年度总结通报": "niandu-zongjie-tongbao",
    "年度协作计划": "niandu-xiezuo-jihua",
    "轮值安排": "lunzhi-anpai",
    "向市委报送计划": "xiang-shiwei-baosong-jihua",
    "向市委报送总结": "xiang-shiwei-baosong-zongjie",
    "会议通知": "huiyi-tongzhi",
    "会议纪要": "huiyi-jiyao",
}
# Optional fields written commented out, for the clerk to fill in.
ACTIVITY_TO_FILL = ("end_date", "participants", "attendance", "location", "practices", "highlight", "plan_item", "attachments")
UNIT_TO_FILL = ("left", "party_org", "contacts", "resources", "talents", "description")


@dataclass
class NewActivity:
    date: dt.date
    title: str
    category: str
    kind: str
    hosts: list[str]
    summary: str
    participants: list[str] = field(default_factory=list)
    slug: str | None = None
    attendance: int | None = None
    location: str | None = None
    plan_item: str | None = None
    resolves: list[str] = field(default_factory=list)  # `<activity-id>#<decision-id>` this activity carried out
    evidence: str | None = None


@dataclass
class NewUnit:
    id: str | None  # None: proposed from the short name in pinyin (djxz.domain.ids.unit_id)
    name: str
    short_name: str
    type: str
    role: str
    joined: dt.date
    description: str | None = None
    rotation_position: int | None = None  # where a member unit joins the duty order (0-based); None: it does not


@dataclass
class NewDocument:
    kind: str
    date: dt.date
    title: str
    number: int | None = None
    period: str | None = None
    issuer: str | None = None
    activities: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True)
class NewFile:
    """What `djxz new` will write (or has written): where, the record id, the text, and the warnings to show."""

    path: Path
    rel: str
    record_id: str
    text: str
    warnings: tuple[Diagnostic, ...] = ()
    edits: tuple[tuple[Path, str], ...] = ()  # other files rewritten with it (zone.yaml when a unit joins the rotation)
    notes: tuple[str, ...] = ()  # what the clerk should know: the rotation joined, or not
    existing: bool = False  # the same record is already there: nothing to write (djxz new document run twice)


def plan_activity(root: Path, new: NewActivity, today: dt.date) -> NewFile:
    """The activity file to write: `activities/<year>/<date>-<slug>.yaml`, validated against the whole zone.

    The slug, when not given, is the pinyin of the title's key words (docs/ids.md), else the activity kind's."""
    record_id, rel = _dated_id(root, "activities", new.date, new.slug,
                               activity_slug(new.title) or KIND_SLUGS.get(new.kind, "huodong"))
    values = {
        "id": record_id, "date": new.date, "title": new.title, "category": new.category, "kind": new.kind,
        "hosts": new.hosts, "participants": new.participants, "attendance": new.attendance, "location": new.location,
        "summary": new.summary, "plan_item": new.plan_item, "resolves": new.resolves, "evidence": new.evidence,
    }
    text = record_text("activity", rel, values, ACTIVITY_TO_FILL)
    return _validated(root, rel, record_id, text, today)


def propose_unit_id(root: Path, short_name: str, unit_type: str) -> str:
    """The id `djxz new unit` proposes: the pinyin rule of docs/ids.md, with -2, -3… when it is taken."""
    base = unit_id(short_name, unit_type) or "danwei"
    return free_id(base, lambda uid: _taken(root, f"units/{uid}.yaml", uid))


def duty_order(root: Path) -> list[str]:
    """The unit ids of the duty rotation's order, as zone.yaml has them now (for asking where a new unit joins)."""
    return rotation_order(_zone_text(root), DUTY_ROTATION)


def plan_unit(root: Path, new: NewUnit, today: dt.date) -> NewFile:
    """The unit file to write: `units/<id>.yaml`, validated against the whole zone; with `rotation_position`, zone.yaml
    gains the unit in the duty order (a one-line edit). A member unit left out of the rotation gets a note saying so."""
    record_id = new.id if new.id is not None else propose_unit_id(root, new.short_name, new.type)
    if not SLUG.fullmatch(record_id):
        raise UserError(f"--id“{record_id}”不合规范：只用小写字母、数字和连字符，如 yining-zhan")
    rel = f"units/{record_id}.yaml"
    if _taken(root, rel, record_id):
        raise UserError(f"单位编号 {record_id} 已被使用（{rel}）")
    values = {"id": record_id, "name": new.name, "short_name": new.short_name, "type": new.type, "role": new.role,
              "joined": new.joined, "description": new.description}
    text = record_text("unit", rel, values, UNIT_TO_FILL)
    edits: dict[str, str] = {}
    notes: list[str] = []
    if new.role == "成员单位":
        if new.rotation_position is not None:
            before = _zone_text(root)
            after = insert_in_order(before, DUTY_ROTATION, record_id, new.rotation_position)
            order = rotation_order(after, DUTY_ROTATION)
            edits[ZONE_FILE] = after
            place = order.index(record_id) + 1
            notes.append(f"已加入轮值顺序第 {place} 位（zone.yaml 只增加一行）：{'、'.join(order)}")
        else:
            notes.append(f"{new.short_name}没有加入轮值顺序：要参加轮值，请在 zone.yaml 的 rotations 的 order 中加入 "
                         f"{record_id}，或重新运行并加 --rotation append")
    checked = _validated(root, rel, record_id, text, today, edits)
    return NewFile(checked.path, rel, record_id, text, checked.warnings,
                   tuple((root / r, t) for r, t in edits.items()), tuple(notes))


def plan_document(root: Path, new: NewDocument, today: dt.date) -> NewFile:
    """The record of a document issued outside djxz: `documents/<year>/<date>-<slug>.yaml`.

    Idempotent: when the zone already records this document (same kind and period, and for a bulletin the same year
    and number), that record is returned with `existing` set and nothing is to be written."""
    zone, _ = load_zone(root, listing=zone_files(root, only=("documents",)), fast=True)
    for doc in zone.documents:
        if doc.kind != new.kind:
            continue
        same = (doc.number == new.number and doc.date.year == new.date.year) if new.kind == "信息简报" else (
            doc.period == new.period and (new.period is not None or doc.date == new.date))
        if same:
            return NewFile(root / doc.src.path, doc.src.path, doc.id, "", existing=True)
    if new.kind == "信息简报" and new.number is None:
        raise UserError("信息简报需要期号：请用 --number 给出，如 --number 3")
    slug = DOCUMENT_SLUGS.get(new.kind) or activity_slug(new.title) or "wenjian"
    if new.kind == "信息简报":
        slug = f"jianbao-di{new.number}qi"
    base_id = f"{new.date.isoformat()}-{slug}"
    record_id = free_id(base_id, lambda rid: _taken(root, f"documents/{new.date.year}/{rid}.yaml", rid))
    rel = f"documents/{new.date.year}/{record_id}.yaml"
    text = document_text(rel, record_id, new)
    return _validated(root, rel, record_id, text, today)


def document_text(rel: str, record_id: str, new: NewDocument) -> str:
    """A document record's text (shared with `djxz brief … --issue`)."""
    values = {"id": record_id, "kind": new.kind, "title": new.title, "date": new.date, "issuer": new.issuer,
              "number": new.number, "period": new.period, "activities": new.activities, "note": new.note}
    return record_text("document", rel, values, ("recipients", "note"))


NEED_SLUGS = {
    "教案教材": "jiaoan", "红色教育基地": "jiaoyu-jidi", "场地设施": "changdi", "社会资源": "shehui-ziyuan",
    "党建专家": "dangjian-zhuanjia", "文艺人才": "wenyi-rencai", "宣讲员": "xuanjiangyuan", "体育人才": "tiyu-rencai",
    "其他": "xuqiu",
}
NEED_TO_FILL = ("needed_by",)
PROJECT_TO_FILL = ("need", "partners", "agreement", "milestones", "outcome")


@dataclass
class NewNeed:
    date: dt.date
    unit: str
    title: str
    kind: str
    description: str
    needed_by: dt.date | None = None
    slug: str | None = None


@dataclass
class NewProject:
    agreed: dt.date
    title: str
    category: str
    lead: str
    due: dt.date
    need: str | None = None
    partners: list[str] = field(default_factory=list)
    agreement: str | None = None
    slug: str | None = None


def _dated_id(root: Path, folder: str, day: dt.date, slug: str | None, default: str) -> tuple[str, str]:
    """(id, path) of a dated record: `<folder>/<year>/<date>-<slug>.yaml`; the default slug gets -2, -3… when taken,
    a slug given with --slug is refused when taken."""
    explicit = slug is not None
    slug = slug if explicit else default
    if not SLUG.fullmatch(slug):
        raise UserError(f"--slug“{slug}”不合规范：只用小写字母、数字和连字符，如 lianpian-dangke")
    base_id = f"{day.isoformat()}-{slug}"

    def taken(rid: str) -> bool:
        return _taken(root, f"{folder}/{day.year}/{rid}.yaml", rid)

    if explicit and taken(base_id):
        raise UserError(f"编号 {base_id} 已被使用：请用 --slug 换一个短名")
    record_id = free_id(base_id, taken)
    return record_id, f"{folder}/{day.year}/{record_id}.yaml"


def plan_need(root: Path, new: NewNeed, today: dt.date) -> NewFile:
    """The need file to write: `needs/<year>/<date>-<slug>.yaml`, validated against the whole zone."""
    record_id, rel = _dated_id(root, "needs", new.date, new.slug,
                               activity_slug(new.title) or NEED_SLUGS.get(new.kind, "xuqiu"))
    values = {"id": record_id, "date": new.date, "unit": new.unit, "title": new.title, "kind": new.kind,
              "needed_by": new.needed_by, "description": new.description}
    return _validated(root, rel, record_id, record_text("need", rel, values, NEED_TO_FILL), today)


def plan_project(root: Path, new: NewProject, today: dt.date) -> NewFile:
    """The project file to write: `projects/<year>/<agreed>-<slug>.yaml`, validated against the whole zone."""
    record_id, rel = _dated_id(root, "projects", new.agreed, new.slug, activity_slug(new.title) or "xiangmu")
    values = {"id": record_id, "title": new.title, "category": new.category, "need": new.need, "lead": new.lead,
              "partners": new.partners, "agreed": new.agreed, "due": new.due, "agreement": new.agreement}
    return _validated(root, rel, record_id, record_text("project", rel, values, PROJECT_TO_FILL), today)


def write(new_file: NewFile) -> None:
    """The new file and the files edited with it, all or none (nothing for a record that already exists), under the
    zone's writer lock."""
    if new_file.existing:
        return
    root = _zone_root(new_file)
    with writer_lock(root):
        write_new_files({new_file.path: new_file.text, **dict(new_file.edits)}, root)


def _zone_root(new_file: NewFile) -> Path:
    """The zone folder: the record's path less its zone-relative part."""
    path = Path(new_file.path)
    for _ in Path(new_file.rel).parts:
        path = path.parent
    return path


def _zone_text(root: Path) -> str:
    return (root / ZONE_FILE).read_text(encoding="utf-8")


def _taken(root: Path, rel: str, record_id: str) -> bool:
    return (root / rel).exists() or any(p.stem == record_id for p in root.glob(f"{rel.split('/')[0]}/**/{record_id}.yaml"))


def _validated(root: Path, rel: str, record_id: str, text: str, today: dt.date, edits: dict[str, str] | None = None) -> NewFile:
    """Load the zone as it would be with the new file and run every check: refuse (DataError) when the new file has an
    error or causes one elsewhere; warnings are returned to show."""
    before = check_zone(root, today).diagnostics  # the zone as it is: from the check cache when nothing changed
    blobs = read_zone_blobs(root)
    blobs[rel] = text.encode("utf-8")
    for other, other_text in (edits or {}).items():
        blobs[other] = other_text.encode("utf-8")
    problems = introduced(diagnose_blobs(root, blobs, today)[1], before, {rel, *(edits or {})})
    errors = [d for d in problems if d.severity == ERROR]
    if errors:
        lines = "\n".join(_line(d) for d in errors)
        raise DataError(f"新记录没有写入：它会带来 {len(errors)} 个错误\n{lines}")
    return NewFile(root / rel, rel, record_id, text, tuple(problems))


def _line(d: Diagnostic) -> str:
    hint = f"（提示：{d.hint}）" if d.hint else ""
    return f"  {d.src}: [{d.code}] {d.message}{hint}"


@dataclass(frozen=True)
class EntryFacts:
    """What guided entry offers and checks while a clerk types, read once from zone.yaml and units/: the zone's
    founding date, what a unit may be called (its id, full name or short name -> its id), and the zone's vocabulary."""

    established: dt.date | None
    names: dict[str, str]
    vocabulary: Vocabulary

    def kinds(self, key: str) -> tuple[str, ...]:
        """The built-in list `key` (e.g. "activity_kinds") followed by what the zone's `vocabulary:` adds."""
        return self.vocabulary.allowed(key)


def entry_facts(root: Path) -> EntryFacts:
    zone, _ = load_zone(root, listing=zone_files(root, only=("units",)), fast=True)
    names: dict[str, str] = {}
    for unit in zone.units.values():
        for name in (unit.id, unit.name, unit.short_name):
            if name:
                names.setdefault(name, unit.id)
    info = zone.info if zone.info_ok else None
    return EntryFacts(info.established if info else None, names, info.vocabulary if info else Vocabulary())
