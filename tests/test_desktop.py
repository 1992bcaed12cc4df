"""At home on a Chinese office desktop: GBK consoles, Chinese-only usage text, 80 columns, pinyin ids, the rotation,
guided entry and recorded documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, ROOT, run_cli

TITLE_ACT = "activities/2026/2026-01-07-yuedu-zuotan.yaml"


@pytest.fixture
def odd_zone(example_zone: Path) -> Path:
    """The example zone, committed to git, with 𠮷 (outside GBK) and an emoji in an activity's title, then edited once
    more so that `diff` and `log` have something to show."""
    path = example_zone / TITLE_ACT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: 𠮷😀", 1), encoding="utf-8")
    repo = example_zone.parent
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "示例"], cwd=repo, check=True)
    path.write_text(path.read_text(encoding="utf-8").replace("title: 𠮷😀", "title: 𠮷😀（修改）", 1), encoding="utf-8")
    return example_zone


def _commands(zone: Path, tmp: Path) -> list[list[str]]:
    z = ["--zone", str(zone)]
    return [
        ["check", *z], ["check", "--strict", *z], ["who", *z], ["status", *z], ["status", "--format", "json", *z],
        ["brief", "--half-year", "--out", str(tmp / "out"), *z], ["bulletin", "2026-01-07-yuedu-zuotan", "--out", str(tmp / "out"), *z],
        ["rotate", "--dry-run", *z], ["calendar", "--output", str(tmp / "cal.ics"), *z], ["diff", *z],
        ["log", "2026-01-07-yuedu-zuotan", *z], ["export", "--out", str(tmp / "x.xlsx"), *z],
        ["schema", "--out", str(tmp / "schemas"), *z], ["init", str(tmp / "newzone")],
        ["import", "units", "--template", "--out", str(tmp / "t.xlsx"), *z],
        ["new", "activity", "--date", "2026-11-20", "--title", "𠮷😀座谈", "--category", "组织共建", "--kind", "其他",
         "--host", "伊宁站", "--summary", "𠮷", "--dry-run", *z],
        ["new", "unit", "--name", "𠮷站", "--short-name", "𠮷站", "--type", "站所", "--joined", "2026-11-01", "--dry-run", *z],
        ["new", "document", "--kind", "其他", "--date", "2026-11-20", "--title", "𠮷😀通知", "--dry-run", *z],
        ["--help"], ["nosuch"], ["status", "--bogus"],
    ]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "djxz", *args], cwd=cwd, env=env, capture_output=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def _gb18030_locale() -> str | None:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    return next((name for name in out if name.lower().replace("-", "") in ("zh_cn.gb18030",)), None)


@pytest.mark.parametrize("setting", ["PYTHONIOENCODING=gbk", "LANG=zh_CN.GB18030"])
def test_every_command_survives_a_gbk_console(odd_zone: Path, tmp_path: Path, setting: str) -> None:
    env = {**os.environ, "DJXZ_TODAY": EXAMPLE_TODAY}
    if setting.startswith("LANG"):
        name = _gb18030_locale()
        if name is None:
            pytest.skip("this machine has no zh_CN.GB18030 locale")
        env.pop("PYTHONIOENCODING", None)
        env.update(LANG=name, LC_ALL=name)
    else:
        env["PYTHONIOENCODING"] = "gbk"
    escaped = False
    for args in _commands(odd_zone, tmp_path):
        proc = _run(args, env, tmp_path)
        assert proc.returncode in (0, 1, 2), (args, proc.stderr.decode("gbk", "replace"))
        # What came out is GBK text (never a crash halfway through a character).
        out = proc.stdout.decode("gb18030") + proc.stderr.decode("gb18030")
        assert "内部错误：" not in out, args
        # GBK cannot hold 𠮷: it shows as its escape. GB18030 holds every character: it shows as itself.
        escaped |= ("[U+20BB7]" in out) if setting.endswith("gbk") else ("𠮷" in out and "[U+20BB7]" not in out)
    assert escaped  # 𠮷 showed up somewhere (diff, log), as the console's encoding allows
    # Files stay UTF-8 whatever the console.
    written = list((tmp_path / "out").glob("*.md"))
    assert written and all(p.read_bytes().decode("utf-8") for p in written)


def test_escape_is_visible_and_exact() -> None:
    from djxz.cli.output import safe

    class Gbk:
        encoding = "gbk"

    # 𠮷 is U+20BB7, 😀 is U+1F600; 中文 is in GBK and passes as is.
    assert safe("中文𠮷😀", Gbk()) == "中文[U+20BB7][U+1F600]"


# English words a user may legitimately see: option names, ids, file names, formats and program names.
ALLOWED = re.compile(
    r"[a-z0-9]+(?:[-_./][a-z0-9]+)+|--?[a-z][a-z0-9-]*|\.[a-z][a-z0-9_-]*|\b(?:djxz|git|yaml|YAML|json|JSON|md|docx|DOCX|xlsx|ics|text|github|"
    r"Excel|Markdown|CI|VS|Code|pdf|all|YYYY-MM-DD|YYYY|MM|DD|GB|T|PR|shell|pre-commit|Schema|DJXZ_ZONE|DJXZ_TODAY|units|"
    r"activities|documents|plans|needs|projects|vocabulary|templates|schemas|data|zone|main|master|origin|HEAD|append|none|true|false|id|order|"
    r"rotations|role|anchor|out|UID|ics|Word|WPS|PDF|LibreOffice|UUID|txt|hint|issue|docs|h|N|ids|H1|H2|key|kind|period|number|"
    r"name|short_name|type|joined|left|title|date|hosts|category|summary|attendance|plan_item|jianbao|qi|di|slug|"
    r"tashikuergan|zhan|yining|lianpian|dangke|zone\.yaml|install|completion|URL|GitHub|GitLab|Gitee|JSON\s?Schema|"
    r"iCalendar|Outlook|CSV|csv|utf|UTF|BOM|HTML|html|svg|png|PNG|ID|Ctrl|C|src|README|fragment|A4|x|y|z)\b"
)


def _english_words(text: str, typed: list[str] = ()) -> list[str]:
    """Latin words left once code, ids, file and option names, and what the user typed, are taken out."""
    from djxz.cli import COMMANDS

    for word in typed:
        text = text.replace(word, " ")
    commands = re.compile(r"\b(?:" + "|".join([*COMMANDS, "activity", "unit", "document", "need", "project"]) + r")\b")
    rest = ALLOWED.sub(" ", commands.sub(" ", text))
    return [w for w in re.findall(r"[A-Za-z]{2,}", rest)]


def _every_help(args: list[str] = ()) -> list[list[str]]:
    from djxz.cli import COMMANDS

    out = [["--help"]]
    for name in COMMANDS:
        out.append([name, "--help"])
    out += [["new", sub, "--help"] for sub in ("activity", "unit", "document")]
    return out


WRONG = [
    ["nosuch"], ["status", "--bogus"], ["status", "extra"], ["status", "--year", "abc"], ["status", "--year", "1800"],
    ["who", "--zone"], ["new"], ["new", "nosuch"], ["log"], ["new", "unit", "--bogus"], ["check", "--strict=yes"],
    ["brief", "--half-year", "--format"], ["init"], ["status", "--stat"],
]


def test_help_and_usage_errors_speak_only_chinese(mini_zone: Path) -> None:
    for args in [*_every_help(), *WRONG]:
        code, out, err = run_cli(*args, cwd=mini_zone)
        text = out + err
        assert code in (0, 2), (args, text)
        words = _english_words(text, args)
        assert not words, (args, words, text)
    # The usage errors say what went wrong in Chinese, with the option concerned.
    assert "没有这个选项：--bogus" in run_cli("status", "--bogus", cwd=mini_zone)[2]
    assert "选项 --zone / -z 需要一个值" in run_cli("who", "--zone", cwd=mini_zone)[2] or \
        "选项 --zone 需要一个值" in run_cli("who", "--zone", cwd=mini_zone)[2]
    assert "多余的参数：extra" in run_cli("status", "extra", cwd=mini_zone)[2]
    assert "范围 1990 至 2100" in run_cli("status", "--year", "1800", cwd=mini_zone)[2]
    help_text = run_cli("new", "unit", "--help")[1]
    assert help_text.startswith("用法：djxz new unit [选项]") and "显示此帮助并退出" in help_text and "选项" in help_text


def test_status_at_80_columns_keeps_every_duty_name_whole(example_zone: Path, tmp_path: Path) -> None:
    from djxz.app.status import load_status
    import datetime as dt

    env = {**os.environ, "COLUMNS": "80", "DJXZ_TODAY": EXAMPLE_TODAY}
    proc = subprocess.run(f"{sys.executable} -m djxz status --zone {example_zone} | cat", shell=True, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 80  # a Chinese character takes two columns
    day = dt.date.fromisoformat(EXAMPLE_TODAY)
    report = load_status(example_zone, day, day, None, None)
    titles = {d.title for d in report.duties}
    assert len(titles) >= 5
    for title in titles:
        assert any(title in line for line in lines), title


def test_pinyin_ids_follow_the_rule_on_every_unit_of_the_example() -> None:
    from djxz.domain.ids import unit_id
    from djxz.load.loader import load_zone

    zone, _ = load_zone(ROOT / "data")
    # Ids chosen by hand before the rule, kept (docs/ids.md): 口岸 from the full name, 师范 for 师院.
    exceptions = {"dulata-kouan": "dulata-jianchazhan", "hegu-shifan": "hegu-shiyuan"}
    for unit in zone.units.values():
        assert unit_id(unit.short_name, unit.type) == exceptions.get(unit.id, unit.id), unit.short_name
    assert unit_id("塔什库尔干站", "站所") == "tashikuergan-zhan"  # 什 is shi in the place name, not shen


def test_activity_slug_and_collisions() -> None:
    from djxz.domain.ids import activity_slug, free_id

    assert activity_slug("1月份党建座谈会：“十五五”开局之年的支部工作思路") == "dangjian-zuotan"
    assert activity_slug("联片党课：学习新修订条例") == "lianpian-dangke"
    assert activity_slug("𠮷😀") == ""
    assert free_id("a", {"a", "a-2"}) == "a-3" and free_id("b", set()) == "b"


def test_acceptance_new_unit_proposes_the_id_and_joins_the_rotation(example_zone: Path) -> None:
    args = ["new", "unit", "--name", "塔什库尔干边境管理站", "--short-name", "塔什库尔干站", "--type", "站所",
            "--joined", "2026-11-01", "--zone", str(example_zone)]
    before = (example_zone / "zone.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert (example_zone / "units/tashikuergan-zhan.yaml").exists()
    assert "没有加入轮值顺序" in out and "--rotation append" in out  # not on a terminal: warned, zone.yaml untouched
    assert (example_zone / "zone.yaml").read_text(encoding="utf-8") == before
    code, out, _ = run_cli("check", "--strict", "--format", "json", "--zone", str(example_zone))
    assert '"DJX202"' in out and "tashikuergan-zhan" in out
    # Again as another unit, joining the order at the end: exactly one line more in zone.yaml, after dulata-kouan.
    code, out, err = run_cli("new", "unit", "--name", "红其拉甫边境检查站", "--short-name", "红其拉甫检查站", "--type", "站所",
                             "--joined", "2026-11-01", "--rotation", "append", "--zone", str(example_zone))
    assert code == 0, err
    after = (example_zone / "zone.yaml").read_text(encoding="utf-8")
    assert after == before.replace("      - dulata-kouan\n", "      - dulata-kouan\n      - hongqilafu-jianchazhan\n")
    assert "已加入轮值顺序第 7 位" in out
    # The same short name again is refused (two units may not share one, DJX118); the numeric suffix for a taken id
    # is shown by test_import_proposes_pinyin_ids_for_units_without_one. --id overrides the proposal.
    code, out, err = run_cli(*args, "--dry-run")
    assert code == 1 and "DJX118" in out + err
    code, out, _ = run_cli("new", "unit", "--name", "塔县边境管理站", "--short-name", "塔县站", "--type", "站所",
                           "--joined", "2026-11-01", "--id", "taxian-zhan", "--zone", str(example_zone), "--dry-run")
    assert "units/taxian-zhan.yaml" in out


def test_guided_entry_checks_each_answer_at_once(mini_zone: Path) -> None:
    import datetime as dt

    from djxz.cli.guided import Asker, count_parser, date_parser, units_parser

    answers = iter(["2030-01-01", "2026-11-18", "阿尔法站", "alpha，乙站", "九", "12", "7", "2"])
    asked: list[str] = []

    def read(question: str, default: str | None) -> str:
        asked.append(question)
        return next(answers)

    ask = Asker(ask=True, read=read)
    names = {"alpha": "alpha", "甲站": "alpha", "beta": "beta", "乙站": "beta"}
    day = ask.value(None, "--date", "活动日期", date_parser("--date", dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    hosts = ask.value(None, "--host", "主办单位", units_parser("--host", names))
    count = ask.value(None, "--attendance", "参加人数", count_parser("--attendance"))
    category = ask.choice(None, "--category", "“五共”类别", ("组织共建", "发展共谋"))
    # 2030 is out of range, 阿尔法站 is no unit, 九 is no number, 7 is no choice: each asked again at once.
    assert (day, hosts, count, category) == (dt.date(2026, 11, 18), ["alpha", "beta"], 12, "发展共谋")
    assert asked.count("活动日期") == 2 and asked.count("主办单位") == 2 and asked.count("参加人数") == 2
    # Not on a terminal: nothing asked, every missing option named in one error.
    quiet = Asker(ask=False)
    quiet.text(None, "--title", "活动标题")
    quiet.choice(None, "--kind", "活动形式", ("a", "b"))
    with pytest.raises(Exception, match="--title（活动标题）、--kind（活动形式）"):
        quiet.finish()


def test_new_document_is_recorded_once(example_zone: Path) -> None:
    args = ["new", "document", "--kind", "会议纪要", "--date", "2026-11-20", "--title", "协作区联席会议纪要",
            "--period", "2026-11", "--zone", str(example_zone)]
    code, out, err = run_cli(*args)
    assert code == 0, err
    path = example_zone / "documents/2026/2026-11-20-huiyi-jiyao.yaml"
    text = path.read_text(encoding="utf-8")
    assert "kind: 会议纪要\n" in text and "period: 2026-11\n" in text or "period: '2026-11'\n" in text
    code, out, _ = run_cli(*args)
    assert code == 0 and "没有重复登记" in out
    assert len(list((example_zone / "documents/2026").glob("2026-11-20-*.yaml"))) == 1
    code, _, err = run_cli("new", "document", "--kind", "信息简报", "--date", "2026-11-20", "--title", "简报",
                           "--zone", str(example_zone))
    assert code == 2 and "--number" in err


def test_zone_option_on_schema_and_init(example_zone: Path, tmp_path: Path) -> None:
    code, out, err = run_cli("schema", "--zone", str(example_zone))
    assert code == 0, err
    assert (example_zone.parent / "schemas" / "unit.schema.json").exists()
    code, _, err = run_cli("init", "--zone", str(tmp_path / "fresh"))
    assert code == 0, err and (tmp_path / "fresh" / "data" / "zone.yaml").exists()


def test_yaml_reasons_are_chinese_with_the_fix() -> None:
    from djxz.load.yamlread import parse_bytes

    def first(text: str):
        return parse_bytes(text.encode("utf-8"), "units/a.yaml").diagnostics[0]

    d = first("id: a\nname:伊宁站\nshort_name: b\n")
    assert (d.src.line, d.message) == (2, "YAML 语法错误：冒号后缺少空格") and "键: 值" in d.hint
    d = first("id: a\n  name: b\n x: 1\n")
    assert d.message.startswith("YAML 语法错误：") and not re.search(r"[A-Za-z]{3,}", d.message[4:])
    d = first("a: [1, 2\nb: 3\n")
    assert d.message == "YAML 语法错误：方括号中的列表项之间缺少逗号"
    for text in ("a: 'x\n", "a: &x 1\nb: *y\n", "- a\nb: 1\n", "a: b: c\n", "{a: 1\n"):
        d = first(text)
        assert not re.search(r"[A-Za-z]{3,}", d.message.replace("YAML", "")), (text, d.message)


def test_git_failures_say_in_chinese_what_to_do(tmp_path: Path) -> None:
    from djxz.vcs import explain_failure

    assert explain_failure("log", "fatal: your current branch 'main' does not have any commits yet", 128) == (
        "git log 失败：仓库里还没有任何提交。先提交一次（git add . && git commit），再运行")
    unknown = explain_failure("push", "fatal: something nobody has seen", 128)
    assert unknown.startswith("git push 失败（退出码 128）") and "git status" in unknown and "fatal" not in unknown
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    code, out, err = run_cli("init", str(tmp_path / "z"))
    assert code == 0, err
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path / "repo", check=True)


def test_import_proposes_pinyin_ids_for_units_without_one(mini_zone: Path, tmp_path: Path) -> None:
    from test_import import new_files, snapshot, workbook

    # A unit already holds the id the rule gives 塔什库尔干站 (short names must differ, DJX118): the import takes -2.
    (mini_zone / "units/tashikuergan-zhan.yaml").write_text(
        "id: tashikuergan-zhan\nname: 塔县边境管理站\nshort_name: 塔县站\ntype: 站所\nrole: 共建单位\njoined: 2024-05-01\n",
        encoding="utf-8")
    headers = ["单位编号", "全称", "简称", "单位类型", "身份", "加入日期"]
    rows = [
        [None, "塔什库尔干边境管理站", "塔什库尔干站", "站所", "共建单位", "2025-05-01"],
        ["given-id", "另一站", "另一站", "站所", "共建单位", "2025-05-01"],
    ]
    book = workbook(tmp_path / "单位.xlsx", rows, headers)
    before = snapshot(mini_zone)
    code, out, err = run_cli("import", "units", str(book), "--zone", str(mini_zone))
    assert code == 0, err
    assert sorted(new_files(before, mini_zone)) == ["units/given-id.yaml", "units/tashikuergan-zhan-2.yaml"]
