"""Round trips: the editing commands change exactly what they mean to, in files formatted any way a clerk might.

zone.yaml is generated from the mini zone's content with random formatting: comments on their own lines (at any
indentation) and after values, blank lines, plain, single- and double-quoted scalars, shuffled key order, flow and block
lists, lists indented under their key or not, CRLF line ends, a BOM. Then:

- the turn append behind `djxz rotate` only inserts text: one contiguous insertion, every other character as it was,
  the file reads back as the old data plus exactly the new turn, and `djxz check` accepts the zone;
- `djxz rotate` itself (the CLI) only inserts into zone.yaml (whole added lines when the turns are a block list),
  creates plans/<year>.yaml, touches nothing else, and `djxz check` accepts what it wrote; run again, it changes nothing;
  a rotation written as a one-line flow mapping is refused in so many words, with nothing written;
- `djxz new` leaves every existing file byte-identical, adds exactly one file, and `djxz check` accepts it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_ZONE, run_cli, write_zone

ZONE_DATA = {
    "name": "测试协作区",
    "short_name": "测试区",
    "established": ("date", "2023-03-01"),
    "city_committee": "中共测试市委",
    "political_office": "测试总站政治处",
    "lead_unit": "lead",
    "leading_group": {
        "leader": {"name": "张三", "unit": "lead", "title": "党委书记"},
        "deputies": [{"name": "李四", "unit": "alpha"}],
        "members": [{"name": "王五", "unit": "beta"}],
    },
    "office": {"unit": "lead", "director": {"name": "赵六", "unit": "lead"}},
    "rotations": [{
        "name": "duty",
        "title": "轮值单位",
        "period": "year",
        "order": ["alpha", "beta", "gamma"],
        "turns": [{"period": ("period", "2023"), "unit": "alpha"}, {"period": ("period", "2024"), "unit": "beta", "note": "第一次联席会议确定"}],
    }],
}
COMMENTS = ["# 注释", "# 说明：按方案第二部分", "#紧贴的注释", "# turns: 这不是字段", "# - period: '2030'"]
SETTINGS = settings(max_examples=int(os.environ.get("DJXZ_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Emitter:
    """Writes ZONE_DATA as YAML text, drawing every formatting choice from hypothesis."""

    def __init__(self, data) -> None:
        self.draw = data.draw
        self.seq_indent = data.draw(st.sampled_from([0, 2]), label="sequence indent")
        self.lines: list[str] = []

    def scalar(self, value, flow: bool = False) -> str:
        kind, text = value if isinstance(value, tuple) else ("str", value)
        if kind == "date":
            return text
        styles = ["single", "double"] if kind == "period" else ["plain", "plain", "single", "double"]
        style = self.draw(st.sampled_from(styles))
        if style == "single":
            return "'" + text.replace("'", "''") + "'"
        if style == "double":
            return '"' + text + '"'
        return text

    def comment(self) -> str:
        return "  " + self.draw(st.sampled_from(COMMENTS)) if self.draw(st.integers(0, 5)) == 0 else ""

    def line(self, text: str, trailing: bool = True) -> None:
        self.lines.append(text + (self.comment() if trailing else ""))

    def keys(self, mapping: dict, shuffle: bool) -> list[str]:
        keys = list(mapping)
        return self.draw(st.permutations(keys)) if shuffle and self.draw(st.booleans()) else keys

    def flow(self, value) -> str:
        if isinstance(value, dict):
            keys = self.keys(value, True)
            return "{" + ", ".join(f"{k}: {self.flow(value[k])}" for k in keys) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        return self.scalar(value, flow=True)

    def mapping(self, mapping: dict, indent: int, shuffle: bool, first_prefix: str | None = None) -> None:
        for i, key in enumerate(self.keys(mapping, shuffle)):
            prefix = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
            self.entry(prefix, key, mapping[key], indent)

    def entry(self, prefix: str, key: str, value, indent: int) -> None:
        if isinstance(value, dict):
            if self.draw(st.integers(0, 4)) == 0:
                self.line(f"{prefix}{key}: {self.flow(value)}")
                return
            self.line(f"{prefix}{key}:")
            self.mapping(value, indent + 2, shuffle=True)
        elif isinstance(value, list):
            if self.draw(st.integers(0, 2)) == 0:
                self.line(f"{prefix}{key}: {self.flow(value)}")
                return
            self.line(f"{prefix}{key}:")
            dash = indent + self.seq_indent
            for item in value:
                if isinstance(item, dict):
                    if self.draw(st.integers(0, 4)) == 0:
                        self.line(" " * dash + "- " + self.flow(item))
                    else:
                        self.mapping(item, dash + 2, shuffle=True, first_prefix=" " * dash + "- ")
                else:
                    self.line(" " * dash + "- " + self.scalar(item))
        else:
            self.line(f"{prefix}{key}: {self.scalar(value)}")

    def text(self) -> str:
        self.line("# 测试用协作区（格式随机）", trailing=False)
        self.mapping(ZONE_DATA, 0, shuffle=True)
        out: list[str] = []
        for text in self.lines:  # comments on their own lines, at any indentation, and blank lines, between any two
            out.append(text)
            extra = self.draw(st.integers(0, 8))
            if extra == 0:
                out.append(" " * self.draw(st.integers(0, 8)) + self.draw(st.sampled_from(COMMENTS)))
            elif extra == 1:
                out.append("")
        newline = "\r\n" if self.draw(st.integers(0, 4)) == 0 else "\n"
        bom = "\ufeff" if self.draw(st.integers(0, 5)) == 0 else ""
        return bom + newline.join(out) + newline


def zone_text(data) -> str:
    return Emitter(data).text()


def turns_of(root: Path) -> list[tuple[str, str, str | None]]:
    from djxz.load.loader import load_zone

    zone, diagnostics = load_zone(root)
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    return [(t.period, t.unit, t.note) for t in zone.info.rotations[0].turns]


def only_inserted(old: str, new: str) -> str:
    """The one piece of text `new` adds to `old` (new = old[:k] + piece + old[k:]); fails when anything else changed."""
    prefix = len(os.path.commonprefix([old, new]))
    suffix = len(os.path.commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    assert prefix + suffix == len(old) and len(new) > len(old), difflib.unified_diff(old.splitlines(), new.splitlines())
    return new[prefix:len(new) - suffix]


def _rotation(text: str):
    import yaml

    root = yaml.compose(text)
    rotations = next(v for k, v in root.value if k.value == "rotations")
    return rotations, rotations.value[0]


def rotation_is_flow(text: str) -> bool:
    rotations, rotation = _rotation(text)
    return rotations.flow_style or rotation.flow_style


def turns_are_flow(text: str) -> bool:
    _, rotation = _rotation(text)
    return next(v for k, v in rotation.value if k.value == "turns").flow_style


@SETTINGS
@given(data=st.data(), note=st.sampled_from([None, "承担重大任务顺延", "it's: 引号"]))
def test_adding_a_turn_only_inserts_it(tmp_path_factory, data, note) -> None:
    from djxz.edit.rotation_edit import add_turn
    from djxz.errors import DataError

    root = write_zone(tmp_path_factory.mktemp("rt") / "zone", MINI_ZONE)
    old = zone_text(data)
    (root / "zone.yaml").write_bytes(old.encode("utf-8"))
    before = turns_of(root)
    assert before == [("2023", "alpha", None), ("2024", "beta", "第一次联席会议确定")]

    if rotation_is_flow(old):  # `- {name: duty, ...}` on one line: refused in so many words, nothing to splice into
        with pytest.raises(DataError, match="单行形式"):
            add_turn(old, "duty", "2025", "gamma", note)
        return
    new = add_turn(old, "duty", "2025", "gamma", note)
    added = only_inserted(old, new)
    assert "2025" in added and "gamma" in added
    if "\r\n" in old:
        assert "\n" not in added.replace("\r\n", "")
    (root / "zone.yaml").write_bytes(new.encode("utf-8"))
    assert turns_of(root) == before + [("2025", "gamma", note)]
    assert add_turn(new, "duty", "2025", "gamma", note) == new
    code, out, err = run_cli("check", "--zone", str(root))
    assert code == 0, out + err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_rotate_changes_zone_yaml_by_added_lines_only(tmp_path_factory, data) -> None:
    root = write_zone(tmp_path_factory.mktemp("rot") / "zone", MINI_ZONE)
    old = zone_text(data).encode("utf-8")
    (root / "zone.yaml").write_bytes(old)
    others = {p: p.read_bytes() for p in root.rglob("*.yaml") if p.name != "zone.yaml"}

    code, out, err = run_cli("rotate", "--year", "2025", "--zone", str(root))
    if rotation_is_flow(old.decode("utf-8")):
        assert code == 1 and "单行形式" in err and (root / "zone.yaml").read_bytes() == old, err
        assert not (root / "plans").exists()
        return
    assert code == 0, err
    new = (root / "zone.yaml").read_bytes()
    only_inserted(old.decode("utf-8"), new.decode("utf-8"))
    if not turns_are_flow(old.decode("utf-8")):  # block turns: whole lines added, no line touched
        lines = [l for l in difflib.ndiff(old.decode("utf-8").splitlines(), new.decode("utf-8").splitlines()) if l[:1] in "+-?"]
        assert lines and all(l.startswith("+ ") for l in lines), lines
    assert {p: p.read_bytes() for p in others} == others
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml")) == sorted(
        [p.relative_to(root).as_posix() for p in others] + ["zone.yaml", "plans/2025.yaml"])
    assert run_cli("check", "--zone", str(root))[0] == 0
    again = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    assert run_cli("rotate", "--year", "2025", "--zone", str(root))[0] == 0
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == again


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), title=st.sampled_from(["联片党课", "{{ 7*7 }}：学习", "党课: “二十大” # 不是注释", "'引号' \"双引号\""]),
       kind=st.sampled_from(["activity", "unit"]))
def test_new_adds_one_file_and_leaves_every_other_byte(tmp_path_factory, data, title, kind) -> None:
    root = write_zone(tmp_path_factory.mktemp("new") / "zone", MINI_ZONE)
    (root / "zone.yaml").write_bytes(zone_text(data).encode("utf-8"))
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    if kind == "activity":
        args = ["new", "activity", "--date", "2026-11-20", "--title", title, "--category", "组织共建", "--kind", "联片党课",
                "--host", "beta", "--participant", "alpha,gamma", "--summary", title + "\n第二段。"]
    else:
        args = ["new", "unit", "--id", "delta", "--name", title, "--short-name", "丁站", "--type", "站所", "--joined", "2026-11-01"]
    code, out, err = run_cli(*args, "--zone", str(root))
    assert code == 0, err
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    added = sorted(set(after) - set(before))
    assert len(added) == 1 and {k: after[k] for k in before} == before, added
    code, out, err = run_cli("check", "--zone", str(root))
    assert code == 0, out + err
    from djxz.load.loader import load_zone

    zone, _ = load_zone(root)
    record = zone.activities[-1] if kind == "activity" else zone.units["delta"]
    assert (record.title if kind == "activity" else record.name) == title
