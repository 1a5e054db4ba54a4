"""Keeping the rollups (docs/statistics.md, "How the figures are kept"): the ledger's writer marks each case whose
ledger grows (`stat_pending`); `fold_pending` takes marked cases, takes off what each contributed before and adds
what it contributes now, stores the new contribution and removes the mark unless the case was written again
meanwhile -- all in one transaction, one folder at a time, so a fold interrupted at any point is simply done again.
`rebuild` counts every case afresh; `verify` proves the rollups equal the sum of the stored contributions and each
stored contribution equal to a recount of its case's rows."""

from __future__ import annotations

import gc
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import FIGURES, Case, StatCase, StatHandling, StatNode, StatPending, StatRollup
from app.models import Counter as NamedCounter

from ..sql import among, no_jit, sql
from ..transaction import transaction
from .contribution import contribution
from .facts import facts_of

BATCH = 500  # cases folded per transaction
REBUILD_BATCH = 5000  # when every case is counted afresh: fewer, larger upserts
_rollup, _handling, _nodes = StatRollup.__table__, StatHandling.__table__, StatNode.__table__
_cases, _pending = StatCase.__table__, StatPending.__table__
_DIMS = ("department_id", "category", "channel", "confidential")
_NODE_KEYS = ("grain", "start", "kind", "node_id", "department_id", "confidential")


@dataclass
class Delta:
    """Changes to the rollups, gathered by day -- {(day, *dims): Counter(figure: amount)}, the handling histogram's
    and the nodes' -- and counted under each day's day, month and year when read (`rollup`) or applied."""
    days: dict = field(default_factory=lambda: defaultdict(Counter))
    handling_days: Counter = field(default_factory=Counter)
    nodes_days: Counter = field(default_factory=Counter)

    def add(self, c: dict, sign: int) -> None:
        dims = tuple(c["dims"])
        for day, figure, n in c["items"]:
            self.days[(day, *dims)][figure] += sign * n
        if c["handling"]:
            self.handling_days[(c["handling"][0], *dims, c["handling"][1])] += sign
        for kind, node, day in c["nodes"]:
            self.nodes_days[(day, kind, node, dims[0], dims[3])] += sign

    @property
    def rollup(self) -> dict:
        """{(grain, start, *dims): Counter(figure: amount)}."""
        out: dict = defaultdict(Counter)
        for (day, *rest), figures in self.days.items():
            for key in _grains(day):
                out[(*key, *rest)].update(figures)
        return out

    @property
    def handling(self) -> Counter:
        return _by_grain(self.handling_days)

    @property
    def nodes(self) -> Counter:
        return _by_grain(self.nodes_days)

    def apply(self) -> None:
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        keys = ("grain", "start", *_DIMS)
        rows = [{**dict(zip(keys, key, strict=True)), **{f: figures.get(f, 0) for f in FIGURES}}
                for key, figures in sorted(self.rollup.items()) if any(figures.values())]
        if rows:
            stmt = dialect.insert(_rollup)
            sql(stmt.on_conflict_do_update(index_elements=list(keys),
                                           set_={f: _rollup.c[f] + stmt.excluded[f] for f in FIGURES}), rows)
        rows = [{**dict(zip((*keys, "days"), key, strict=True)), "cases": n} for key, n in sorted(self.handling.items()) if n]
        if rows:
            stmt = dialect.insert(_handling)
            sql(stmt.on_conflict_do_update(index_elements=[*keys, "days"],
                                           set_={"cases": _handling.c.cases + stmt.excluded.cases}), rows)
        rows = [{**dict(zip(_NODE_KEYS, key, strict=True)), "cases": n} for key, n in sorted(self.nodes.items()) if n]
        if rows:
            stmt = dialect.insert(_nodes)
            sql(stmt.on_conflict_do_update(index_elements=list(_NODE_KEYS),
                                           set_={"cases": _nodes.c.cases + stmt.excluded.cases}), rows)


def _by_grain(by_day: Counter) -> Counter:
    out: Counter = Counter()
    for (day, *rest), n in by_day.items():
        for key in _grains(day):
            out[(*key, *rest)] += n
    return out


