"""Use case: a new activity, unit, need or project file: its path and id from the zone's rules, validated with the would-be zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from djxz.edit.new_record import write_new_file
from djxz.errors import DataError, UserError
from djxz.fsio import writer_lock
from djxz.load.schema import ID_PATTERN
from djxz.model import ERROR, Diagnostic

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
    id: str
    name: str
    short_name: str
    type: str
    role: str
    joined: dt.date
    description: str | None = None


@dataclass(frozen=True)
class NewFile:
    """What `djxz new` will write (or has written): where, the record id, the text, and the warnings to show."""

    path: Path
    rel: str
    record_id: str
    text: str
    warnings: tuple[Diagnostic, ...] = ()


def plan_activity(root: Path, new: NewActivity, today: dt.date) -> NewFile:
    """The activity file to write: `activities/<year>/<date>-<slug>.yaml`, validated against the whole zone."""
    from djxz.edit.new_record import record_text

    explicit = new.slug is not None
    slug = new.slug if explicit else KIND_SLUGS.get(new.kind, "huodong")
    if not SLUG.fullmatch(slug):
        raise UserError(f"--slug“{slug}”不合规范：只用小写字母、数字和连字符，如 lianpian-dangke")
    base_id = f"{new.date.isoformat()}-{slug}"
    record_id, n = base_id, 1
    while _taken(root, f"activities/{new.date.year}/{record_id}.yaml", record_id):
        if explicit:
            raise UserError(f"编号 {record_id} 已被使用：请用 --slug 换一个短名")
        n += 1
        record_id = f"{base_id}-{n}"
    rel = f"activities/{new.date.year}/{record_id}.yaml"
    values = {
        "id": record_id, "date": new.date, "title": new.title, "category": new.category, "kind": new.kind,
        "hosts": new.hosts, "participants": new.participants, "attendance": new.attendance, "location": new.location,
        "summary": new.summary, "plan_item": new.plan_item, "resolves": new.resolves, "evidence": new.evidence,
    }
    text = record_text("activity", rel, values, ACTIVITY_TO_FILL)
    return _validated(root, rel, record_id, text, today)


def plan_unit(root: Path, new: NewUnit, today: dt.date) -> NewFile:
    """The unit file to write: `units/<id>.yaml`, validated against the whole zone."""
    from djxz.edit.new_record import record_text

    if not SLUG.fullmatch(new.id):
        raise UserError(f"--id“{new.id}”不合规范：只用小写字母、数字和连字符，如 yining-zhan")
    rel = f"units/{new.id}.yaml"
    if _taken(root, rel, new.id):
        raise UserError(f"单位编号 {new.id} 已被使用（{rel}）")
    values = {"id": new.id, "name": new.name, "short_name": new.short_name, "type": new.type, "role": new.role,
              "joined": new.joined, "description": new.description}
    text = record_text("unit", rel, values, UNIT_TO_FILL)
    return _validated(root, rel, new.id, text, today)


# The file name's short part of a need when none is given: its kind, in pinyin.
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
    """(id, path) of a dated record: `<folder>/<year>/<date>-<slug>.yaml`, numbered -2, -3 when the default is taken."""
    explicit = slug is not None
    slug = slug if explicit else default
    if not SLUG.match(slug):
        raise UserError(f"--slug“{slug}”不合规范：只用小写字母、数字和连字符，如 changdi")
    base_id = f"{day.isoformat()}-{slug}"
    record_id, n = base_id, 1
    while _taken(root, f"{folder}/{day.year}/{record_id}.yaml", record_id):
        if explicit:
            raise UserError(f"编号 {record_id} 已被使用：请用 --slug 换一个短名")
        n += 1
        record_id = f"{base_id}-{n}"
    return record_id, f"{folder}/{day.year}/{record_id}.yaml"


def plan_need(root: Path, new: NewNeed, today: dt.date) -> NewFile:
    """The need file to write: `needs/<year>/<date>-<slug>.yaml`, validated against the whole zone."""
    from djxz.edit.new_record import record_text

    record_id, rel = _dated_id(root, "needs", new.date, new.slug, NEED_SLUGS.get(new.kind, "xuqiu"))
    values = {"id": record_id, "date": new.date, "unit": new.unit, "title": new.title, "kind": new.kind,
              "needed_by": new.needed_by, "description": new.description}
    return _validated(root, rel, record_id, record_text("need", rel, values, NEED_TO_FILL), today)


def plan_project(root: Path, new: NewProject, today: dt.date) -> NewFile:
    """The project file to write: `projects/<year>/<agreed>-<slug>.yaml`, validated against the whole zone."""
    from djxz.edit.new_record import record_text

    record_id, rel = _dated_id(root, "projects", new.agreed, new.slug, "xiangmu")
    values = {"id": record_id, "title": new.title, "category": new.category, "need": new.need, "lead": new.lead,
              "partners": new.partners, "agreed": new.agreed, "due": new.due, "agreement": new.agreement}
    return _validated(root, rel, record_id, record_text("project", rel, values, PROJECT_TO_FILL), today)


def write(new_file: NewFile) -> None:
    root = _zone_root(new_file)
    with writer_lock(root):
        write_new_file(new_file.path, new_file.text, root)


def _zone_root(new_file: NewFile) -> Path:
    """The zone folder: the record's path less its zone-relative part."""
    path = Path(new_file.path)
    for _ in Path(new_file.rel).parts:
        path = path.parent
    return path


def _taken(root: Path, rel: str, record_id: str) -> bool:
    return (root / rel).exists() or any(p.stem == record_id for p in root.glob(f"{rel.split('/')[0]}/**/{record_id}.yaml"))


def _validated(root: Path, rel: str, record_id: str, text: str, today: dt.date) -> NewFile:
    """Load the zone as it would be with the new file and run every check: refuse (DataError) when the new file has an
    error or causes one elsewhere; warnings are returned to show."""
    from djxz.app.check import diagnose, introduced
    from djxz.load.loader import load_zone_from_bytes, read_zone_blobs

    blobs = read_zone_blobs(root)
    before_zone, before_diags = load_zone_from_bytes(root, dict(blobs))
    before = diagnose(before_zone, before_diags, today)
    blobs[rel] = text.encode("utf-8")
    after_zone, after_diags = load_zone_from_bytes(root, blobs)
    problems = introduced(diagnose(after_zone, after_diags, today), before, {rel})
    errors = [d for d in problems if d.severity == ERROR]
    if errors:
        lines = "\n".join(_line(d) for d in errors)
        raise DataError(f"新记录没有写入：它会带来 {len(errors)} 个错误\n{lines}")
    return NewFile(root / rel, rel, record_id, text, tuple(problems))


def _line(d: Diagnostic) -> str:
    hint = f"（提示：{d.hint}）" if d.hint else ""
    return f"  {d.src}: [{d.code}] {d.message}{hint}"
