"""A hand-built zone for the three lists, matching and 督办 (MINI_ZONE plus resources, needs, projects, decisions).

Units: lead (机关), alpha, beta, gamma (站所). Only alpha offers a venue; beta and gamma each have one 宣讲员.
"""

from __future__ import annotations

from pathlib import Path

from conftest import MINI_ZONE, write_zone

def _with(rel: str, extra: str) -> str:
    """MINI_ZONE's unit file with more lines (indented like it)."""
    return MINI_ZONE[rel].rstrip(" ") + extra


UNITS = {
    "units/alpha.yaml": _with("units/alpha.yaml", """\
        resources:
          - kind: 场地设施
            name: 甲站篮球馆
            description: 室内场地，可容纳200人
        """),
    "units/beta.yaml": _with("units/beta.yaml", """\
        resources:
          - kind: 红色教育基地
            name: 乙站纪念馆
        talents:
          - kind: 宣讲员
            name: 王芳
            skills:
              - 书法
        """),
    "units/gamma.yaml": _with("units/gamma.yaml", """\
        talents:
          - kind: 宣讲员
            name: 李强
            skills:
              - 党课
        """),
}

NEEDS = {
    "needs/2024/2024-04-01-changdi.yaml": """\
        id: 2024-04-01-changdi
        date: 2024-04-01
        unit: lead
        title: 借用篮球馆
        kind: 场地设施
        needed_by: 2024-06-30
        description: 机关冬季联谊赛
        """,
    "needs/2024/2024-04-02-xuanjiang.yaml": """\
        id: 2024-04-02-xuanjiang
        date: 2024-04-02
        unit: alpha
        title: 需要宣讲员
        kind: 宣讲员
        description: 为新党员讲授党课
        """,
    "needs/2024/2024-04-03-chexiao.yaml": """\
        id: 2024-04-03-chexiao
        date: 2024-04-03
        unit: beta
        title: 需要文艺人才
        kind: 文艺人才
        description: 演出取消
        status: 已撤回
        """,
}

PROJECTS = {
    # gamma's one open project (its load); it names no need.
    "projects/2024/2024-04-05-peixun.yaml": """\
        id: 2024-04-05-peixun
        title: 骨干培训
        category: 组织共建
        lead: gamma
        partners:
          - lead
        agreed: 2024-04-05
        due: 2024-12-31
        milestones:
          - title: 第一期
            due: 2024-06-30
            done_by: 2024-03-15-dangke
          - title: 第二期
            due: 2024-11-30
        """,
}

MEETING = {
    "activities/2024/2024-04-10-fazhan.yaml": """\
        id: 2024-04-10-fazhan
        date: 2024-04-10
        title: 发展工作联席会
        category: 发展共谋
        kind: 发展工作联席会
        hosts:
          - lead
        participants:
          - alpha
          - beta
        summary: 会诊难题。
        decisions:
          - id: shebei
            text: 争取援建设备3套
            owner: alpha
            due: 2024-05-31
          - id: peixun
            text: 培训心理辅导员
            owner: beta
            due: 2024-09-30
          - id: dangan
            text: 档案按季度更新
            owner: lead
            due: 2024-08-31
        """,
    "activities/2024/2024-05-20-huitoukan.yaml": """\
        id: 2024-05-20-huitoukan
        date: 2024-05-20
        title: 回头看座谈
        category: 组织共建
        kind: 月度党建座谈
        hosts:
          - lead
        summary: 回头看。
        resolves:
          - 2024-04-10-fazhan#dangan
        evidence: 档案已按季度更新一次。
        """,
}


def lists_zone(root: Path, extra: dict[str, str] | None = None) -> Path:
    return write_zone(root, {**MINI_ZONE, **UNITS, **NEEDS, **PROJECTS, **MEETING, **(extra or {})})
