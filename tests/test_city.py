"""`djxz city`: several zones side by side, with figures worked out by hand, and the charts it draws."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from conftest import EXAMPLE, MINI_ZONE, run_cli, write_zone

from djxz.app.city import city_rows
from djxz.domain.periods import Period
from djxz.report.city_context import build_city_context

TODAY = dt.date(2026, 3, 1)


def activity(act_id: str, category: str, host: str, attendance: int) -> str:
    day = act_id[:10]
    return f"""\
        id: {act_id}
        date: {day}
        title: 测试活动{act_id[-1]}
        category: {category}
        kind: 其他
        hosts:
          - {host}
        attendance: {attendance}
        summary: 测试。
        """


def zone(root: Path, name: str, acts: dict[str, tuple[str, str, int]]) -> Path:
    files = dict(MINI_ZONE)
    files["zone.yaml"] = MINI_ZONE["zone.yaml"].replace("name: 测试协作区", f"name: {name}").replace(
        "short_name: 测试区", f"short_name: {name[:2]}区")
    for act_id, (category, host, attendance) in acts.items():
        files[f"activities/{act_id[:4]}/{act_id}.yaml"] = activity(act_id, category, host, attendance)
    return write_zone(root, files)


@pytest.fixture
def two_zones(tmp_path: Path) -> list[Path]:
    # Zone 甲: 2025 has three activities (组织共建 by alpha 30, 文化共育 by beta 20, 组织共建 by alpha 10);
    # 2024 has MINI_ZONE's one (组织共建, beta hosting, alpha and gamma taking part, 60).
    a = zone(tmp_path / "a", "甲协作区", {
        "2025-03-01-huodong-1": ("组织共建", "alpha", 30),
        "2025-05-01-huodong-2": ("文化共育", "beta", 20),
        "2025-09-01-huodong-3": ("组织共建", "alpha", 10),
    })
    # Zone 乙: 2025 has three (组织共建 by lead 5, 文化共育 by alpha 15, 教育共抓 by beta 8); 2024 has four (MINI's
    # 60 and three more of 1 each), so 乙 fell from 4 to 3.
    b = zone(tmp_path / "b", "乙协作区", {
        "2025-02-01-huodong-1": ("组织共建", "lead", 5),
        "2025-06-01-huodong-2": ("文化共育", "alpha", 15),
        "2025-10-01-huodong-3": ("教育共抓", "beta", 8),
        "2024-04-01-huodong-4": ("组织共建", "alpha", 1),
        "2024-05-01-huodong-5": ("组织共建", "alpha", 1),
        "2024-06-01-huodong-6": ("组织共建", "alpha", 1),
    })
    return [a, b]


def test_the_roll_up_equals_the_hand_worked_figures(two_zones) -> None:
    period = Period("year", 2025)
    rows, skipped, _ = city_rows(two_zones, TODAY, period, TODAY)
    assert skipped == []
    ctx = build_city_context(rows, period, TODAY, TODAY)
    a, b = ctx["zones"]
    assert (a["name"], b["name"]) == ("甲协作区", "乙协作区")
    assert (a["activities"], a["attendance"]) == (3, 60)
    assert (b["activities"], b["attendance"]) == (3, 28)
    assert a["by_category"] == {"组织共建": 2, "发展共谋": 0, "文化共育": 1, "教育共抓": 0, "资源共享": 0}
    assert b["by_category"] == {"组织共建": 1, "发展共谋": 0, "文化共育": 1, "教育共抓": 1, "资源共享": 0}
    # 2024: 甲 1 activity of 60; 乙 4 of 63.
    assert a["change"]["activities"] == {"before": 1, "delta": 2}
    assert b["change"]["activities"] == {"before": 4, "delta": -1}
    assert b["change"]["attendance"] == {"before": 63, "delta": -35}
    assert ctx["totals"]["activities"] == 6 and ctx["totals"]["attendance"] == 88
    assert ctx["totals"]["previous"] == {"activities": 5, "attendance": 123}
    # Units of 2025 (gamma joined 2024-03-01), in id order: 甲 used alpha and beta, so gamma (丙站) and lead (总站机关)
    # were idle;
    # 乙 used lead, alpha and beta, so only gamma. The two zones' `gamma` stay apart.
    assert [u["name"] for u in a["idle_units"]] == ["丙站", "总站机关"]
    assert [u["name"] for u in b["idle_units"]] == ["丙站"]
    findings = ctx["findings"]
    assert findings["idle"] == [{"zone": "甲协区", "units": ["丙站", "总站机关"]}, {"zone": "乙协区", "units": ["丙站"]}]
    # 6 activities: 组织共建 3 and 文化共育 2 are in both zones; 教育共抓 1 is missing in 甲 (half the zones);
    # 发展共谋 and 资源共享 are missing everywhere.
    assert [n["category"] for n in findings["neglected"]] == ["发展共谋", "教育共抓", "资源共享"]
    assert findings["neglected"][1] == {"category": "教育共抓", "count": 1, "share": 16.7, "zones_without": ["甲协区"]}
    assert findings["falling"] == [{"zone": "乙协区", "before": 4, "now": 3}]


def two_examples(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the example zone under two names."""
    z1, z2 = tmp_path / "z1", tmp_path / "z2"
    shutil.copytree(EXAMPLE, z1)
    shutil.copytree(EXAMPLE, z2)
    text = (z2 / "zone.yaml").read_text(encoding="utf-8")
    (z2 / "zone.yaml").write_text(text.replace("name: 伊犁河谷基层党建工作联建协作区", "name: 塔城基层党建工作联建协作区"),
                                  encoding="utf-8")
    return z1, z2


