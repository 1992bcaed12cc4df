"""The zone's records: plain frozen dataclasses that know where they came from.

Nothing here imports YAML, git, jinja2 or anything of ours but the vocabulary: every other layer stands on this one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Mapping

from djxz.vocabulary import (  # noqa: F401 - re-exported: imports of the vocabulary from here keep working
    ACTIVITY_KINDS, ADJUSTMENT_ACTIONS, CATEGORIES, DOCUMENT_KINDS, NEED_KINDS, NEED_STATUSES, OVERRIDE_KINDS,
    PERIOD_KINDS, RESOURCE_KINDS, TALENT_KINDS, UNIT_ROLES, UNIT_TYPES, VOCABULARY_LISTS,
)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Source:
    """A place in a file: path relative to the zone directory (posix), 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the data. Data problems are values, never exceptions."""

    src: Source | None
    code: str
    severity: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple:
        src = self.src or Source("")
        return (src.path, src.line, src.col, self.code, self.message)


@dataclass(frozen=True, kw_only=True)
class Record:
    """Base of every record: where it starts, and where each of its fields is (dotted paths -> (line, col))."""

    src: Source = Source("")
    # (line, col) pairs rather than Sources: a large zone has hundreds of thousands of fields, few ever reported.
    marks: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def at(self, path: str) -> Source:
        """The position of a field (e.g. `hosts.1`), falling back to its parent, then the record."""
        while path:
            mark = self.marks.get(path)
            if mark is not None:
                return Source(self.src.path, mark[0], mark[1])
            path = path.rpartition(".")[0]
        return self.src


@dataclass(frozen=True, kw_only=True)
class Person(Record):
    name: str = ""
    unit: str | None = None
    title: str | None = None
    phone: str | None = None


@dataclass(frozen=True, kw_only=True)
class Turn(Record):
    """A recorded turn of a rotation: a fact, never recomputed."""

    period: str = ""
    unit: str = ""
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Override(Record):
    """A deliberate change to the projected order: swap two periods, skip a unit, give a period to a unit."""

    kind: str = ""
    periods: tuple[str, ...] = ()
    unit: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Rotation(Record):
    name: str = "duty"
    title: str = "轮值单位"
    period: str = "year"
    order: tuple[str, ...] = ()
    anchor: Turn | None = None
    turns: tuple[Turn, ...] = ()
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DutyRule(Record):
    """A duty a unit owes. The zone file may override the built-in rules by id or add new ones."""

    id: str = ""
    title: str | None = None
    owner: str | None = None
    recurrence: str | None = None
    activity_kind: str | None = None
    document_kind: str | None = None
    records: str | None = None
    deadline: str | None = None
    due_days: int | None = None
    remind_days: int | None = None
    enabled: bool | None = None
    basis: str | None = None
    # Which period a fulfilling document reports on, relative to the duty's own period (e.g. the previous year).
    covers: str | None = None
    # In the period the zone was founded: as usual, not applicable, or due `first_due_days` after founding.
    first_period: str | None = None
    first_due_days: int | None = None
    # The plan's two readings (docs/duties.md): which activities need a bulletin, who issues a report on the year before.
    scope: str | None = None
    report_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class Office(Record):
    unit: str = ""
    director: Person | None = None
    staff: tuple[Person, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LeadingGroup(Record):
    leader: Person | None = None
    deputies: tuple[Person, ...] = ()
    members: tuple[Person, ...] = ()


@dataclass(frozen=True, kw_only=True)
class GroupBounds(Record):
    """How many 副组长 and 成员 the leading group may have: per unit (the default reading) or for the whole zone."""

    per: str = "每单位"
    deputies_min: int = 1
    deputies_max: int = 3
    members_min: int = 1
    members_max: int = 3


@dataclass(frozen=True, kw_only=True)
class ReportSettings(Record):
    """What the summary reports carry beyond the text: charts (the annual report always has them)."""

    half_year_charts: bool = False


@dataclass(frozen=True, kw_only=True)
class Vocabulary(Record):
    """A zone's own kinds, extending the built-in lists (the five categories stay fixed)."""

    activity_kinds: tuple[str, ...] = ()
    document_kinds: tuple[str, ...] = ()
    resource_kinds: tuple[str, ...] = ()
    talent_kinds: tuple[str, ...] = ()

    def allowed(self, key: str) -> tuple[str, ...]:
        """The built-in list `key` (see VOCABULARY_LISTS) followed by the zone's additions."""
        return VOCABULARY_LISTS[key] + tuple(k for k in getattr(self, key) if k not in VOCABULARY_LISTS[key])


