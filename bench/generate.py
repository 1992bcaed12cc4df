"""Generate a large, valid synthetic zone for benchmarks: `python bench/generate.py OUT [--units 50 --years 10 --per-year 2000]`.

Every kind of file is written (zone, holidays, units, plans, activities, documents incl. numbered bulletins), with
varied Chinese text, in the same house style as the example zone. The output is deterministic for given parameters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

CATEGORY_KINDS = {
    "组织共建": ["月度党建座谈", "联片党课", "骨干培训", "联合主题党日", "半年总结部署会", "年度工作谋划会"],
    "发展共谋": ["发展工作联席会", "联席会议", "工作调度会"],
    "文化共育": ["文体活动", "慰问演出"],
    "教育共抓": ["教育", "宣讲"],
    "资源共享": ["资源共享", "共建交流"],
}
TOPICS = ["学习贯彻党的二十大精神", "边境基层治理", "党风廉政建设", "法治宣传", "红色教育", "青年干部培养", "民族团结进步",
          "乡村振兴", "安全生产", "作风建设", "警民共建", "志愿服务", "口岸通关保障", "理论武装", "组织生活规范化"]
PLACES = ["会议室", "党员活动室", "红色教育基地", "文化广场", "边境口岸", "培训中心", "篮球场", "社区服务中心"]
VERBS = ["组织开展", "联合举办", "共同开展", "集中组织", "牵头举办"]
LESSONS = ["坚持问题导向，会前征集基层难题，会上逐一研究", "采取“理论+案例+现场”方式，增强教育实效",
           "建立成果清单，明确责任单位和完成时限", "发挥共建单位专业优势，实现资源互补",
           "用好红色资源，把党课讲到一线", "轮流备课、轮流施教，节约时间精力"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国志强海燕文华晓明丽娟国庆春梅红军新民玉兰德胜秀英卫东"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def generate(out: Path, units: int = 50, years: int = 10, per_year: int = 2000, first_year: int = 2016, seed: int = 7) -> int:
    """Write the zone under `out` (replaced if present); return the number of files written."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "units").mkdir(parents=True)
    ids = [f"unit-{i:03d}" for i in range(units)]
    lead, members = ids[0], ids[1:]
    start = dt.date(first_year, 1, 1)
    files = 0

    def write(rel: str, text: str) -> None:
        nonlocal files
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files += 1

    order = "\n".join(f"      - {u}" for u in members)
    turns = "\n".join(f"      - period: '{first_year + y}'\n        unit: {members[y % len(members)]}" for y in range(years))
    write("zone.yaml", f"""# yaml-language-server: $schema=../schemas/zone.schema.json
# 基准测试用的合成协作区（虚构）
name: 基准测试基层党建工作联建协作区
short_name: 基准协作区
established: {start}
city_committee: 中共基准市委
political_office: 基准总站政治处
lead_unit: {lead}
leading_group:
  leader:
    name: {_person(rng)}
    unit: {lead}
    title: 党委书记
  deputies:
    - name: {_person(rng)}
      unit: {members[0]}
      title: 党委副书记
  members:
    - name: {_person(rng)}
      unit: {members[1]}
      title: 办公室主任
office:
  unit: {lead}
  director:
    name: {_person(rng)}
    unit: {lead}
rotations:
  - name: duty
    title: 轮值单位
    period: year
    order:
{order}
    turns:
{turns}
""")
    write("holidays.yaml", f"""# yaml-language-server: $schema=../schemas/holidays.schema.json
days:
  - date: {first_year + years}-01-01
    name: 元旦
""")
    for i, uid in enumerate(ids):
        write(f"units/{uid}.yaml", f"""# yaml-language-server: $schema=../../schemas/unit.schema.json
id: {uid}
name: 基准第{i}站党委
short_name: 第{i}站
type: {'机关' if uid == lead else '站所'}
role: 成员单位
joined: {start}
party_org:
  name: 中共基准第{i}站委员会
  secretary: {_person(rng)}
  members: {rng.randint(30, 300)}
contacts:
  - name: {_person(rng)}
    title: 党务干事
    phone: '0999-{rng.randint(1000000, 9999999)}'
resources:
  - kind: 红色教育基地
    name: 第{i}站边防历史陈列室
talents:
  - kind: 宣讲员
    name: {_person(rng)}
    skills: [理论宣讲, 党史教育]
""")
    for y in range(years):
        year = first_year + y
        duty = members[y % len(members)]
        items = "\n".join(
            f"  - id: {year}-forum-{m:02d}\n    title: {m}月党建座谈交流\n    kind: 月度党建座谈\n    category: 组织共建\n"
            f"    month: '{year}-{m:02d}'\n    host: {rng.choice(members)}"
            for m in range(1, 13)
        )
        write(f"plans/{year}.yaml", f"""# yaml-language-server: $schema=../../schemas/plan.schema.json
year: {year}
duty_unit: {duty}
theme: {rng.choice(TOPICS)}
goals:
  - 完成全年协作活动计划
items:
{items}
""")
        bulletin = 0
        for n in range(per_year):
            day = dt.date(year, 1, 1) + dt.timedelta(days=n * 365 // per_year)
            category = rng.choice(list(CATEGORY_KINDS))
            kind = rng.choice(CATEGORY_KINDS[category])
            host = duty if n % 5 == 0 else rng.choice(members)
            others = rng.sample([u for u in members if u != host], 3)
            topic = rng.choice(TOPICS)
            act_id = f"{day}-act-{n:04d}"
            practices = f"practices:\n  - {rng.choice(LESSONS)}\n" if n % 2 else ""
            write(f"activities/{year}/{act_id}.yaml", f"""# yaml-language-server: $schema=../../../schemas/activity.schema.json
id: {act_id}
date: {day}
title: {topic}{kind}
category: {category}
kind: {kind}
hosts:
  - {host}
participants:
{chr(10).join('  - ' + u for u in others)}
attendance: {rng.randint(15, 200)}
location: {rng.choice(PLACES)}
summary: |
  {rng.choice(VERBS)}{topic}{kind}，{len(others) + 1}个单位{rng.randint(15, 200)}名党员干部参加。
  活动围绕{rng.choice(TOPICS)}开展交流研讨，形成{rng.randint(2, 9)}条工作建议。
{practices}highlight: {'true' if n % 17 == 0 else 'false'}
""")
            if host == duty and n % 10 == 0:
                bulletin += 1
                write(f"documents/{year}/{day}-bulletin-{bulletin:03d}.yaml", f"""# yaml-language-server: $schema=../../../schemas/document.schema.json
id: {day}-bulletin-{bulletin:03d}
kind: 信息简报
title: {topic}{kind}简报
date: {day}
issuer: {duty}
number: {bulletin}
period: '{year}'
activities:
  - {act_id}
""")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=2000)
    args = parser.parse_args()
    count = generate(args.out, args.units, args.years, args.per_year)
    print(f"wrote {count} files to {args.out}")


if __name__ == "__main__":
    main()
