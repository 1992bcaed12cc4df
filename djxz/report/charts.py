"""Charts for the documents: bar charts drawn with matplotlib (Agg) into PNG bytes that are the same for the same data.

matplotlib is imported only when a chart is drawn, so `djxz who` and `djxz check` never pay for it. Chinese labels need
a CJK font: the first installed one of `CJK_FONTS` is used. Without one, labels fall back to what needs no CJK glyph
(unit ids, numbers) and a warning says so, so a chart never shows boxes (tofu).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

# What a reader's machine or a CI image is likely to have, best first. Noto/Source Han come with Linux desktops and
# Debian's fonts-noto-cjk, WenQuanYi with older Linux, SimHei and Microsoft YaHei with Chinese Windows.
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "Noto Serif CJK SC", "Noto Serif CJK JP",
)
DPI = 200  # print resolution for a picture the width of the type area
WIDTH_MM = 156  # the GB/T 9704 type area
HEIGHT_MM = 80
COLOURS = ("#c0392b", "#2e86c1", "#d4ac0d", "#27ae60", "#8e44ad", "#7f8c8d")
NO_CJK_WARNING = "没有找到中文字体（如 Noto Sans CJK、文泉驿、黑体、微软雅黑），图表中的中文改用编号显示；安装中文字体后重新生成即可"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    fallback_name: str = ""  # shown when no CJK font is installed


@dataclass(frozen=True)
class BarChart:
    """A bar chart as plain data: categories along one axis, one bar per series in each."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    fallback_labels: tuple[str, ...] = ()  # ids or numbers, for a machine without a CJK font
    fallback_title: str = ""
    horizontal: bool = False  # long labels (unit names) read better down the side
    value_label: str = "次数"


@dataclass(frozen=True)
class Picture:
    """A drawn chart: PNG bytes, the file name it gets beside a Markdown file, the width it takes in a DOCX."""

    title: str
    png: bytes = field(repr=False)
    file: str
    width_mm: float = WIDTH_MM


_font_cache: list[str | None] = []


def cjk_font() -> str | None:
    """The family name of an installed CJK font, or None. Looked up once a process."""
    if not _font_cache:
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _font_cache.append(next((name for name in CJK_FONTS if name in installed), None))
    return _font_cache[0]


_CJK = re.compile(r"[^\x00-\x7f]")


def _safe(text: str, fallback: str, font: str | None) -> str:
    """`text` when it can be drawn; otherwise the fallback, and never a CJK character without a CJK font."""
    if font is not None or not _CJK.search(text):
        return text
    return fallback if fallback and not _CJK.search(fallback) else _CJK.sub("", text).strip() or "?"


def draw(chart: BarChart) -> bytes:
    """The chart as PNG bytes: same data, same bytes (no timestamp, no software version, fixed style)."""
    import matplotlib
    from matplotlib import style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure  # not pyplot: no global state, no GUI backend, a third of the import time

    font = cjk_font()
    labels = [_safe(text, chart.fallback_labels[i] if i < len(chart.fallback_labels) else str(i + 1), font)
              for i, text in enumerate(chart.labels)]
    title = _safe(chart.title, chart.fallback_title, font)
    with style.context("default"), matplotlib.rc_context({
        "font.family": [font] if font else ["DejaVu Sans"],
        "font.size": 9,
        "axes.unicode_minus": False,
        "svg.hashsalt": "djxz",
        "path.simplify": True,
    }):
        fig = Figure(figsize=(WIDTH_MM / 25.4, _height_mm(chart) / 25.4), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        _bars(ax, chart, labels, font)
        ax.set_title(title, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _height_mm(chart: BarChart) -> float:
    """Horizontal bars grow with their labels, so a long list of units stays readable."""
    if chart.horizontal:
        return max(HEIGHT_MM, 20 + 7 * len(chart.labels) * max(len(chart.series), 1))
    return HEIGHT_MM


def _bars(ax, chart: BarChart, labels: list[str], font: str | None) -> None:
    count = max(len(chart.series), 1)
    width = 0.8 / count
    positions = range(len(labels))
    for k, series in enumerate(chart.series):
        offsets = [p - 0.4 + width * (k + 0.5) for p in positions]
        name = _safe(series.name, series.fallback_name or f"{k + 1}", font)
        colour = COLOURS[k % len(COLOURS)]
        if chart.horizontal:
            bars = ax.barh(offsets, series.values, height=width, label=name, color=colour)
        else:
            bars = ax.bar(offsets, series.values, width=width, label=name, color=colour)
        ax.bar_label(bars, fmt="%g", fontsize=7, padding=1)
    if chart.horizontal:
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()  # the first label on top, as a table reads
        ax.set_xlabel(_safe(chart.value_label, "n", font))
    else:
        ax.set_xticks(list(positions), labels)
        ax.set_ylabel(_safe(chart.value_label, "n", font))
    if len(chart.series) > 1:
        ax.legend(fontsize=8, frameon=False)


def picture(chart: BarChart, file: str) -> Picture:
    return Picture(chart.title, draw(chart), file)