@dataclass(frozen=True, kw_only=True)
class BulletinSettings(Record):
    name: str = "党建协作区工作简报"
    within_days: int = 7
    report_to: tuple[str, ...] = ()
    send_to: tuple[str, ...] = ()
    distribute_to: tuple[str, ...] = ()
    copies: int | None = None


@dataclass(frozen=True, kw_only=True)
class DocumentSettings(Record):
    """How the zone issues official documents (GB/T 9704 版头 and 版记): the issuing mark and the number prefix."""

    issuer_mark: str = ""
    number_prefix: str = ""
    copy_to: tuple[str, ...] = ()
    printer: str | None = None
    copies: int | None = None


@dataclass(frozen=True, kw_only=True)
class ZoneInfo(Record):
    name: str = ""
    short_name: str = ""
    established: dt.date | None = None
    city_committee: str = ""
    political_office: str = ""
    lead_unit: str = ""
    leading_group: LeadingGroup | None = None
    office: Office | None = None
    rotations: tuple[Rotation, ...] = ()
    duties: tuple[DutyRule, ...] = ()
    bulletin: BulletinSettings = BulletinSettings()
    documents: DocumentSettings | None = None
    reports: ReportSettings = ReportSettings()
    description: str | None = None
    vocabulary: Vocabulary = Vocabulary()
    leading_group_bounds: GroupBounds = GroupBounds()


@dataclass(frozen=True, kw_only=True)
class Contact(Record):
    name: str = ""
    title: str | None = None
    phone: str | None = None


@dataclass(frozen=True, kw_only=True)
class PartyOrg(Record):
    name: str = ""
    secretary: str | None = None
    members: int | None = None


@dataclass(frozen=True, kw_only=True)
class Resource(Record):
    kind: str = ""
    name: str = ""
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class Talent(Record):
    kind: str = ""
    name: str = ""
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Unit(Record):
    id: str = ""
    name: str = ""
    short_name: str = ""
    type: str = ""
    role: str = "成员单位"
    joined: dt.date | None = None
    left: dt.date | None = None
    party_org: PartyOrg | None = None
    contacts: tuple[Contact, ...] = ()
    resources: tuple[Resource, ...] = ()
    talents: tuple[Talent, ...] = ()
    description: str | None = None

    @property
    def is_member_unit(self) -> bool:
        return self.role == "成员单位"

    def active_on(self, day: dt.date) -> bool:
        """True while the unit belongs to the zone: from `joined` up to the day before `left`."""
        if self.joined and day < self.joined:
            return False
        return not (self.left and day >= self.left)


@dataclass(frozen=True, kw_only=True)
class PlanItem(Record):
    id: str = ""
    title: str = ""
    kind: str = ""
    category: str = ""
    date: dt.date | None = None
    month: str | None = None
    host: str | None = None
    note: str | None = None

    def span(self) -> tuple[dt.date, dt.date] | None:
        """The days the item is planned for: its date, or its whole month; None when not scheduled."""
        if self.date:
            return self.date, self.date
        if self.month:
            year, month = int(self.month[:4]), int(self.month[5:7])
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        return None


@dataclass(frozen=True, kw_only=True)
class Adjustment(Record):
    """The leading group exempts (免于) a duty instance or postpones it (顺延) to a new deadline, for a reason."""

    duty: str = ""
    period: str = ""  # the instance's period (2024-03, 2024-H1, 2024), or an activity or document id
    action: str = ""
    to: dt.date | None = None
    reason: str = ""
    approved_by: str = ""