def test_a_warm_roll_up_reads_two_years_and_says_what_a_cold_one_says(tmp_path: Path, monkeypatch) -> None:
    """With each zone's check cached, a row reads the period's year and the one before (like a summary report);
    the roll-up is the same as when every year is read."""
    import djxz.app.city as city_app

    z1, z2 = two_examples(tmp_path)
    as_of, period = dt.date(2026, 11, 26), Period("year", 2025)
    cold = build_city_context(city_rows([z1, z2], as_of, period, as_of)[0], period, as_of, as_of)
    seen = []
    real = city_app.check_zone
    monkeypatch.setattr(city_app, "check_zone", lambda *a, **k: seen.append(real(*a, **k)) or seen[-1])
    warm = build_city_context(city_rows([z1, z2], as_of, period, as_of)[0], period, as_of, as_of)
    assert [min(a.date.year for a in r.zone.activities) for r in seen] == [2024, 2024]  # the example zone starts in 2023
    assert warm == cold


def test_city_writes_every_format_naming_both_zones(tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    z1, z2 = two_examples(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run_cli("city", str(z1), str(z2), "--year", "2025", "--as-of", "2026-11-26",
                                "--format", "md,docx,json,xlsx", "--out", str(out))
    assert code == 0, err
    stem = out / "2025年各协作区工作情况汇总"
    md = stem.with_suffix(".md").read_text(encoding="utf-8")
    assert "伊犁河谷基层党建工作联建协作区" in md and "塔城基层党建工作联建协作区" in md
    charts = sorted(out.glob("*.png"))
    assert len(charts) == 2 and all(f"]({c.name})" in md for c in charts)
    doc = Document(str(stem.with_suffix(".docx")))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "伊犁河谷基层党建工作联建协作区" in body and "塔城基层党建工作联建协作区" in body
    assert len(doc.inline_shapes) >= 2
    assert 150 <= doc.inline_shapes[0].width.mm <= 157  # the type area's width
    # The DOCX says what the Markdown says: the same headings in the same order.
    headings = [line.lstrip("#").strip() for line in md.splitlines() if line.startswith("## ") or line.startswith("### ")]
    docx_headings = [p.text for p in doc.paragraphs if p.style.name in ("一级标题", "二级标题")]
    assert docx_headings == headings
    data = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and [z["name"] for z in data["zones"]] == ["伊犁河谷基层党建工作联建协作区", "塔城基层党建工作联建协作区"]
    book = load_workbook(stem.with_suffix(".xlsx"))
    assert book.sheetnames == ["各协作区对比", "逾期职责", "未参与活动的单位"]
    assert book["各协作区对比"].freeze_panes == "A2"


def test_a_zone_given_twice_or_two_zones_of_one_name_are_usage_errors(two_zones, tmp_path: Path) -> None:
    code, _, err = run_cli("city", str(two_zones[0]), str(two_zones[0]), "--out", str(tmp_path / "o"))
    assert code == 2 and "同一个协作区" in err
    twin = zone(tmp_path / "twin", "甲协作区", {})
    code, _, err = run_cli("city", str(two_zones[0]), str(twin), "--out", str(tmp_path / "o"))
    assert code == 2 and "名称都是“甲协作区”" in err
    assert not (tmp_path / "o").exists()


def test_an_invalid_zone_is_refused_with_its_errors_or_skipped(two_zones, tmp_path: Path) -> None:
    bad = two_zones[1] / "activities/2025/2025-06-01-huodong-2.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("hosts:\n  - alpha", "hosts:\n  - alpah"), encoding="utf-8")
    out = tmp_path / "o"
    code, _, err = run_cli("city", *map(str, two_zones), "--out", str(out), "--no-charts")
    assert code == 1 and "alpah" in err and "2025-06-01-huodong-2.yaml" in err
    assert not out.exists()
    code, stdout, err = run_cli("city", *map(str, two_zones), "--out", str(out), "--no-charts", "--skip-invalid",
                                "--format", "md")
    assert code == 0, err
    assert "跳过" in stdout and str(two_zones[1]) in stdout
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "甲协作区" in md and "乙协作区" not in md
    assert not list(out.glob("*.png"))


# -- charts ---------------------------------------------------------------------------------------------------------

def _chart():
    from djxz.report.charts import BarChart, Series

    return BarChart("2025年各单位主办和参加活动次数", ("昭苏边境管理站", "伊宁边境管理站", "河谷能投"),
                    (Series("主办", (3, 4, 1)), Series("参加", (10, 8, 2))), fallback_labels=("zhaosu", "yining", "nengtou"))


def test_charts_are_byte_identical_across_runs_and_print_resolution() -> None:
    from djxz.report.charts import draw

    first, second = draw(_chart()), draw(_chart())
    assert first == second
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(first[16:20], "big")
    assert width >= 156 / 25.4 * 200 - 2  # the type area at 200 dpi
    assert b"Software" not in first and b"tIME" not in first


def test_chinese_labels_are_drawn_with_a_cjk_font_not_a_fallback() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from djxz.report import charts

    font = charts.cjk_font()
    if font is None:
        pytest.skip("这台机器没有中文字体（CI 安装 fonts-noto-cjk）")
    path = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
    face = FT2Font(path)
    assert all(face.get_char_index(ord(ch)) for ch in "各单位主办和参加活动次数昭苏边境管理站")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" when it draws tofu
        charts.draw(_chart())


def test_without_a_cjk_font_labels_fall_back_to_ids_and_never_tofu(monkeypatch) -> None:
    from djxz.report import charts

    monkeypatch.setattr(charts, "_font_cache", [None])
    assert charts._safe("昭苏边境管理站", "zhaosu", None) == "zhaosu"
    assert charts._safe("2025年各单位", "", None) == "2025"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert charts.draw(_chart())[:4] == b"\x89PNG"


def test_who_and_check_never_import_matplotlib(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from djxz.cli import main\n"
        f"for args in (['who', '--zone', {str(EXAMPLE)!r}], ['check', '--zone', {str(EXAMPLE)!r}]):\n"
        "    sys.argv = ['djxz', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


# -- charts in the summary reports ------------------------------------------------------------------------------------

def _brief(zone: Path, out: Path, *args: str) -> tuple[int, str]:
    code, stdout, err = run_cli("brief", "--zone", str(zone), "--out", str(out), *args)
    return code, stdout + err


def test_the_annual_report_embeds_its_charts_and_links_them_from_markdown(example_zone: Path, tmp_path: Path) -> None:
    from docx import Document

    code, text = _brief(example_zone, tmp_path / "a", "--annual", "--year", "2025")
    assert code == 0, text
    charts = sorted((tmp_path / "a").glob("*.png"))
    assert [c.name for c in charts] == [f"2025年度协作区工作情况通报-图{i}.png" for i in (1, 2, 3)]
    md = next((tmp_path / "a").glob("*.md")).read_text(encoding="utf-8")
    assert "附件3" in md and all(f"]({c.name})" in md for c in charts)
    doc = Document(str(next((tmp_path / "a").glob("*.docx"))))
    assert len(doc.inline_shapes) == 3
    # The same records draw the same pictures.
    code, _ = _brief(example_zone, tmp_path / "b", "--annual", "--year", "2025")
    assert [c.read_bytes() for c in charts] == [(tmp_path / "b" / c.name).read_bytes() for c in charts]


def test_no_charts_and_the_half_year_opt_in(example_zone: Path, tmp_path: Path) -> None:
    from docx import Document

    code, text = _brief(example_zone, tmp_path / "n", "--annual", "--year", "2025", "--no-charts")
    assert code == 0, text
    assert not list((tmp_path / "n").glob("*.png"))
    assert "附件3" not in next((tmp_path / "n").glob("*.md")).read_text(encoding="utf-8")
    code, text = _brief(example_zone, tmp_path / "h", "--half-year", "--year", "2026", "--half", "1")
    assert code == 0 and not list((tmp_path / "h").glob("*.png")), text
    zone_file = example_zone / "zone.yaml"
    zone_file.write_text(zone_file.read_text(encoding="utf-8") + "reports:\n  half_year_charts: true\n", encoding="utf-8")
    code, text = _brief(example_zone, tmp_path / "o", "--half-year", "--year", "2026", "--half", "1")
    assert code == 0, text
    assert len(list((tmp_path / "o").glob("*.png"))) == 3
    assert len(Document(str(next((tmp_path / "o").glob("*.docx")))).inline_shapes) == 3
