"""The structured fuzzer, pointed at the command line: every command with every option, dates and periods included.

Values are drawn per option type: real dates, far ones (0001, 9999), impossible ones, Unicode digits, periods of every
kind, years out of range, negative counts, path-like and empty text. Whatever comes, djxz answers (0), refuses the data
(1) or the usage (2), in Chinese, without a traceback: exit 3 is only for bugs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI_ZONE, run_cli, write_zone

DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9998-06-01", "9999-12-31", "0001-01-01", "1999-12-31", "2200-01-01", "2023-02-29", "2024-13-01",
                     "２０２４-01-01", "2024-1-1", "2024-06-01T00:00", "", "昨天"]),
)
YEARS = st.one_of(st.integers(-5, 10_000).map(str), st.sampled_from(["２０２４", "2024.5", "", "-0"]))
PERIODS = st.one_of(
    st.sampled_from(["2024", "2024-H1", "2024-H3", "2024-Q4", "2024-Q5", "2024-03", "2024-13", "2024-W53", "2024-W54",
                     "9999", "0000", "２０２４-H1"]),
    st.text(max_size=12),
)
TEXT = st.one_of(st.text(max_size=20), st.sampled_from(["../../etc/passwd", "-", "--", "a/b", "\x1b[31m", "alpha"]))
INTS = st.integers(-3, 100_000).map(str)

# Each command: fixed arguments, and its options with what to feed them.
COMMANDS = {
    "check": ([], {"--as-of": DATES, "--format": st.sampled_from(["text", "json", "github", "xml"]), "--strict": None}),
    "who": ([], {"--date": DATES, "--year": YEARS, "--next": INTS, "--format": st.sampled_from(["text", "json", "x"])}),
    "status": ([], {"--as-of": DATES, "--year": YEARS, "--unit": TEXT, "--format": st.sampled_from(["text", "json"])}),
    "brief": (["--annual"], {"--year": YEARS, "--date": DATES, "--format": st.sampled_from(["md", "docx", "md,docx", "pdf"]),
                             "--template": TEXT}),
    "bulletin": (["2024-03-15-dangke"], {"--date": DATES, "--format": st.sampled_from(["md", "x"]), "--template": TEXT}),
    "rotate": (["--dry-run"], {"--year": YEARS, "--format": st.sampled_from(["text", "json"]), "--branch": TEXT}),
    "calendar": (["--output", "-"], {"--year": YEARS}),
    "export": ([], {"--year": YEARS, "--as-of": DATES, "--out": st.sampled_from(["x.xlsx", "x.txt", ""])}),
    "new": (["activity", "--dry-run"], {"--date": DATES, "--title": TEXT, "--category": TEXT, "--kind": TEXT,
                                        "--host": TEXT, "--slug": TEXT}),
    "log": (["alpha"], {"--format": st.sampled_from(["text", "json", "md"])}),
    "diff": ([], {"--format": st.sampled_from(["text", "md", "json", "x"])}),
}


@st.composite
def command_lines(draw) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    fixed, options = COMMANDS[name]
    args = [name, *fixed]
    for option in draw(st.lists(st.sampled_from(sorted(options)), max_size=4, unique=True)):
        strategy = options[option]
        args += [option] if strategy is None else [option, draw(strategy)]
    if name == "diff":
        args[1:1] = draw(st.sampled_from([["HEAD~1", "HEAD"], ["HEAD"], ["no-such-rev"], []]))
    return args


@settings(max_examples=int(os.environ.get("DJXZ_FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(args=command_lines())
def test_every_command_and_option_answers_or_refuses_cleanly(tmp_path_factory, args: list[str]) -> None:
    from gitrepo import commit_all, make_repo

    base = tmp_path_factory.getbasetemp() / "fuzz-cli-zone"
    if not base.exists():
        repo = make_repo(base, MINI_ZONE)
        (repo / "data/units/alpha.yaml").write_text(MINI_ZONE["units/alpha.yaml"].replace("甲站党委", "甲站委员会"), encoding="utf-8")
        commit_all(repo, "A second revision for diff")
    code, out, err = run_cli(*args, "--zone", str(base / "data"), cwd=base)
    assert "Traceback" not in out + err and "内部错误" not in err, (args, err)
    assert code in (0, 1, 2), (args, code, err)
    if code == 2:
        assert "错误" in err, (args, err)
    elif code == 1:
        assert (out + err).strip(), (args, out, err)  # a refusal or the problems found, never silence
