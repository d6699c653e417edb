"""Charts as PNG images for the Word analysis report (matplotlib, no display, CJK font).

Why matplotlib: docs/decisions/0012-matplotlib-charts.md. The font is Debian's fonts-noto-cjk
(docs/deploy.md); without it the Chinese labels would be empty boxes, so a missing font is an
error, not a silent fallback.
"""

from __future__ import annotations

import io
import os
import threading

FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
PALETTE = [
    "#2f6fb0",
    "#e07b39",
    "#4a9c5d",
    "#c0504d",
    "#8064a2",
    "#4bacc6",
    "#f2c14e",
    "#7f7f7f",
    "#9bbb59",
    "#d46a9f",
]
# pyplot keeps global state; a worker may render two reports at once.
_lock = threading.Lock()
_font = None


class ChartFontMissing(RuntimeError):
    pass


def _setup():
    global _font
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    if _font is None:
        path = next((p for p in FONT_PATHS if os.path.exists(p)), None)
        if path is None:
            raise ChartFontMissing("缺少中文字体（fonts-noto-cjk），无法生成统计图。")
        font_manager.fontManager.addfont(path)
        _font = font_manager.FontProperties(fname=path).get_name()
        matplotlib.rcParams["font.family"] = [_font]
        matplotlib.rcParams["axes.unicode_minus"] = False
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def bar_chart(
    title: str, labels: list[str], values: list[float], *, horizontal: bool = False, value_label: str = "件"
) -> bytes:
    with _lock:
        plt = _setup()
        height = max(2.6, 0.32 * len(labels) + 1.2) if horizontal else 3.4
        fig, ax = plt.subplots(figsize=(6.4, height))
        try:
            if horizontal:
                bars = ax.barh(labels[::-1], values[::-1], color=PALETTE[0])
                ax.set_xlabel(value_label)
            else:
                bars = ax.bar(labels, values, color=PALETTE[0])
                ax.set_ylabel(value_label)
                if len(labels) > 6:
                    ax.tick_params(axis="x", labelrotation=35)
            ax.bar_label(bars, fmt="%g", fontsize=8, padding=2)
            ax.set_title(title)
            ax.spines[["top", "right"]].set_visible(False)
            return _png(fig)
        finally:
            plt.close(fig)


def pie_chart(title: str, labels: list[str], values: list[float]) -> bytes:
    with _lock:
        plt = _setup()
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        try:
            pairs = [(label, v) for label, v in zip(labels, values, strict=True) if v > 0]
            if not pairs:
                ax.text(0.5, 0.5, "无数据", ha="center", va="center")
                ax.axis("off")
            else:
                ax.pie(
                    [v for _, v in pairs],
                    labels=[label for label, _ in pairs],
                    autopct="%1.1f%%",
                    colors=PALETTE[: len(pairs)] if len(pairs) <= len(PALETTE) else None,
                    textprops={"fontsize": 8},
                    startangle=90,
                    counterclock=False,
                )
                ax.axis("equal")
            ax.set_title(title)
            return _png(fig)
        finally:
            plt.close(fig)


def line_chart(title: str, labels: list[str], series: dict[str, list[float]]) -> bytes:
    with _lock:
        plt = _setup()
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        try:
            for i, (name, values) in enumerate(series.items()):
                ax.plot(labels, values, marker="o", markersize=3, color=PALETTE[i % len(PALETTE)], label=name)
            ax.set_title(title)
            ax.set_ylabel("件")
            if len(labels) > 8:
                ax.tick_params(axis="x", labelrotation=45, labelsize=7)
            if len(series) > 1:
                ax.legend(fontsize=8)
            ax.spines[["top", "right"]].set_visible(False)
            return _png(fig)
        finally:
            plt.close(fig)
