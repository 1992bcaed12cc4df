"""The schema of every file kind, declared as data: the converter and the JSON Schemas for editors both read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from djxz import model as m
from djxz import vocabulary as v

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type (see `SCALAR_TYPES`, or `list`/`object`), and what a user reads about it."""

    key: str
    type: str
    title: str
    required: bool = False
    choices: tuple[str, ...] = ()
    item: "Field | Spec | None" = None
    spec: "Spec | None" = None
    description: str = ""
    example: Any = None
    minimum: int | None = None
    maximum: int | None = None
    # For a kind a zone may extend (a key of vocabulary.VOCABULARY_LISTS): the converter takes any word, and
    # `check_vocabulary` judges it against the built-in choices plus the zone's `vocabulary:`.
    vocabulary: str = ""


@dataclass(frozen=True)
class Spec:
    """A mapping that becomes one record class."""

    name: str
    title: str
    record: type
    fields: tuple[Field, ...]
    description: str = ""
    by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({f.key: f for f in self.fields})


SCALAR_TYPES = ("str", "text", "id", "unit", "int", "bool", "date", "month", "period", "monthday", "enum")


def text(key: str, title: str, required: bool = False, **kw: Any) -> Field:
    return Field(key, "str", title, required, **kw)


def enum(key: str, title: str, choices: tuple[str, ...], required: bool = False, **kw: Any) -> Field:
    return Field(key, "enum", title, required, choices=choices, **kw)


def kind(key: str, title: str, vocabulary: str, required: bool = False, **kw: Any) -> Field:
    return Field(key, "enum", title, required, choices=v.VOCABULARY_LISTS[vocabulary], vocabulary=vocabulary, **kw)


def many(key: str, title: str, item: Field | Spec, required: bool = False, **kw: Any) -> Field:
    return Field(key, "list", title, required, item=item, **kw)


def obj(key: str, title: str, spec: Spec, required: bool = False, **kw: Any) -> Field:
    return Field(key, "object", title, required, spec=spec, **kw)


UNIT_REF = Field("", "unit", "单位编号")

PERSON = Spec("person", "人员", m.Person, (
    text("name", "姓名", True, example="张建国"),
    Field("unit", "unit", "所在单位（单位编号）", example="yining-zhan"),
    text("title", "职务", example="党委书记"),
    text("phone", "联系电话", description="写成字符串，开头的 0 会保留", example="0999-8012345"),
))

TURN = Spec("turn", "轮值记录", m.Turn, (
    Field("period", "period", "期次", True, description="年度写 2024；半年 2024-H1；季度 2024-Q1；月 2024-03；周 2024-W05", example="2024"),
    Field("unit", "unit", "轮值单位（单位编号）", True, example="yining-zhan"),
    text("note", "备注"),
))

OVERRIDE = Spec("override", "轮值调整", m.Override, (
    enum("kind", "调整方式", v.OVERRIDE_KINDS, True, description="swap：两期互换；skip：跳过某单位一轮；assign：指定某期由某单位轮值"),
    many("periods", "涉及的期次", Field("", "period", "期次"), True),
    Field("unit", "unit", "涉及的单位（skip、assign 时必填）"),
    text("reason", "调整原因", True, example="承担重大安保任务"),
))

ROTATION = Spec("rotation", "轮值安排", m.Rotation, (
    Field("name", "id", "轮值名称（英文编号）", True, example="duty"),
    text("title", "轮值的中文名称", example="轮值单位"),
    enum("period", "轮值周期", v.PERIOD_KINDS, description="year 年、half 半年、quarter 季度、month 月、week 周"),
    many("order", "轮值顺序（单位编号）", UNIT_REF, True),
    obj("anchor", "起点（哪一期由哪个单位开始）", TURN),
    many("turns", "已确定的轮值记录（事实，不再重新计算）", TURN),
    many("overrides", "轮值调整", OVERRIDE),
))

