"""Hotspots (热点): what people raised most in a period and where -- the topics and areas with the most cases
received, against the period of the same length before (the rising ones), and the words that stand out in the
titles (jieba's TF-IDF over Chinese text). Each links to its cases (the case list filtered by the word)."""

from __future__ import annotations

import logging
import threading
import time
import warnings

import jieba
from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case

from .. import reference
from ..policy import Principal
from .rollups import Rollups
from .summary import Filters, Period, checked_period, rollup_where, scoped, scoped_conditions

jieba.setLogLevel(logging.WARNING)
with warnings.catch_warnings():  # its TF-IDF reads the IDF table from a file it never closes
    warnings.simplefilter("ignore", ResourceWarning)
    import jieba.analyse
TOP = 10  # topics, areas and words shown
TITLES = 5000  # the newest titles of the period read for its words
WORDS_KEPT = 600  # seconds a period's words are kept
_lock = threading.Lock()
STOP = frozenset({"问题", "反映", "关于", "情况", "要求", "希望", "请求", "建议", "投诉", "咨询", "诉求", "相关"})


def hotspots(user: Principal, period: Period, filters: Filters) -> dict:
    """The period's top topics and areas with their counts before, the rising ones, and the words of its titles."""
    start, end = checked_period(period)
    filters = scoped(user, filters)
    conditions = scoped_conditions(user, filters)
    rolled = not (filters.category or filters.channel or filters.topic or filters.area or filters.handler)
    rollups, where = Rollups(), rollup_where(filters)
    before = period.before()
    earlier_start, earlier_end = before.bounds()
    names = reference.tree_codes()
    out = {"period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
           "previous": {"from": before.first.isoformat(), "to": before.last.isoformat()}}
    for kind, column in (("topics", Case.topic_id), ("areas", Case.area_id)):
        if rolled:  # kept by department in the rollups
            now = rollups.node_counts(kind[:-1], period.first, period.last, where)
            earlier = rollups.node_counts(kind[:-1], before.first, before.last, where)
        else:
            now = _counts(column, start, end, conditions)
            earlier = _counts(column, earlier_start, earlier_end, conditions)
        rows = [{"code": names.get(node, (str(node),))[0], "name": names.get(node, (None, None))[1], "count": n,
                 "previous": earlier.get(node, 0), "change": n - earlier.get(node, 0)} for node, n in now.items()]
        out[kind] = sorted(rows, key=lambda r: (-r["count"], r["code"]))[:TOP]
        out[f"rising_{kind}"] = sorted((r for r in rows if r["change"] > 0),
                                       key=lambda r: (-r["change"], -r["count"], r["code"]))[:TOP]
    out["words"] = _kept_words((period.first, period.last, filters), start, end, conditions)
    return out


def _kept_words(key, start, end, conditions: list) -> list[dict]:
    """The period's words, kept WORDS_KEPT seconds per period and filters (segmenting 5,000 titles takes a while)."""
    kept = current_app.extensions.setdefault("minyi_hotspot_words", {})
    with _lock:
        found = kept.get(key)
        if found and time.monotonic() - found[0] < WORDS_KEPT:
            return found[1]
    words = _words(start, end, conditions)
    with _lock:
        if len(kept) > 1000:
            kept.clear()
        kept[key] = (time.monotonic(), words)
    return words


def _counts(column, start, end, conditions: list) -> dict[int, int]:
    return dict(db.session.execute(select(column, func.count()).where(
        Case.received_at >= start, Case.received_at < end, column.is_not(None), *conditions).group_by(column)).all())


def _words(start, end, conditions: list) -> list[dict]:
    titles = list(db.session.scalars(select(Case.title).where(Case.received_at >= start, Case.received_at < end,
                                                             *conditions).order_by(Case.received_at.desc()).limit(TITLES)))
    if not titles:
        return []
    text = "\n".join(titles)
    found = []
    for word, weight in jieba.analyse.extract_tags(text, topK=TOP * 3, withWeight=True):
        if word in STOP or len(word) < 2 or word.isdigit():
            continue
        found.append({"word": word, "weight": round(weight, 4), "cases": sum(word in t for t in titles)})
        if len(found) == TOP:
            break
    return found
