"""One vocabulary: the Chinese terms of the records (categories, kinds, roles, statuses), defined once and imported.

The schema, the checks, the forms and the documents all read these tuples; a zone extends the kinds in
VOCABULARY_LISTS through zone.yaml `vocabulary:`.
"""

CATEGORIES = ("组织共建", "发展共谋", "文化共育", "教育共抓", "资源共享")
UNIT_TYPES = ("机关", "站所", "高校", "国企", "其他")
UNIT_ROLES = ("成员单位", "共建单位")
ACTIVITY_KINDS = (
    "月度党建座谈",
    "联席会议",
    "工作调度会",
    "发展工作联席会",
    "半年总结部署会",
    "年度工作谋划会",
    "联片党课",
    "骨干培训",
    "联合主题党日",
    "文体活动",
    "慰问演出",
    "教育",
    "宣讲",
    "资源共享",
    "共建交流",
    "其他",
)
DOCUMENT_KINDS = (
    "信息简报",
    "半年总结通报",
    "年度总结通报",
    "年度协作计划",
    "轮值安排",
    "向市委报送计划",
    "向市委报送总结",
    "会议通知",
    "会议纪要",
    "上级部署",
    "向市委报送专项报告",
    "共建协议",
    "其他",
)
RESOURCE_KINDS = ("教案教材", "红色教育基地", "场地设施", "社会资源", "其他")
TALENT_KINDS = ("党建专家", "文艺人才", "宣讲员", "体育人才", "其他")
# A need asks for what a resource or a talent offers: its kind is one of theirs.
NEED_KINDS = tuple(dict.fromkeys(RESOURCE_KINDS + TALENT_KINDS))
# The statuses of a need; only 已撤回 (withdrawn) is ever written, the others follow from the projects (domain.lists).
NEED_STATUSES = ("开放", "已认领", "已解决", "已撤回")
PERIOD_KINDS = ("year", "half", "quarter", "month", "week")
OVERRIDE_KINDS = ("swap", "skip", "assign")
ADJUSTMENT_ACTIONS = ("免于", "顺延")
# The vocabulary lists a zone may extend (zone.yaml `vocabulary:`), by key, with the built-in list each extends.
VOCABULARY_LISTS = {
    "activity_kinds": ACTIVITY_KINDS,
    "document_kinds": DOCUMENT_KINDS,
    "resource_kinds": RESOURCE_KINDS,
    "talent_kinds": TALENT_KINDS,
}