DUTY_RULE = Spec("duty_rule", "职责规则", m.DutyRule, (
    Field("id", "id", "规则编号", True, example="half-year-report"),
    text("title", "职责名称"),
    enum("owner", "责任方", ("牵头单位", "轮值单位")),
    enum("recurrence", "周期", ("一次", "每年", "每半年", "每季度", "每月", "每次活动", "每次上级部署")),
    kind("activity_kind", "由哪类活动完成", "activity_kinds"),
    kind("document_kind", "由哪类文件完成", "document_kinds"),
    enum("records", "由哪些记录完成", ("单位资源和人才",)),
    Field("deadline", "monthday", "截止日期（月-日，相对于本期）", description="如 07-31；每年的规则写年内日期；不写则为本期最后一天", example="07-31"),
    Field("due_days", "int", "在本期（或活动）结束后多少天内完成", minimum=0, maximum=366),
    Field("remind_days", "int", "提前多少天提醒", minimum=0, maximum=366),
    Field("enabled", "bool", "是否启用（false 表示本协作区不适用）"),
    text("basis", "依据（方案原文）"),
    enum("covers", "完成文件的所属期间", ("本期", "上一期", "本年上半年", "本年下半年"),
         description="文件的 period 应为哪一期：本期（默认）、上一期（如年初的全年总结报上一年）、本年上半年、本年下半年"),
    enum("first_period", "协作区成立的那一期", ("照常", "不适用"),
         description="照常（默认；截止日期早于成立日期时不适用）；不适用（如成立当年的年初联席会议由第一次联席会议代替）"),
    Field("first_due_days", "int", "成立的那一期：成立后多少天内完成", minimum=0, maximum=366,
          description="如成立当年的年度协作计划在成立后 60 天内制定"),
    enum("scope", "哪些活动需要信息简报（“每次活动”的职责）", ("轮值单位主办", "全部活动"),
         description="轮值单位主办（默认）：轮值单位主办的活动；全部活动：轮值期内协作区的每一项活动。见 docs/duties.md"),
    enum("report_by", "报告上一期工作由谁完成（covers: 上一期 的职责）", ("本年度轮值单位", "上一年度轮值单位"),
         description="本年度轮值单位（默认，接任的单位）；上一年度轮值单位（卸任的单位，报告自己那一年）。见 docs/duties.md"),
))

GROUP_BOUNDS = Spec("leading_group_bounds", "领导小组人数", m.GroupBounds, (
    enum("per", "人数按什么计算", ("每单位", "全协作区"),
         description="每单位（默认）：每个单位至多 max 名，全协作区至少 min 名；全协作区：全协作区合计 min 至 max 名"),
    Field("deputies_min", "int", "副组长至少几名", minimum=0, maximum=100),
    Field("deputies_max", "int", "副组长至多几名", minimum=0, maximum=100),
    Field("members_min", "int", "成员至少几名", minimum=0, maximum=100),
    Field("members_max", "int", "成员至多几名", minimum=0, maximum=100),
), description="超出范围只在 djxz check --strict 时警告，不影响生成文件")

VOCABULARY = Spec("vocabulary", "本协作区的类别词表", m.Vocabulary, (
    many("activity_kinds", "增加的活动形式", Field("", "str", "活动形式"), example=["专题教育"]),
    many("document_kinds", "增加的文件种类", Field("", "str", "文件种类")),
    many("resource_kinds", "增加的资源类别", Field("", "str", "资源类别"), example=["学习资料库"]),
    many("talent_kinds", "增加的人才类别", Field("", "str", "人才类别")),
), description="在内置词表之后增加本协作区用到的类别；“五共”类别固定不变")

LEADING_GROUP = Spec("leading_group", "领导小组", m.LeadingGroup, (
    obj("leader", "组长", PERSON, True),
    many("deputies", "副组长（默认每单位 1 至 3 名，见 leading_group_bounds）", PERSON),
    many("members", "成员（默认每单位 1 至 3 名，见 leading_group_bounds）", PERSON),
))

