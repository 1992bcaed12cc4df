"""Hostile input of issue 15: Unicode digits, duplicate identities, far dates, a closed stdout, templates that escape
their folder or allocate before a limit, and office files built to explode."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_ZONE, ROOT, run_cli, write_zone

from djxz.domain.periods import parse_period
from djxz.load.loader import parse_record

# -- scalars: only ASCII digits, and the whole text ---------------------------------------------------------------------

# Full-width, Arabic-Indic, extended Arabic-Indic, Devanagari, superscripts, mathematical bold: each maps 0-9.
UNICODE_DIGITS = {
    "fullwidth": "０１２３４５６７８９",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "math-bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
}

# Every pattern-checked field, in a file that is valid as written: (kind, file, the text with {v}, the valid value).
UNIT = "id: {v}\nname: 甲站党委\nshort_name: 甲站\ntype: 站所\nrole: 成员单位\njoined: 2023-03-01\n"
FIELDS = {
    "unit id": ("unit", "units/{v}.yaml", UNIT, "a1"),
    "unit joined (date)": ("unit", "units/a.yaml", UNIT.replace("id: {v}", "id: a").replace("2023-03-01", "{v}"), "2023-03-01"),
    "plan year (int)": ("plan", "plans/2025.yaml", "year: {v}\nduty_unit: alpha\n", "2025"),
    "plan item month": ("plan", "plans/2025.yaml",
                        "year: 2025\nduty_unit: alpha\nitems:\n  - id: p1\n    title: 座谈\n    month: {v}\n    category: 组织共建\n    kind: 月度党建座谈\n",
                        "2025-03"),
    "activity date": ("activity", "activities/2024/x.yaml",
                      "id: 2024-03-15-x\ndate: {v}\ntitle: 党课\ncategory: 组织共建\nkind: 联片党课\nhosts:\n  - alpha\nsummary: 好。\n",
                      "2024-03-15"),
    "activity attendance (int)": ("activity", "activities/2024/x.yaml",
                                  "id: 2024-03-15-x\ndate: 2024-03-15\ntitle: 党课\ncategory: 组织共建\nkind: 联片党课\nhosts:\n  - alpha\nsummary: 好。\nattendance: {v}\n",
                                  "60"),
}


def _load(kind: str, rel: str, text: str):
    return parse_record(text.encode("utf-8"), rel, kind)


def test_every_field_template_is_valid_with_ascii_digits() -> None:
    for name, (kind, rel, text, value) in FIELDS.items():
        record, diags = _load(kind, rel.format(v=value), text.format(v=value))
        assert record is not None and not [d for d in diags if d.severity == "error"], (name, diags)


@settings(max_examples=int(os.environ.get("DJXZ_FUZZ_EXAMPLES", "120")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(sorted(FIELDS)), script=st.sampled_from(sorted(UNICODE_DIGITS)), data=st.data())
def test_unicode_digits_never_pass_a_pattern_that_means_ascii(field: str, script: str, data) -> None:
    kind, rel, text, value = FIELDS[field]
    places = [i for i, c in enumerate(value) if c in "0123456789"]
    chosen = data.draw(st.sets(st.sampled_from(places), min_size=1))
    digits = UNICODE_DIGITS[script]
    hostile = "".join(digits[int(c)] if i in chosen else c for i, c in enumerate(value))
    record, diags = _load(kind, rel.format(v=value), text.format(v=f"'{hostile}'" if kind != "unit" or "id" not in field else hostile))
    assert record is None or any(d.severity == "error" for d in diags), (field, hostile)


@pytest.mark.parametrize("text", ["２０２４", "٢٠٢٤-H1", "2024-Q١", "2024-0３", "2024-W０5", "²⁰²⁴", "2024-H1x", "x2024"])
def test_periods_are_ascii_and_whole(text: str) -> None:
    assert parse_period(text) is None


def test_a_trailing_newline_is_not_a_date(tmp_path: Path) -> None:
    record, diags = _load("unit", "units/a.yaml", UNIT.replace("id: {v}", "id: a").replace("2023-03-01", '"2023-03-01\\n"'))
    assert any(d.code == "DJX013" for d in diags), diags


def test_no_unicode_digit_class_or_isdigit_in_djxz() -> None:
    """The acceptance rule itself: `\\d` and isdigit() accept every script's digits; djxz means ASCII everywhere."""
    offenders = []
    for path in sorted((ROOT / "djxz").rglob("*.py")):
        if path.name == "cache.py":  # owned by issue 21 (being replaced), and it matches no digits
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if "\\d" in code or ".isdigit()" in code or ".isnumeric()" in code:
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


