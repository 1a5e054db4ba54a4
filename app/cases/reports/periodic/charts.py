"""The periodic reports' charts, drawn on the server (matplotlib, SVG): the same rows give the same bytes -- no date,
fixed element ids -- so a report generated twice is identical. Text stays text (searchable, sharp in the PDF), set
in Noto Sans CJK; the reader's fonts draw it."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "DejaVu Sans"]
BLUE, GREEN, GREY = "#1565c0", "#2e7d32", "#8a8a8a"


def _pyplot():
    import matplotlib  # slow to import: only when a report is drawn

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "minyi-report", "font.family": "sans-serif",
                                "font.sans-serif": FONTS, "font.size": 9, "axes.spines.top": False,
                                "axes.spines.right": False, "axes.unicode_minus": False})
    import matplotlib.pyplot as plt

    return plt


def bars_over_time(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int], str]]) -> str:
    """Grouped bars per bucket (e.g. received and answered by day), as an SVG data URL."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.2, 2.6))
    width = 0.8 / max(1, len(series))
    for i, (name, values, colour) in enumerate(series):
        axes.bar([x + i * width for x in range(len(labels))], values, width=width, label=name, color=colour)
    step = max(1, len(labels) // 12)
    axes.set_xticks([x + width * (len(series) - 1) / 2 for x in range(0, len(labels), step)],
                    [labels[x] for x in range(0, len(labels), step)])
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(bottom=0, top=max([1, *(v for _, values, _ in series for v in values)]) * 1.05)
    axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=len(series))
    return _svg(plt, figure)


def horizontal_bars(labels: Sequence[str], values: Sequence[float], colour: str = BLUE, percent: bool = False) -> str:
    """One bar per label, largest first as given, as an SVG data URL."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.2, max(1.2, 0.32 * len(labels) + 0.6)))
    positions = range(len(labels))
    axes.barh(list(positions), list(values), color=colour, height=0.6)
    axes.set_yticks(list(positions), list(labels))
    axes.invert_yaxis()
    if percent:
        axes.set_xlim(0, 100)
        axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0f} %")
    else:
        axes.xaxis.get_major_locator().set_params(integer=True)
    return _svg(plt, figure)


def _svg(plt, figure) -> str:
    out = io.BytesIO()
    figure.tight_layout()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