OFFICE = Spec("office", "领导小组办公室", m.Office, (
    Field("unit", "unit", "办公室所在单位", True),
    obj("director", "办公室主任", PERSON, True),
    many("staff", "专班工作人员", PERSON),
))

BULLETIN = Spec("bulletin", "信息简报设置", m.BulletinSettings, (
    text("name", "简报名称", example="党建协作区工作简报"),
    Field("within_days", "int", "活动后多少天内编发简报", minimum=0, maximum=90),
    many("report_to", "报：", Field("", "str", "机关名称")),
    many("send_to", "送：", Field("", "str", "机关名称")),
    many("distribute_to", "发：", Field("", "str", "机关名称")),
    Field("copies", "int", "共印份数", minimum=1, maximum=10000),
))

DOCUMENTS = Spec("documents", "公文设置", m.DocumentSettings, (
    text("issuer_mark", "发文机关标志", True, example="伊犁河谷协作区",
         description="版头红色大字的机关名称，后加“文件”二字（已以“文件”结尾则不加），如 伊犁河谷协作区文件"),
    text("number_prefix", "发文字号的机关代字", True, example="伊协",
         description="发文字号为 代字〔年份〕序号号，如 伊协〔2026〕3号；序号按年度从 1 起编，由 --issue 取下一个"),
    many("copy_to", "抄送机关（版记）", Field("", "str", "机关名称"),
         description="印在版记“抄送：”一行；不写则版记只有印发机关和印发日期"),
    text("printer", "印发机关（版记）", description="默认 协作区简称加“领导小组办公室”", example="伊犁河谷协作区领导小组办公室"),
    Field("copies", "int", "共印份数（版记）", minimum=1, maximum=10000),
), description="声明后，总结通报和年度协作计划按 GB/T 9704 加版头（发文机关标志、发文字号、红色分隔线）和版记")

REPORTS = Spec("reports", "总结通报设置", m.ReportSettings, (
    Field("half_year_charts", "bool", "半年通报也附统计图",
          description="年度通报总附“活动情况统计图”（按月、按“五共”类别、按单位）；写 true 则半年通报也附"),
))

ZONE = Spec("zone", "协作区", m.ZoneInfo, (
    text("name", "协作区名称", True, example="伊犁河谷基层党建工作联建协作区"),
    text("short_name", "简称", True),
    Field("established", "date", "成立日期", True, example="2023-03-01"),
    text("city_committee", "上级市委", True, description="轮值单位向其上报计划和总结"),
    text("political_office", "接收简报的政治处", True),
    Field("lead_unit", "unit", "牵头单位（单位编号）", True),
    obj("leading_group", "领导小组", LEADING_GROUP, True),
    obj("office", "领导小组办公室", OFFICE, True),
    many("rotations", "轮值安排（第一项为年度轮值单位）", ROTATION, True),
    many("duties", "职责规则（覆盖或补充内置规则）", DUTY_RULE),
    obj("bulletin", "信息简报", BULLETIN),
    obj("documents", "公文设置（版头、发文字号、版记）", DOCUMENTS),
    obj("reports", "总结通报设置（统计图）", REPORTS),
    Field("description", "text", "说明"),
    obj("vocabulary", "本协作区增加的类别词表", VOCABULARY),
    obj("leading_group_bounds", "领导小组人数范围（默认每单位 1 至 3 名）", GROUP_BOUNDS),
))

PARTY_ORG = Spec("party_org", "党组织", m.PartyOrg, (
    text("name", "党组织名称", True),
    text("secretary", "书记"),
    Field("members", "int", "党员人数", minimum=0, maximum=1_000_000),
))

CONTACT = Spec("contact", "联系人", m.Contact, (
    text("name", "姓名", True),
    text("title", "职务"),
    text("phone", "电话", description="写成字符串，开头的 0 会保留"),
))

RESOURCE = Spec("resource", "党建资源", m.Resource, (
    kind("kind", "资源类别", "resource_kinds", True),
    text("name", "名称", True),
    Field("description", "text", "说明"),
))