# -- identity -----------------------------------------------------------------------------------------------------------

def _check_json(root: Path) -> list[dict]:
    import json

    code, out, err = run_cli("check", "--format", "json", "--zone", str(root))
    return json.loads(out)["diagnostics"]


def test_a_second_unit_file_with_a_taken_id_names_both_files(tmp_path: Path) -> None:
    # units/alpha.yaml and units/alpha-copy.yaml both say `id: alpha`: the copy used to vanish without a word.
    copy = MINI_ZONE["units/alpha.yaml"].replace("name: 甲站党委", "name: 甲站党委（新）").replace("short_name: 甲站", "short_name: 新甲站")
    root = write_zone(tmp_path / "zone", {**MINI_ZONE, "units/alpha-copy.yaml": copy})
    found = [d for d in _check_json(root) if d["code"] == "DJX116"]
    assert len(found) == 1, found
    # files are read in name order: alpha-copy.yaml ("-" sorts before ".") is kept, alpha.yaml is the second
    assert found[0]["path"].endswith("units/alpha.yaml") and found[0]["line"] == 1
    assert "units/alpha-copy.yaml:1:" in found[0]["message"]


def test_two_plans_for_one_year_name_both_files(tmp_path: Path) -> None:
    plan = "year: 2024\nduty_unit: beta\n"
    root = write_zone(tmp_path / "zone", {**MINI_ZONE, "plans/2024.yaml": plan, "plans/2024-b.yaml": "# 第二份\n" + plan})
    found = [d for d in _check_json(root) if d["code"] == "DJX117"]
    assert len(found) == 1, found
    # 2024-b.yaml sorts first and is kept; 2024.yaml is the second, `year:` on line 1; the first's is on line 2
    assert found[0]["path"].endswith("plans/2024.yaml") and found[0]["line"] == 1
    assert "plans/2024-b.yaml:2:" in found[0]["message"]


def test_a_repeated_unit_name_or_short_name_names_both_files(tmp_path: Path) -> None:
    delta = MINI_ZONE["units/gamma.yaml"].replace("id: gamma", "id: delta").replace("丙站党委", "甲站党委").replace("丙站", "乙站")
    root = write_zone(tmp_path / "zone", {**MINI_ZONE, "units/delta.yaml": delta})
    found = sorted((d["message"], d["path"], d["line"]) for d in _check_json(root) if d["code"] == "DJX118")
    # delta repeats alpha's full name (line 2) and beta's short name (line 3); alpha and beta come first by path
    assert [(p.endswith("units/delta.yaml"), line) for _, p, line in found] == [(True, 3), (True, 2)] or \
        [(p.endswith("units/delta.yaml"), line) for _, p, line in found] == [(True, 2), (True, 3)], found
    assert any("units/alpha.yaml:2:" in m for m, _, _ in found) and any("units/beta.yaml:3:" in m for m, _, _ in found)


