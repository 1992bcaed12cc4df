"""`djxz new activity|unit`: the right path and id, validated before writing; prompts only on a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

ACTIVITY = [
    "new", "activity", "--date", "2026-11-20", "--title", "联片党课：学习贯彻全会精神", "--category", "组织共建",
    "--kind", "联片党课", "--host", "beta", "--participant", "alpha,gamma", "--summary", "乙站党委书记主讲。",
]


def _listing(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_new_activity_writes_the_house_style_at_the_right_path(mini_zone: Path) -> None:
    code, out, err = run_cli(*ACTIVITY, "--zone", str(mini_zone))
    assert code == 0, err
    path = mini_zone / "activities/2026/2026-11-20-lianpian-dangke.yaml"
    assert "已新建" in out and "2026-11-20-lianpian-dangke" in out
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../schemas/activity.schema.json\n"
        "id: 2026-11-20-lianpian-dangke\n"
        "date: 2026-11-20\n"
        "title: 联片党课：学习贯彻全会精神\n"
        "category: 组织共建\n"
        "kind: 联片党课\n"
        "hosts:\n"
        "  - beta\n"
        "participants:\n"
        "  - alpha\n"
        "  - gamma\n"
        "summary: |\n"
        "  乙站党委书记主讲。\n"
        "# end_date:  # 结束日期（多日活动）\n"
        "# attendance:  # 参加人数\n"
        "# location:  # 地点\n"
        "# practices:  # 经验做法（供总结通报提炼）\n"
        "#   -\n"
        "# highlight:  # 是否亮点活动（总结通报优先选作代表性活动）\n"
        "# plan_item:  # 对应的计划事项编号\n"
        "# attachments:  # 附件（相对协作区目录的路径）\n"
        "#   -\n"
    )
    assert run_cli("check", "--zone", str(mini_zone))[:2] == (0, "检查了 7 个文件：0 个错误，0 个警告\n")
    # The same kind on the same day gets the next free id.
    code, out, _ = run_cli(*ACTIVITY, "--zone", str(mini_zone))
    assert code == 0 and "2026-11-20-lianpian-dangke-2" in out
    assert (mini_zone / "activities/2026/2026-11-20-lianpian-dangke-2.yaml").exists()


def test_missing_field_without_a_terminal_exits_2_naming_it_and_writes_nothing(mini_zone: Path) -> None:
    before = _listing(mini_zone)
    args = [a for a in ACTIVITY]
    del args[args.index("--title"):args.index("--title") + 2]
    code, out, err = run_cli(*args, "--zone", str(mini_zone))
    assert code == 2
    assert "缺少必填项：--title（活动标题）" in err and "不在终端中运行时不会提问" in err
    assert _listing(mini_zone) == before
    # The real program with stdin that is no terminal: the same, never waiting for an answer.
    proc = subprocess.run([sys.executable, "-m", "djxz", "new", "activity", "--zone", str(mini_zone), "--date", "2026-11-20"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "--title（活动标题）、--category（“五共”类别）、--kind（活动形式）、--host（主办单位）、--summary（活动概况）" in proc.stderr
    assert _listing(mini_zone) == before


def test_invalid_record_is_refused_before_writing(mini_zone: Path) -> None:
    before = _listing(mini_zone)
    args = [*ACTIVITY]
    args[args.index("beta")] = "betta"
    code, _, err = run_cli(*args, "--zone", str(mini_zone))
    assert code == 1
    assert "新记录没有写入" in err
    assert "activities/2026/2026-11-20-lianpian-dangke.yaml:8:5: [DJX101] 主办单位引用的单位“betta”不存在（提示：是不是“beta”？）" in err
    # A value outside the allowed set is a usage error, named.
    args = [*ACTIVITY]
    args[args.index("组织共建")] = "组织建设"
    code, _, err = run_cli(*args, "--zone", str(mini_zone))
    assert code == 2 and "--category 只能是" in err
    code, _, err = run_cli(*ACTIVITY, "--slug", "Bad Slug", "--zone", str(mini_zone))
    assert code == 2 and "--slug" in err
    assert _listing(mini_zone) == before


def test_dry_run_shows_and_writes_nothing(mini_zone: Path) -> None:
    before = _listing(mini_zone)
    code, out, _ = run_cli(*ACTIVITY, "--slug", "dangke-2", "--dry-run", "--zone", str(mini_zone))
    assert code == 0
    assert out.startswith("# 将写入 ") and "id: 2026-11-20-dangke-2\n" in out
    assert _listing(mini_zone) == before


def test_new_unit(mini_zone: Path) -> None:
    code, out, err = run_cli("new", "unit", "--id", "delta", "--name", "丁站党委", "--short-name", "丁站", "--type", "站所",
                             "--joined", "2026-11-01", "--zone", str(mini_zone))
    assert code == 0, err
    text = (mini_zone / "units/delta.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/unit.schema.json\nid: delta\nname: 丁站党委\n"
                           "short_name: 丁站\ntype: 站所\nrole: 成员单位\njoined: 2026-11-01\n# left:")
    assert run_cli("check", "--zone", str(mini_zone))[:2] == (0, "检查了 7 个文件：0 个错误，0 个警告\n")
    code, _, err = run_cli("new", "unit", "--id", "delta", "--name", "x", "--short-name", "x", "--type", "站所",
                           "--joined", "2026-11-01", "--zone", str(mini_zone))
    assert code == 2 and "单位编号 delta 已被使用" in err
    code, _, err = run_cli("new", "unit", "--id", "epsilon", "--zone", str(mini_zone))
    assert code == 2 and "--name（单位全称）、--short-name（简称）、--type（单位类型）、--joined（加入日期）" in err
    assert not (mini_zone / "units/epsilon.yaml").exists()


def _converse(args: list[str], answers: list[tuple[str, str]], cwd: Path) -> tuple[int, str]:
    """Run djxz on a real pseudo-terminal, answering each prompt when it appears."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execv(sys.executable, [sys.executable, "-m", "djxz", *args])
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            ready, _, _ = select.select([fd], [], [], 60)
            if not ready:
                raise AssertionError(f"no prompt {text.decode()!r} in {seen.decode(errors='replace')!r}")
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError(f"ended before {text.decode()!r}: {seen.decode(errors='replace')!r}")
            seen += chunk

    for prompt, answer in answers:
        read_until(prompt.encode())
        seen = seen[seen.index(prompt.encode()) + len(prompt.encode()):]
        os.write(fd, answer.encode() + b"\n")
    rest = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        rest += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), (seen + rest).decode(errors="replace")