TALENT = Spec("talent", "专业人才", m.Talent, (
    kind("kind", "人才类别", "talent_kinds", True),
    text("name", "姓名", True),
    many("skills", "专长", Field("", "str", "专长")),
))

UNIT = Spec("unit", "成员单位", m.Unit, (
    Field("id", "id", "单位编号（与文件名相同）", True, example="yining-zhan"),
    text("name", "全称", True),
    text("short_name", "简称", True),
    enum("type", "单位类型", v.UNIT_TYPES, True),
    enum("role", "身份", v.UNIT_ROLES, True, description="成员单位参加轮值；共建单位是驻地高校、国企等合作方"),
    Field("joined", "date", "加入日期", True),
    Field("left", "date", "退出日期（仍在协作区则不写）"),
    obj("party_org", "党组织", PARTY_ORG),
    many("contacts", "联系人", CONTACT),
    many("resources", "可共享的党建资源", RESOURCE),
    many("talents", "党建专业人才", TALENT),
    Field("description", "text", "单位简介"),
))

PLAN_ITEM = Spec("plan_item", "计划事项", m.PlanItem, (
    Field("id", "id", "事项编号", True, example="2024-forum-03"),
    text("title", "事项名称", True),
    kind("kind", "活动形式", "activity_kinds", True),
    enum("category", "“五共”类别", v.CATEGORIES, True),
    Field("date", "date", "计划日期"),
    Field("month", "month", "计划月份（日期未定时）", example="2024-03"),
    Field("host", "unit", "承办单位"),
    text("note", "备注"),
))

ADJUSTMENT = Spec("adjustment", "职责调整", m.Adjustment, (
    Field("duty", "id", "职责规则编号", True, example="monthly-forum"),
    Field("period", "str", "哪一期（如 2024-03、2024-H1、2024），或“每次活动”职责的活动编号", True, example="2024-03"),
    enum("action", "调整方式", v.ADJUSTMENT_ACTIONS, True, description="免于：这一期不再要求；顺延：截止日期改为 to"),
    Field("to", "date", "顺延后的截止日期（顺延时必填）", example="2024-04-15"),
    text("reason", "原因", True, example="全国两会安保任务"),
    text("approved_by", "批准机构", True, example="协作区领导小组"),
))

PLAN = Spec("plan", "年度协作计划", m.Plan, (
    Field("year", "int", "年度", True, minimum=2000, maximum=2100),
    Field("duty_unit", "unit", "轮值单位", True),
    text("theme", "年度主题"),
    many("goals", "目标任务", Field("", "text", "目标")),
    many("items", "计划的活动和会议", PLAN_ITEM),
    many("adjustments", "职责调整（免于、顺延），见 docs/duties.md", ADJUSTMENT),
))

DECISION = Spec("decision", "督办事项", m.Decision, (
    Field("id", "id", "事项编号（在本活动内唯一）", True, example="chuneng"),
    Field("text", "text", "决定的内容", True, example="再争取援建储能设备3套"),
    Field("owner", "unit", "责任单位", True),
    Field("due", "date", "完成期限", True),
))

RESOLVES = many("resolves", "办结的督办事项（活动编号#事项编号）", Field("", "str", "活动编号#事项编号"),
                example=["2026-03-20-fazhan-lianxihui#chuneng"])
EVIDENCE = Field("evidence", "text", "办结的依据（做了什么、结果如何）")