def _grains(day: str) -> tuple[tuple[str, date], ...]:
    d = date.fromisoformat(day)
    return ("day", d), ("month", d.replace(day=1)), ("year", d.replace(month=1, day=1))


def fold_pending(limit: int = BATCH) -> int:
    """Fold in up to `limit` marked cases; the number folded (0: nothing was waiting)."""
    with transaction():
        _one_folder_at_a_time()
        marked = sql(select(_pending.c.case_id, _pending.c.mark).order_by(_pending.c.case_id).limit(limit)).all()
        if not marked:
            return 0
        ids = [row.case_id for row in marked]
        fresh = {case_id: contribution(facts) for case_id, facts in facts_of(ids).items()}
        old = dict(sql(select(_cases.c.case_id, _cases.c.contribution).where(_cases.c.case_id.in_(ids))).all())
        delta = Delta()
        for case_id, now in fresh.items():  # a case no longer here (archived) keeps what it contributed
            if case_id in old:
                delta.add(old[case_id], -1)
            delta.add(now, 1)
        delta.apply()
        if fresh:
            sql(delete(_cases).where(_cases.c.case_id.in_(list(fresh))))
            _store(fresh)
        sql(delete(_pending).where(tuple_(_pending.c.case_id, _pending.c.mark).in_([tuple(row) for row in marked])))
    return len(marked)


def fold_all(limit: int = BATCH) -> int:
    """Fold until nothing is waiting; the number of cases folded."""
    total = 0
    while folded := fold_pending(limit):
        total += folded
    return total


def rebuild(batch: int = REBUILD_BATCH, workers: int = 1, make_app: Callable | None = None) -> int:
    """Count every case afresh: the rollups and stored contributions emptied, then every case counted in id order,
    a batch per transaction (in `workers` processes on PostgreSQL, each running the app `make_app(database url)`
    makes: a module-level function of a layer above). A case folded in meanwhile (its ledger grew
    during the rebuild) is already counted and is skipped; one written after its batch is marked and folded as
    usual. (Archived cases' contributions are lost: `rebuild` is for a database that has all its cases.)"""
    emptied()
    if workers > 1 and make_app is not None and db.engine.dialect.name == "postgresql":
        return count_all_at_once(make_app, db.engine.url.render_as_string(hide_password=False), workers, batch)
    return count_all(batch)


def emptied() -> None:
    """The rollups, the stored contributions and the marks emptied (the first step of a rebuild)."""
    with transaction():
        _one_folder_at_a_time()
        for table in (_rollup, _handling, _nodes, _cases, _pending):
            sql(delete(table))


def count_all(batch: int = REBUILD_BATCH, after: int = 0, up_to: int | None = None) -> int:
    """Every case (with an id after `after`, up to `up_to`) not counted yet counted in, in id order; the number of
    cases read. Each batch is read and counted without the folders' lock -- a case written meanwhile is marked and
    its fold later takes off what is stored here -- and written under it, so several may count at once."""
    total, last = 0, after
    while True:
        bounds = [Case.id > last, *([Case.id <= up_to] if up_to is not None else [])]
        ids = list(sql(select(Case.id).where(*bounds).order_by(Case.id).limit(batch)).scalars())
        if not ids:
            db.session.rollback()
            return total
        last = ids[-1]
        no_jit()
        with _no_cycle_collection():
            fresh = {case_id: contribution(facts) for case_id, facts in facts_of(ids).items()}
        db.session.rollback()  # the reads end here: the write below waits for the lock, not the other way round
        with transaction():
            _one_folder_at_a_time()
            for case_id in sql(select(_cases.c.case_id).where(among(_cases.c.case_id, ids))).scalars():
                fresh.pop(case_id, None)  # folded in since the rebuild began: counted already
            delta = Delta()
            for c in fresh.values():
                delta.add(c, 1)
            delta.apply()
            _store(fresh)
        total += len(ids)


