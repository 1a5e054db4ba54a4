"""A periodic report as a document: its contents (the figures of the period and of the one before, read as an analyst
reads them), the HTML (templates/reports/periodic.html, in Chinese: the office's language; the template draws the
charts, charts.py) and the PDF (WeasyPrint). The same rows give the same bytes."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from app.models import CATEGORIES, CHANNELS

from ...policy import Principal
from ..contribution import figures
from ..focus import focus_topics
from ..hotspots import hotspots
from ..ranking import ranking
from ..rollups import Rollups
from ..summary import Filters, Period, summary
from ..trends import trend
from . import charts
from .periods import name_of, previous

# the figures are the office's: read as an analyst would (confidential cases counted, their titles not read)
READER = Principal(0, "reports", frozenset({"analyst"}), None, None, display_name="reports")
COMPARED = ("received", "accepted", "answered", "closed", "withdrawn", "repeats", "breaches", "notices", "escalations")


def render(kind: str, period: Period) -> str:
    """The report as a standalone HTML document (Chinese: the office's language)."""
    with force_locale("zh"):
        return render_template("reports/periodic.html", **contents(kind, period))


def contents(kind: str, period: Period) -> dict:
    before = previous(kind, period)
    now, then = summary(READER, period, Filters()), summary(READER, before, Filters())
    trended = trend(READER, period, Filters(), "day" if kind == "month" else "month")["items"]
    categories, channels = _by(period, "category", CATEGORIES), _by(period, "channel", CHANNELS)
    ranked = ranking(READER, period)["items"]
    hot = hotspots(READER, period, Filters())
    return {
        "kind": kind, "name": name_of(kind, period), "period": period, "before": before, "now": now, "then": then,
        "compared": COMPARED, "trend": trended, "categories": categories, "channels": channels, "ranked": ranked,
        "hot": hot, "focus": focus_topics(READER, period), "draw": charts,  # the template draws: it has the labels
    }


def to_pdf(html: str) -> bytes:
    """The HTML as PDF (WeasyPrint); the same HTML gives the same bytes."""
    from weasyprint import HTML  # slow to import: only when a report is made

    return HTML(string=html).write_pdf(uncompressed_pdf=False, custom_metadata=False)


def _by(period: Period, by: str, keys: tuple[str, ...]) -> list[dict]:
    read = Rollups().read(period.first, period.last, {}, by=by)
    rows = []
    for key in keys:
        sums, histogram = read.groups.get(key, ({}, {}))
        counted = figures(sums, histogram)
        if counted["counts"]["received"] or counted["counts"]["answered"]:
            rows.append({"key": key, "received": counted["counts"]["received"],
                         "answered": counted["counts"]["answered"], "rates": counted["rates"]})
    return sorted(rows, key=lambda r: -r["received"])