ACTIVITY = Spec("activity", "活动记录", m.Activity, (
    Field("id", "id", "活动编号（与文件名相同：日期-英文短名）", True, example="2024-03-15-lianpian-dangke"),
    Field("date", "date", "日期", True),
    Field("end_date", "date", "结束日期（多日活动）"),
    text("title", "标题", True),
    enum("category", "“五共”类别", v.CATEGORIES, True),
    kind("kind", "活动形式", "activity_kinds", True),
    many("hosts", "主办单位", UNIT_REF, True),
    many("participants", "参加单位", UNIT_REF),
    Field("attendance", "int", "参加人数", minimum=0, maximum=100_000),
    text("location", "地点"),
    Field("summary", "text", "活动概况", True),
    many("practices", "经验做法（供总结通报提炼）", Field("", "text", "做法")),
    Field("highlight", "bool", "是否亮点活动（总结通报优先选作代表性活动）"),
    text("result", "活动成效（一句话，总结通报写在代表性活动之后；不写协作区的总次数、总人次）"),
    many("honors", "受表扬的先进单位或个人（总结通报的表扬部分）", Field("", "text", "先进单位或个人及事迹")),
    text("plan_item", "对应的计划事项编号"),
    many("attachments", "附件（相对协作区目录的路径）", Field("", "str", "路径")),
    many("decisions", "会议决定的督办事项", DECISION),
    RESOLVES,
    EVIDENCE,
))

DOCUMENT = Spec("document", "已印发文件", m.Document, (
    Field("id", "id", "文件编号（与文件名相同）", True),
    kind("kind", "文件种类", "document_kinds", True),
    text("title", "标题", True),
    Field("date", "date", "印发日期", True),
    Field("issuer", "unit", "印发单位"),
    Field("number", "int", "期号（信息简报）或发文字号的序号", minimum=1, maximum=999,
          description="信息简报为当年第几期；其他文件为发文字号的序号，如 伊协〔2026〕3号 写 3。同一年度内不得重复"),
    Field("period", "period", "所属期间", example="2024-H1"),
    many("activities", "涉及的活动编号", Field("", "str", "活动编号")),
    many("recipients", "报送对象", Field("", "str", "机关名称")),
    text("note", "备注"),
    RESOLVES,
    EVIDENCE,
))

NEED = Spec("need", "需求", m.Need, (
    Field("id", "id", "需求编号（与文件名相同：日期-英文短名）", True, example="2026-03-02-dangke-jiangshi"),
    Field("date", "date", "提出日期", True),
    Field("unit", "unit", "提出需求的单位", True),
    text("title", "需求名称", True, example="需要一名党课宣讲员"),
    enum("kind", "需求类别（与资源、人才的类别相同）", v.NEED_KINDS, True),
    Field("needed_by", "date", "希望何时前解决"),
    Field("description", "text", "需求说明", True),
    enum("status", "状态（只在记录推算不出时填写，如已撤回）", v.NEED_STATUSES,
         description="开放、已认领、已解决由项目记录推算，一般不填；需求撤回时填 已撤回"),
))

MILESTONE = Spec("milestone", "里程碑", m.Milestone, (
    text("title", "里程碑名称", True),
    Field("due", "date", "计划完成日期", True),
    text("done_by", "完成它的活动或文件编号（完成后填写）"),
))

PROJECT = Spec("project", "共建项目", m.Project, (
    Field("id", "id", "项目编号（与文件名相同：约定日期-英文短名）", True, example="2026-04-10-chuneng-yuanjian"),
    text("title", "项目名称", True),
    enum("category", "“五共”类别", v.CATEGORIES, True),
    text("need", "对应的需求编号"),
    Field("lead", "unit", "牵头单位", True),
    many("partners", "参与单位", UNIT_REF),
    Field("agreed", "date", "约定日期", True),
    Field("due", "date", "完成期限", True),
    text("agreement", "共建协议（文件编号）"),
    many("milestones", "里程碑", MILESTONE),
    Field("outcome", "text", "项目成果（完成后填写；填写即表示项目已完成）"),
))

HOLIDAY = Spec("holiday", "节假日", m.Holiday, (
    Field("date", "date", "日期", True),
    Field("end_date", "date", "结束日期"),
    text("name", "名称", True),
    Field("workday", "bool", "是否为调休上班日"),
))

HOLIDAYS = Spec("holidays", "节假日安排", m.HolidayCalendar, (
    many("days", "放假和调休", HOLIDAY, True),
))

FILE_SPECS = {"zone": ZONE, "unit": UNIT, "plan": PLAN, "activity": ACTIVITY, "document": DOCUMENT, "holidays": HOLIDAYS,
              "need": NEED, "project": PROJECT}