def count_all_at_once(make_app: Callable, database_url: str, workers: int, batch: int = REBUILD_BATCH) -> int:
    """`count_all` over the case ids cut into `workers` ranges, a process each (PostgreSQL; SQLite has one writer)."""
    import multiprocessing

    low, high = db.session.execute(select(func.min(Case.id), func.max(Case.id))).one()
    db.session.rollback()
    if low is None:
        return 0
    step = (high - low + workers) // workers
    ranges = [(low - 1 + i * step, min(high, low - 1 + (i + 1) * step)) for i in range(workers)]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return sum(pool.starmap(_count_range, [(make_app, database_url, batch, after, up_to)
                                               for after, up_to in ranges]))


def _count_range(make_app: Callable, database_url: str, batch: int, after: int, up_to: int) -> int:
    app = make_app(database_url)
    with app.app_context():
        return count_all(batch, after, up_to)


def _store(contributions: dict[int, dict]) -> None:
    """Stored contributions written (cases without one): on PostgreSQL by COPY, a recount writes millions."""
    if not contributions:
        return
    rows = sorted(contributions.items())
    if db.engine.dialect.name != "postgresql":
        sql(_cases.insert(), [{"case_id": case_id, "contribution": c} for case_id, c in rows])
        return
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy("COPY stat_case (case_id, contribution) FROM STDIN") as copy:
        for case_id, c in rows:
            copy.write_row((case_id, json.dumps(c, separators=(",", ":"), ensure_ascii=False)))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a batch is read and counted: its many rows and facts would set it off
    again and again over objects reference counting frees anyway (40 % of a recount's time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _one_folder_at_a_time() -> None:
    """Take the folders' lock for the transaction (a counter row; on SQLite the write takes the database's)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    counters = NamedCounter.__table__
    sql(dialect.insert(counters).values(name="stats:fold", value=1)
        .on_conflict_do_update(index_elements=["name"], set_={"value": counters.c.value + 1}))


@dataclass
class Verified:
    cases: int = 0  # stored contributions recounted
    pending: int = 0  # cases waiting to be folded (not compared)
    differing_cases: list[int] = field(default_factory=list)
    differing_rows: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differing_cases and not self.differing_rows


def verify(batch: int = 2000) -> Verified:
    """Recount every case present and compare with its stored contribution; sum every stored contribution and
    compare with the rollups (a case waiting to be folded is compared on the second count only)."""
    out = Verified()
    pending = set(db.session.scalars(select(_pending.c.case_id)))
    out.pending = len(pending)
    total = Delta()
    last = 0
    while True:
        rows = sql(select(_cases.c.case_id, _cases.c.contribution).where(_cases.c.case_id > last)
                   .order_by(_cases.c.case_id).limit(batch)).all()
        if not rows:
            break
        last = rows[-1].case_id
        fresh = facts_of([r.case_id for r in rows if r.case_id not in pending])
        for case_id, stored in rows:
            total.add(stored, 1)
            if case_id in fresh:
                out.cases += 1
                if contribution(fresh[case_id]) != stored:
                    out.differing_cases.append(case_id)
    out.differing_rows = _compare(total)
    db.session.rollback()
    return out


def _compare(total: Delta) -> list[str]:
    differing = []
    keys = ("grain", "start", *_DIMS)
    kept = {tuple(row[:6]): dict(zip(FIGURES, row[6:], strict=True)) for row in sql(select(
        *[_rollup.c[k] for k in keys], *[_rollup.c[f] for f in FIGURES]))}
    for key in set(kept) | set(total.rollup):
        want = {f: total.rollup.get(key, {}).get(f, 0) for f in FIGURES}
        if kept.get(key, dict.fromkeys(FIGURES, 0)) != want:
            differing.append(f"rollup {key}")
    for table, counted, names in ((_handling, total.handling, (*keys, "days")), (_nodes, total.nodes, _NODE_KEYS)):
        kept_n = {tuple(row[:-1]): row[-1] for row in sql(select(*[table.c[n] for n in names], table.c.cases))}
        for key in set(kept_n) | set(counted):
            if kept_n.get(key, 0) != counted.get(key, 0):
                differing.append(f"{table.name} {key}")
    return sorted(differing)


def waiting() -> int:
    return db.session.scalar(select(func.count()).select_from(_pending))