def test_on_a_terminal_it_asks_for_what_is_missing(mini_zone: Path) -> None:
    code, out = _converse(
        ["new", "activity", "--zone", str(mini_zone), "--date", "2026-11-18"],
        [("活动标题", "十一月党建座谈会"), ("“五共”类别", "1"), ("活动形式", "月度党建座谈"), ("主办单位", "alpha， beta"),
         ("活动概况", "交流各支部学习情况。"),
         ("参加单位", ""), ("参加人数", "二十"), ("应为人数", "20")],
        mini_zone,
    )
    assert code == 0, out
    # The id is the date and the title's key words in pinyin: 十一月 (a date) is dropped, 党建座谈 stays.
    text = (mini_zone / "activities/2026/2026-11-18-dangjian-zuotan.yaml").read_text(encoding="utf-8")
    assert "title: 十一月党建座谈会\ncategory: 组织共建\nkind: 月度党建座谈\nhosts:\n  - alpha\n  - beta\n" in text
    assert "summary: |\n  交流各支部学习情况。\n" in text
    assert "attendance: 20\n" in text


def test_the_zone_vocabulary_is_offered_and_accepted(mini_zone: Path) -> None:
    """A kind the zone adds in zone.yaml `vocabulary:` is a choice like the built-in ones, for activities and documents."""
    zone_yaml = mini_zone / "zone.yaml"
    zone_yaml.write_text(zone_yaml.read_text(encoding="utf-8") + "vocabulary:\n  activity_kinds: [红色观影]\n"
                         "  document_kinds: [工作提示]\n", encoding="utf-8")
    args = [a if a != "联片党课" else "红色观影" for a in ACTIVITY]
    code, out, err = run_cli(*args, "--zone", str(mini_zone))
    assert code == 0, err
    assert "kind: 红色观影\n" in (mini_zone / "activities/2026/2026-11-20-lianpian-dangke.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli("new", "document", "--kind", "工作提示", "--date", "2026-11-21", "--title", "关于做好年终总结的提示",
                             "--zone", str(mini_zone))
    assert code == 0, err
    code, _, err = run_cli("new", "document", "--kind", "工作题示", "--date", "2026-11-21", "--title", "错字",
                           "--zone", str(mini_zone))
    assert code == 2 and "工作提示" in err  # the message lists the zone's word among the choices
    assert run_cli("check", "--zone", str(mini_zone))[0] == 0