def test_a_repeated_bulletin_number_names_both_files(tmp_path: Path) -> None:
    doc = ("id: 2024-03-0{n}-jianbao\nkind: 信息简报\ndate: 2024-03-0{n}\ntitle: 简报\nnumber: 1\nissuer: lead\n")
    root = write_zone(tmp_path / "zone", {**MINI_ZONE, "documents/2024/2024-03-01-jianbao.yaml": doc.format(n=1),
                                           "documents/2024/2024-03-02-jianbao.yaml": doc.format(n=2)})
    found = [d for d in _check_json(root) if d["code"] == "DJX110"]
    assert len(found) == 1 and found[0]["path"].endswith("2024-03-02-jianbao.yaml") and found[0]["line"] == 5, found
    assert "2024-03-01-jianbao.yaml:1:" in found[0]["message"]


def test_a_file_name_that_is_not_utf8_is_an_error_naming_its_bytes(tmp_path: Path) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    with open(os.path.join(os.fsencode(root / "units"), b"\xb2\xe2\xca\xd4.yaml"), "wb") as fh:  # 测试 in GBK
        fh.write(MINI_ZONE["units/alpha.yaml"].encode("utf-8"))
    for command in (["check"], ["who"]):
        code, out, err = run_cli(*command, "--zone", str(root))
        assert "Traceback" not in err and "内部错误" not in err, err
    code, out, err = run_cli("check", "--zone", str(root))
    assert code == 1 and "units/\\xb2\\xe2\\xca\\xd4.yaml" in out and "DJX019" in out, out


# -- exit 3 only for bugs -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["who", "--date", "9998-06-01"], ["who", "--date", "0001-01-01"], ["status", "--as-of", "9999-12-31"],
    ["check", "--as-of", "9999-12-31"], ["export", "--year", "2024", "--as-of", "9999-12-31", "--out", "x.xlsx"],
    ["brief", "--annual", "--year", "2024", "--date", "9999-12-31"],
    ["new", "activity", "--date", "9999-01-01", "--title", "x", "--category", "组织共建", "--kind", "联片党课", "--host", "beta"],
])
def test_a_far_date_is_a_usage_error_naming_the_range(tmp_path: Path, args: list[str]) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    code, out, err = run_cli(*args, "--zone", str(root), cwd=tmp_path)
    assert code == 2 and "2000-01-01 至 2199-12-31" in err, (code, err)
    assert not (tmp_path / "x.xlsx").exists() and not (root / "out").exists()


def test_a_far_djxz_today_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    monkeypatch.setenv("DJXZ_TODAY", "9999-12-30")
    code, _, err = run_cli("who", "--zone", str(root))
    assert code == 2 and "DJXZ_TODAY" in err and "2199-12-31" in err, err


@pytest.mark.parametrize("command", [["who"], ["check"], ["status", "--year", "2024"], ["calendar", "--year", "2024", "--output", "-"]])
def test_a_closed_stdout_ends_quietly(tmp_path: Path, command: list[str]) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    env = {**os.environ, "DJXZ_TODAY": "2024-06-01", "PYTHONPATH": str(ROOT)}
    read, write = os.pipe()
    os.close(read)  # `| head -0`: nobody will ever read
    proc = subprocess.run([sys.executable, "-m", "djxz", *command, "--zone", str(root)], stdout=write,
                          stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    os.close(write)
    assert proc.returncode == 1 and proc.stderr == "", proc.stderr


# -- templates ----------------------------------------------------------------------------------------------------------

def _template_zone(tmp_path: Path) -> Path:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "templates").mkdir()
    (tmp_path / "secret.txt").write_text("SECRET-KEY-MATERIAL\n", encoding="utf-8")
    return root


def _brief_with(root: Path, template: str) -> tuple[int, str]:
    code, _, err = run_cli("brief", "--annual", "--year", "2024", "--format", "md", "--template", template, "--zone", str(root))
    return code, err


def test_an_include_through_a_symlink_is_refused(tmp_path: Path) -> None:
    root = _template_zone(tmp_path)
    (root / "templates/part.md.j2").symlink_to(tmp_path / "secret.txt")
    (root / "templates/evil.md.j2").write_text("{% include 'part.md.j2' %}\n", encoding="utf-8")
    code, err = _brief_with(root, "evil")
    assert code == 1 and "符号链接" in err and "SECRET" not in err, err
    assert not (root / "out").exists() or not any((root / "out").iterdir())


