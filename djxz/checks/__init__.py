"""The rule registry: every check is `check_x(zone, ctx) -> Iterator[Diagnostic]`, every code is in CODES."""

from __future__ import annotations

from typing import Iterable

from djxz.checks import duties, files, identity, lists, references, rules, vocabulary
from djxz.checks.context import Check, CheckContext  # noqa: F401 - part of this package's interface
from djxz.model import Diagnostic, Zone

# Every diagnostic code, with what it means. The README's table is generated from this and a test keeps them equal.
CODES: dict[str, str] = {
    "DJX001": "文件或目录无法读取（权限、符号链接指向区外、文件过大）",
    "DJX002": "文件不是 UTF-8 文本（GBK、UTF-16、二进制）",
    "DJX003": "YAML 语法错误",
    "DJX004": "同一字段重复出现",
    "DJX005": "使用了 YAML 标签（如 !!python/…）",
    "DJX006": "使用了锚点、别名或合并键（&、*、<<）",
    "DJX007": "含有未解决的合并冲突标记",
    "DJX008": "文件为空或顶层不是字段表",
    "DJX010": "未知字段",
    "DJX011": "缺少必填字段",
    "DJX012": "类型不对（应为整数、列表、true/false 等）",
    "DJX013": "日期或月份无效",
    "DJX014": "取值不在允许范围内（类别、活动形式等；形式和种类可在 zone.yaml 的 vocabulary 中增加）",
    "DJX015": "编号格式不对",
    "DJX016": "期次格式不对",
    "DJX017": "文件名与记录编号或年度不一致",
    "DJX018": "文件放错了位置，不会被读取（警告）",
    "DJX019": "文件名不是 UTF-8 编码",
    "DJX101": "引用了不存在的单位",
    "DJX102": "引用的单位在该日期不是协作区成员",
    "DJX103": "编号重复",
    "DJX104": "领导小组人数超出 leading_group_bounds 的范围（仅 --strict 时报告，警告）",
    "DJX105": "活动或文件的日期与所在年度目录不一致",
    "DJX106": "结束日期早于开始日期",
    "DJX107": "轮值记录或轮值顺序有误",
    "DJX108": "年度计划与轮值记录不一致",
    "DJX109": "引用了不存在的计划事项或活动",
    "DJX110": "信息简报期号重复或缺失",
    "DJX111": "单位加入、退出日期有误",
    "DJX112": "牵头单位或办公室设置有误",
    "DJX113": "附件不存在",
    "DJX114": "日期晚于今天（活动记录应在活动之后填写）（警告）",
    "DJX115": "职责规则有误（无完成方式、截止日期与周期不符、未知编号又不是完整的新规则、编号重复）",
    "DJX116": "两个单位文件的编号相同",
    "DJX117": "同一年度有两份年度计划",
    "DJX118": "两个单位的全称或简称相同",
    "DJX119": "职责调整有误（职责编号、期次或调整方式不对，顺延缺少新的截止日期）",
    "DJX120": "日期先后有误（简报早于其所报的活动，文件早于其所属期间）",
    "DJX121": "引用了不存在的需求、协议文件或活动（项目、里程碑）",
    "DJX122": "项目的完成期限或里程碑早于约定日期，或需求的期限早于提出日期",
    "DJX123": "项目对应的需求已撤回",
    "DJX124": "督办事项有误（办结了不存在的事项、办结记录早于决定、事项编号重复）",
    "DJX125": "发文字号重复（同一年度内）",
    "DJX201": "本年度的职责已逾期（仅 --strict 时报告，警告）",
    "DJX202": "成员单位不在任何轮值顺序中（仅 --strict 时报告，警告）",
}


def registry() -> list[Check]:
    return [*files.CHECKS, *identity.CHECKS, *references.CHECKS, *vocabulary.CHECKS, *rules.CHECKS, *duties.CHECKS,
            *lists.CHECKS]


def run_checks(zone: Zone, ctx: CheckContext, checks: Iterable[Check] | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in checks or registry():
        out.extend(check(zone, ctx))
    return out
