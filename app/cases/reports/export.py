"""The figures as files: every table of the analysts' page -- counts, rates, trend, ranking, hotspot topics, areas and
words -- as CSV (one table) or XLSX (every table, a sheet each), written row by row (openpyxl's write-only mode)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook

from ..policy import Principal
from .hotspots import hotspots
from .ranking import RATES, ranking
from .summary import Filters, Period, summary
from .trends import default_grain, trend

TABLES = ("counts", "rates", "trend", "ranking", "topics", "areas", "words")


def tables(user: Principal, period: Period, filters: Filters, wanted: tuple[str, ...] = TABLES) -> dict[str, list[list]]:
    """{table: rows, the first its header} for the period (the ranking: of departments, or a head's handlers)."""
    figures = summary(user, period, filters)
    out: dict[str, list[list]] = {}
    if "counts" in wanted:
        out["counts"] = [["figure", "cases"], *([name, n] for name, n in figures["counts"].items())]
    if "rates" in wanted:
        out["rates"] = [["rate", "numerator", "denominator", "rate_value"],
                        *([name, r["numerator"], r["denominator"], r["rate"]] for name, r in figures["rates"].items())]
    if "trend" in wanted:
        buckets = trend(user, period, filters, default_grain(period))["items"]
        out["trend"] = [["from", "to", "received", "answered", "closed", *RATES],
                        *([b["from"], b["to"], b["counts"]["received"], b["counts"]["answered"], b["counts"]["closed"],
                           *(b["rates"][k]["rate"] for k in RATES)] for b in buckets)]
    if "ranking" in wanted:  # departments, or for a head their handlers
        ranked = ranking(user, period)
        who = "department" if ranked["of"] == "departments" else "handler"
        out["ranking"] = [["rank", who, "name", "score", *RATES, "received", "change"],
                          *([r["rank"], r[who], r["name"], r["score"], *(r["rates"][k]["rate"] for k in RATES),
                             r["received"], r["change"]] for r in ranked["items"])]
    if {"topics", "areas", "words"} & set(wanted):
        hot = hotspots(user, period, filters)
        for kind in ("topics", "areas"):
            out[kind] = [["code", "name", "cases", "previous", "change"],
                         *([r["code"], r["name"], r["count"], r["previous"], r["change"]] for r in hot[kind])]
        out["words"] = [["word", "weight", "cases"], *([w["word"], w["weight"], w["cases"]] for w in hot["words"])]
    return {name: out[name] for name in wanted if name in out}


def csv_lines(rows: list[list]) -> Iterator[str]:
    """One table as CSV, a line at a time (UTF-8 with a byte-order mark: spreadsheet programs read Chinese right)."""
    yield "\ufeff"
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(["" if v is None else v for v in row])
        yield buffer.getvalue()


def xlsx_bytes(found: dict[str, list[list]]) -> bytes:
    """Every table a sheet, in a write-only workbook."""
    book = Workbook(write_only=True)
    for name, rows in found.items():
        sheet = book.create_sheet(title=name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