def test_a_template_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    root = _template_zone(tmp_path)
    (root / "templates/evil.md.j2").symlink_to(tmp_path / "secret.txt")
    code, err = _brief_with(root, "evil")
    assert code == 1 and "符号链接" in err, err


def test_a_templates_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.md.j2").write_text("{{ 1 }}\n", encoding="utf-8")
    (root / "templates").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = run_cli("brief", "--annual", "--year", "2024", "--format", "md", "--zone", str(root))
    assert code == 1 and "符号链接" in err, err


@pytest.mark.parametrize("body", [
    "{{ range(10000)|join('x' * 999999) }}",
    "{{ ('x' * 999999)|replace('x', 'yy' * 400000) }}",
    "{{ ('x\\n' * 400000)|indent(999999) }}",
    "{% set a = 'x' * 999999 %}{% set b = a ~ a %}{{ b }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ ('x' * 999999).join(range(10000)|map('string')|list) }}",
])
def test_a_template_that_would_allocate_gigabytes_is_stopped_first(tmp_path: Path, body: str) -> None:
    root = _template_zone(tmp_path)
    (root / "templates/evil.md.j2").write_text(body + "\n", encoding="utf-8")
    code, err = _brief_with(root, "evil")
    assert code == 1 and "限制" in err, err
    assert not (root / "out").exists() or not any((root / "out").iterdir())


# -- office files -------------------------------------------------------------------------------------------------------

def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "活动"
    book.active.append(["日期", "标题"])
    book.save(path)
    return path


def _rewrite(src: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info.filename)))
        for name, data in getattr(change, "extra", {}).items():
            zout.writestr(name, data)
    return out


def test_an_xlsx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    def change(name, data):
        return data

    change.extra = {"xl/media/pad.bin": b"\0" * (300 * 1024 * 1024)}  # 300 MB of zeros deflate to about 300 KB
    book = _rewrite(_workbook(tmp_path / "a.xlsx"), tmp_path / "bomb.xlsx", change)
    assert book.stat().st_size < 2 * 1024 * 1024
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    code, _, err = run_cli("import", "activities", str(book), "--zone", str(root), "--dry-run")
    assert code == 1 and "压缩炸弹" in err, err


def test_an_xlsx_with_too_many_members_is_refused(tmp_path: Path) -> None:
    def change(name, data):
        return data

    change.extra = {f"xl/media/{i}.bin": b"" for i in range(6000)}
    book = _rewrite(_workbook(tmp_path / "a.xlsx"), tmp_path / "many.xlsx", change)
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    code, _, err = run_cli("import", "activities", str(book), "--zone", str(root), "--dry-run")
    assert code == 1 and "6" in err and "上限" in err, err


def test_an_xml_entity_bomb_in_an_xlsx_is_refused(tmp_path: Path) -> None:
    lol = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(8)) + b"]>"

    def change(name, data):
        if name == "xl/workbook.xml":
            return data.replace(b"<workbook", lol + b"<workbook", 1).replace(b'name="', b'name="&i;', 1)
        return data

    book = _rewrite(_workbook(tmp_path / "a.xlsx"), tmp_path / "lol.xlsx", change)
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    code, _, err = run_cli("import", "activities", str(book), "--zone", str(root), "--dry-run")
    assert code == 1 and "实体" in err, err


def test_a_docx_template_bomb_is_refused(tmp_path: Path) -> None:
    root = write_zone(tmp_path / "zone", MINI_ZONE)
    (root / "templates").mkdir()
    with zipfile.ZipFile(root / "templates/evil.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (300 * 1024 * 1024))
    code, _, err = run_cli("brief", "--annual", "--year", "2024", "--format", "docx", "--template", "evil", "--zone", str(root))
    assert code == 1 and "压缩炸弹" in err, err


def test_djxz_declares_defusedxml() -> None:
    assert '"defusedxml' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
