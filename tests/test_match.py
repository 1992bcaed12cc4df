"""`djxz match` on a hand-built zone (tests/lists_zone.py) whose rankings are worked out by hand below."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, run_cli
from lists_zone import UNITS, lists_zone

SCHEMA = json.loads((ROOT / "docs" / "match.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def zone(tmp_path: Path) -> Path:
    return lists_zone(tmp_path / "zone")


def _match(zone: Path, *args: str) -> dict:
    code, out, err = run_cli("match", "--zone", str(zone), "--as-of", "2024-06-30", "--format", "json", *args)
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    return data


def test_the_one_unit_offering_a_venue_ranks_first_for_a_venue_need(zone: Path) -> None:
    # The need (lead, 机关): 场地设施 "借用篮球馆 / 机关冬季联谊赛". Only alpha offers a 场地设施 (甲站篮球馆):
    #   kind +3; shared word 篮球馆 +0.5; lead and alpha both attended 2024-04-10-fazhan (within a year) +0.5;
    #   alpha is 站所, lead 机关: no type point; alpha has no open project. 3 + 0.5 + 0.5 = 4.0.
    # beta (红色教育基地, a 宣讲员 with 书法) and gamma (a 宣讲员 with 党课) share no word and no kind: not candidates.
    data = _match(zone, "--need", "2024-04-01-changdi")
    assert [n["id"] for n in data["needs"]] == ["2024-04-01-changdi"]
    (need,) = data["needs"]
    assert need["unit"] == "lead" and need["title"] == "借用篮球馆"
    assert [(c["unit"]["id"], c["score"]) for c in need["candidates"]] == [("alpha", 4.0)]
    because = need["candidates"][0]["because"]
    assert because == [
        "类别相符：有场地设施“甲站篮球馆”（+3）",
        "用词相近：需求与“甲站篮球馆”都提到篮球馆（+0.5）",
        "已有共建往来：近一年共同参加活动 1 次（+0.5）",
    ]
    assert data["resources"] == []  # --need: one direction only


def test_a_tie_is_broken_by_more_shared_words_before_load_and_id(zone: Path) -> None:
    # alpha (站所) needs a 宣讲员 "为新党员讲授党课".
    #   beta:  kind +3, same type +0.5, attended 2024-03-15 and 2024-04-10 with alpha +0.5, no load      = 4.0
    #   gamma: kind +3, shared 党课 +0.5, same type +0.5, attended 2024-03-15 with alpha +0.5, one open
    #          project (2024-04-05-peixun: last milestone not done) −0.5                              = 4.0
    # Equal scores: both match the kind; gamma shares one word, beta none -> gamma first, although it carries more
    # load and its id sorts after beta's (docs/lists.md, 同分时).
    data = _match(zone, "--need", "2024-04-02-xuanjiang")
    candidates = data["needs"][0]["candidates"]
    assert [(c["unit"]["id"], c["score"]) for c in candidates] == [("gamma", 4.0), ("beta", 4.0)]
    assert "在办项目 1 个（−0.5）" in candidates[0]["because"]


def test_a_full_tie_falls_back_to_the_unit_id(tmp_path: Path) -> None:
    # gamma made beta's twin: a 宣讲员 with 书法 and no project. Both: kind +3, same type +0.5, relation +0.5 = 4.0,
    # no shared word, no load -> the unit id decides: beta before gamma.
    twin = {"units/gamma.yaml": UNITS["units/gamma.yaml"].replace("- 党课", "- 书法")}
    zone = lists_zone(tmp_path / "zone", twin)
    (tmp_path / "zone" / "projects" / "2024" / "2024-04-05-peixun.yaml").unlink()
    candidates = _match(zone, "--need", "2024-04-02-xuanjiang")["needs"][0]["candidates"]
    assert [(c["unit"]["id"], c["score"]) for c in candidates] == [("beta", 4.0), ("gamma", 4.0)]


def test_every_open_need_and_the_other_direction(zone: Path) -> None:
    data = _match(zone)
    # The withdrawn need (2024-04-03-chexiao) is not open; the other two are.
    assert [n["id"] for n in data["needs"]] == ["2024-04-01-changdi", "2024-04-02-xuanjiang"]
    offers = {(r["unit"]["id"], r["name"]): [n["id"] for n in r["needs"]] for r in data["resources"]}
    assert offers == {
        ("alpha", "甲站篮球馆"): ["2024-04-01-changdi"],
        ("beta", "王芳"): ["2024-04-02-xuanjiang"],
        ("gamma", "李强"): ["2024-04-02-xuanjiang"],
    }


def test_a_claimed_need_is_no_longer_matched(zone: Path) -> None:
    project = textwrap.dedent("""\
        id: 2024-05-01-lanqiu
        title: 借用甲站篮球馆
        category: 文化共育
        need: 2024-04-01-changdi
        lead: alpha
        agreed: 2024-05-01
        due: 2024-12-31
        """)
    (zone / "projects" / "2024" / "2024-05-01-lanqiu.yaml").write_text(project, encoding="utf-8")
    assert [n["id"] for n in _match(zone)["needs"]] == ["2024-04-02-xuanjiang"]


def test_text_output_and_an_unknown_need(zone: Path) -> None:
    code, out, _ = run_cli("match", "--zone", str(zone), "--as-of", "2024-06-30")
    assert code == 0
    assert "借用篮球馆（2024-04-01-changdi，总站机关，场地设施）" in out
    assert "1. 甲站党委　4 分" in out and "· 类别相符：有场地设施“甲站篮球馆”（+3）" in out
    code, _, err = run_cli("match", "--zone", str(zone), "--need", "2024-04-01-changd")
    assert code == 2
    assert "“2024-04-01-changd”不存在" in err and "是不是“2024-04-01-changdi”" in err