@dataclass(frozen=True, kw_only=True)
class Plan(Record):
    year: int = 0
    duty_unit: str = ""
    theme: str | None = None
    goals: tuple[str, ...] = ()
    items: tuple[PlanItem, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Decision(Record):
    """A thing a meeting decided (会诊意见, 整改事项): who does it by when. Closed by a later record's `resolves`."""

    id: str = ""
    text: str = ""
    owner: str = ""
    due: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class Activity(Record):
    id: str = ""
    date: dt.date = dt.date.min
    end_date: dt.date | None = None
    title: str = ""
    category: str = ""
    kind: str = ""
    hosts: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    attendance: int | None = None
    location: str | None = None
    summary: str = ""
    practices: tuple[str, ...] = ()
    highlight: bool = False
    result: str | None = None
    honors: tuple[str, ...] = ()
    plan_item: str | None = None
    attachments: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    # `<activity-id>#<decision-id>` of earlier decisions this activity carried out, and what shows it.
    resolves: tuple[str, ...] = ()
    evidence: str | None = None

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit involved, hosts first, each once."""
        return tuple(dict.fromkeys(self.hosts + self.participants))


@dataclass(frozen=True, kw_only=True)
class Document(Record):
    """A document the zone issued: a bulletin (with its number), a report, a plan, a notice."""

    id: str = ""
    kind: str = ""
    title: str = ""
    date: dt.date = dt.date.min
    issuer: str | None = None
    number: int | None = None
    period: str | None = None
    activities: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    note: str | None = None
    resolves: tuple[str, ...] = ()
    evidence: str | None = None


@dataclass(frozen=True, kw_only=True)
class Need(Record):
    """A unit's need (需求清单): what it asks the zone for, by when."""

    id: str = ""
    date: dt.date = dt.date.min
    unit: str = ""
    title: str = ""
    kind: str = ""
    needed_by: dt.date | None = None
    description: str = ""
    # Written only when the records cannot imply it (a withdrawn need); otherwise derived (domain.lists.need_state).
    status: str | None = None


@dataclass(frozen=True, kw_only=True)
class Milestone(Record):
    title: str = ""
    due: dt.date | None = None
    done_by: str | None = None  # the activity (or document) id that shows it done


@dataclass(frozen=True, kw_only=True)
class Project(Record):
    """A joint project (项目清单) agreed to meet a need, often written down as a 共建协议."""

    id: str = ""
    title: str = ""
    category: str = ""
    need: str | None = None
    lead: str = ""
    partners: tuple[str, ...] = ()
    agreed: dt.date = dt.date.min
    due: dt.date | None = None
    agreement: str | None = None
    milestones: tuple[Milestone, ...] = ()
    outcome: str | None = None

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.lead,) + self.partners))


@dataclass(frozen=True, kw_only=True)
class Holiday(Record):
    date: dt.date = dt.date.min
    end_date: dt.date | None = None
    name: str = ""
    workday: bool = False


@dataclass(frozen=True, kw_only=True)
class HolidayCalendar(Record):
    """A zone's own list of holidays and adjusted working days, for years the calendar package does not know."""

    days: tuple[Holiday, ...] = ()


@dataclass
class Zone:
    """The whole zone, loaded and indexed. Built once by the loader, then only read."""

    root: str
    info: ZoneInfo
    units: dict[str, Unit] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)
    activities: tuple[Activity, ...] = ()
    documents: tuple[Document, ...] = ()
    needs: tuple[Need, ...] = ()
    projects: tuple[Project, ...] = ()
    holidays: HolidayCalendar | None = None
    files: int = 0
    # Ids of records whose files exist but could not be read: references to them are not reported twice.
    unreadable_ids: frozenset[str] = frozenset()
    # False when zone.yaml itself could not be read: `info` is then an empty placeholder.
    info_ok: bool = True
    # Units and plans that were read but not indexed, because another file already has their id or year: the later
    # file would otherwise vanish without a word (the identity check reports both places).
    shadowed: tuple = ()

    def unit(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id)

    def unit_name(self, unit_id: str | None, short: bool = False) -> str:
        unit = self.units.get(unit_id or "")
        if unit is None:
            return unit_id or ""
        return (unit.short_name or unit.name) if short else unit.name

    def member_units(self, day: dt.date | None = None) -> list[Unit]:
        """Member units (not co-building partners), those active on `day` when given."""
        return [
            u for u in self.units.values() if u.is_member_unit and (day is None or u.active_on(day))
        ]

    def activities_between(self, start: dt.date, end: dt.date) -> list[Activity]:
        """Activities whose date falls in [start, end], in date order."""
        return [a for a in self.activities if start <= a.date <= end]

    def activity(self, activity_id: str) -> Activity | None:
        return self.activities_by_id.get(activity_id)

    @cached_property
    def activities_by_id(self) -> dict[str, Activity]:
        return {a.id: a for a in self.activities}

    def documents_of(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=Diagnostic.sort_key)


def count_by_severity(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    errors = warnings = 0
    for d in diags:
        if d.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings
