"""Bytes per closed case, every table included (the ledger too), on SQLite and PostgreSQL.

Run from the repo root:  .venv/bin/python benchmarks/storage.py [--n 200] [--postgres] [--root OTHER_CHECKOUT]

The schema is built by the named migrations (as in production), then N complaint cases (titles differing as
a city's do) go through the service layer from registration to closure: registered, triaged, investigated,
approved by the head, answered, rated by the petitioner (closed). Sizes per table, TOAST and indexes included
(SQLite: the dbstat table plus free pages; PostgreSQL: pg_table_size / pg_total_relation_size), three ways:
- as written, never vacuumed: the first tenth of the cases, dead rows and all;
- as written, vacuumed as autovacuum does: a plain VACUUM after each tenth (the thresholds of migration
  0027 make autovacuum do it every 5,000 dead rows), the growth per case over the last nine tenths --
  the steady state of a running office, PASS/FAIL against 10 KB;
- compacted: VACUUM FULL (SQLite: VACUUM) at the end, over all N cases.
`--root` imports the app from another checkout (e.g. the parent commit, unpacked with
`git archive`) to measure before/after with the same script. A benchmark, not a test: exits 0 unless
something raises.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text

TARGET = 10 * 1024
ROUNDS = 10
COMPLAINT = {
    "category": "complaint", "channel": "hotline", "title": "夜间施工噪音",
    "description": "工地每晚22点后仍在施工，噪音严重影响附近居民休息，已多次向施工单位反映未果。",
    "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"},
}
# titles differ from case to case, as they do in a city (the text indexes store what differs)
PLACES = ("幸福路", "解放大街", "滨江花园", "东湖小区", "人民医院", "第三中学", "北站", "文化广场", "新华书店", "老城区")
TROUBLES = ("夜间施工噪音", "路灯不亮", "垃圾清运不及时", "占道经营", "下水道堵塞", "违章停车", "楼道堆放杂物",
            "供暖温度不达标", "公交站牌缺失", "广场舞音量过大", "餐馆油烟扰民", "井盖破损")


NOTIFY_BY = "sms"  # --no-messages: "none"


def complaint(i: int) -> dict:
    place, trouble = PLACES[i % len(PLACES)], TROUBLES[(i // len(PLACES)) % len(TROUBLES)]
    return {**COMPLAINT, "title": f"{place}{i % 97 + 1}号附近{trouble}",
            "petitioner": {**COMPLAINT["petitioner"], "phone": f"138{i:08d}", "notify_by": NOTIFY_BY}}
STEPS = (  # (user, data) for each user task of a complaint, in order
    ("intake1", {"triage_decision": "accept", "department": "ENV"}),
    ("handler1", {"facts": "夜间施工属实，现场核查三次", "responsibility": "施工单位", "measures": "责令停止夜间施工"}),
    ("head1", {"head_decision": "approve", "major": False}),
    ("handler1", {"answer": "已责令施工单位停止夜间施工。", "feedback_channel": "phone"}),
)


def build_app(url: str):
    from flask_migrate import upgrade

    from app import create_app
    from app.cases.bootstrap import ensure_reference_data
    from app.cases.people.departments import create_department
    from app.cases.people.users import create_user
    from app.cases.procedures.processes import deploy_bpmn
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MINYI_MAIL_DIR": tempfile.mkdtemp(prefix="minyi-storage-mail-")})
    with app.app_context():
        upgrade()
        ensure_reference_data()
        create_department("ENV", "生态环境科")
        create_user("intake1", ["intake"], password=None)
        create_user("handler1", ["handler"], "ENV", password=None)
        create_user("head1", ["head"], "ENV", password=None)
        path = ROOT / "processes" / "complaint.bpmn"
        deploy_bpmn(path.read_bytes(), path.name, "bench")
        db.session.remove()
    return app


def drive(app, n: int, start: int = 0) -> None:
    """N complaints from registration to closure, through the services."""
    from app.cases.intake.appeal import parse_appeal
    from app.cases.intake.public import rate_case
    from app.cases.intake.registration import register_case
    from app.cases.people.users import principal_of
    from app.cases.work.tasks import complete_task
    from app.extensions import db
    from app.models import Case, Task, User

    with app.app_context():
        users = {u.username: principal_of(u) for u in db.session.scalars(db.select(User))}
        for i in range(start, start + n):
            intake = register_case(parse_appeal(complaint(i)), "intake1")
            for username, data in STEPS:
                task = db.session.scalar(db.select(Task).join(Case, Case.id == Task.case_id)
                                         .where(Case.number == intake.number, Task.state == "ready"))
                complete_task(users[username], task.id, dict(data))
            case = rate_case(intake.number, intake.access_code, 5, "满意")
            assert case.status == "closed", (intake.number, case.status)
            if (i + 1 - start) % 50 == 0 or i + 1 == start + n:
                print(f"\r  closing cases through the services: {i + 1 - start}/{n}", end="", flush=True)
        print()
        from app.channels.delivery import deliver_due

        deliver_due(rounds=1_000_000)  # the petitioner's messages leave (to a mail folder), as the scheduler sends them
        db.session.remove()


# --- measuring -----------------------------------------------------------------------------------

def sqlite_sizes(app, compact: bool, vacuum: bool = False) -> dict[str, int]:
    """SQLite reuses freed pages by itself: `vacuum` (what autovacuum does on PostgreSQL) changes nothing here."""
    # Bytes per table (its indexes included); '(free pages)' holds what freed space the file keeps.
    from app.extensions import db

    with app.app_context():
        wal = Path(f"{db.engine.url.database}-wal")
        if not compact and wal.exists():  # before the last connection closes (that checkpoints and removes it)
            print(f"  sqlite: the WAL file as the saves left it: {wal.stat().st_size:,} bytes")
        db.engine.dispose()
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if compact:
                cursor.execute("VACUUM")
            owner = dict(cursor.execute("SELECT name, tbl_name FROM sqlite_master").fetchall())
            sizes: dict[str, int] = {}
            for name, size in cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall():
                table = owner.get(name, name)
                sizes[table] = sizes.get(table, 0) + size
            page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
            sizes["(free pages)"] = cursor.execute("PRAGMA freelist_count").fetchone()[0] * page_size
        finally:
            connection.close()
    return sizes


def postgres_sizes(app, compact: bool, vacuum: bool = False) -> dict[str, int]:
    """compact: VACUUM FULL (rewrites every table); vacuum: a plain VACUUM, what autovacuum does with the
    thresholds of migration 0027 (dead rows' space marked free for the next saves, nothing given back)."""
    from app.extensions import db

    with app.app_context():
        db.engine.dispose()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not compact and not vacuum:
                for row in connection.execute(text(UPDATES)).all():
                    print("  postgresql: {} {:,} updates, {:,} HOT ({:.0%}), {:,} dead rows".format(*row))
            if compact:
                connection.execute(text("VACUUM FULL"))
                connection.execute(text("ANALYZE"))
            elif vacuum:
                connection.execute(text("VACUUM"))
            sizes = dict(connection.execute(text(DETAIL if DETAILED else TOTALS)).all())
    return sizes


TOTALS = ("SELECT relname, pg_total_relation_size(oid) FROM pg_class "
          "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
# --detail: the heap with its TOAST, and each index on its own
DETAIL = ("SELECT t.relname, pg_table_size(t.oid) FROM pg_class t WHERE t.relkind = 'r' AND t.relnamespace = 'public'::regnamespace "
          "UNION ALL SELECT t.relname || ' / ' || i.relname, pg_relation_size(i.oid) FROM pg_index x "
          "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
          "WHERE t.relnamespace = 'public'::regnamespace")
DETAILED = False
# How the saves updated the rows they rewrite: HOT updates add no index entries (a fillfactor below 100 would
# leave room for more of them, at the price of that room in every page of closed cases).
UPDATES = ("SELECT relname, n_tup_upd, n_tup_hot_upd, n_tup_hot_upd::float / greatest(n_tup_upd, 1), n_dead_tup "
           "FROM pg_stat_user_tables WHERE relname IN ('process_instance', 'task', 'case') ORDER BY relname")


def report(label: str, before: dict[str, int], after: dict[str, int], n: int) -> int:
    per_table = {t: (after.get(t, 0) - before.get(t, 0)) / n for t in sorted(set(before) | set(after))}
    total = sum(per_table.values())
    print(f"  {label}: {total:,.0f} bytes per closed case ({total / 1024:.2f} KB)")
    for table, size in sorted(per_table.items(), key=lambda kv: -kv[1]):
        if abs(size) >= 1:
            print(f"      {table:<28} {size:>9,.0f}")
    return round(total)


def run(url: str, n: int, kind: str, args) -> None:
    from app.extensions import db

    sizes = sqlite_sizes if kind == "sqlite" else postgres_sizes
    if args.no_compaction:
        from app.engine import serialization

        serialization.COMPACT_FINISHED = False
    app = build_app(url)
    if kind == "postgresql" and args.pg_storage:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text(f"ALTER TABLE process_instance ALTER COLUMN state SET STORAGE {args.pg_storage}"))
    base = sizes(app, compact=True)
    first = max(1, n // ROUNDS)
    drive(app, first)
    written = sizes(app, compact=False)  # nothing vacuumed yet
    settled = sizes(app, compact=False, vacuum=True)
    for start in range(first, n, first):
        drive(app, min(first, n - start), start)
        steady = sizes(app, compact=False, vacuum=True)
    compacted = sizes(app, compact=True)
    with app.app_context():
        closed = db.session.execute(text("SELECT count(*) FROM \"case\" WHERE status = 'closed'")).scalar()
        completed = db.session.execute(text("SELECT count(*) FROM process_instance WHERE completed")).scalar()
        db.engine.dispose()
    options = [o for o, on in (("no messages", args.no_messages), ("no compaction", args.no_compaction),
                               (f"storage {args.pg_storage}", args.pg_storage and kind == "postgresql")) if on]
    print(f"{kind}: {n} cases, {closed} closed, {completed} completed instances {options or ''}")
    report(f"as written, never vacuumed (the first {first} cases)", base, written, first)
    total = report(f"as written, vacuumed as autovacuum does (growth over the last {n - first} cases)",
                   settled, steady, n - first) if n > first else 0
    report("compacted (VACUUM FULL)", base, compacted, n)
    print(f"  target as written <= {TARGET:,} bytes per closed case: {'PASS' if total <= TARGET else 'FAIL'} ({kind})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="closed cases (default 200)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL (scripts/postgres.sh)")
    parser.add_argument("--root", type=Path, help="import the app from this checkout instead (before/after)")
    parser.add_argument("--no-compaction", action="store_true", help="store finished states whole (compressed still)")
    parser.add_argument("--pg-storage", choices=("plain", "main", "external", "extended"),
                        help="PostgreSQL: this STORAGE for process_instance.state instead of the schema's")
    parser.add_argument("--detail", action="store_true", help="PostgreSQL: each index on its own")
    parser.add_argument("--no-messages", action="store_true", help="petitioners who asked for no messages (SMS otherwise)")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite (with --postgres)")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)  # set by --postgres for the inner run
    args = parser.parse_args()
    global ROOT, DETAILED, NOTIFY_BY
    DETAILED = args.detail
    NOTIFY_BY = "none" if args.no_messages else "sms"
    ROOT = (args.root or ROOT).resolve()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)  # Flask-Migrate finds migrations/ relative to the working directory
    if args.database_url:
        run(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1), args.n, "postgresql", args)
        return 0
    print(f"app from {ROOT.name if args.root else 'this checkout'}")
    with tempfile.TemporaryDirectory(prefix="minyi-storage-") as tmp:
        if not args.postgres_only:
            run(f"sqlite:///{Path(tmp) / 'storage.sqlite3'}", args.n, "sqlite", args)
    if args.postgres:
        here = Path(__file__).resolve()
        inner = [sys.executable, str(here), "--n", str(args.n), *(["--root", str(ROOT)] if args.root else []),
                 *(["--no-compaction"] if args.no_compaction else []), *(["--detail"] if args.detail else []),
                 *(["--no-messages"] if args.no_messages else []),
                 *(["--pg-storage", args.pg_storage] if args.pg_storage else []), "--database-url"]
        script = 'source scripts/postgres.sh; start_postgres >&2; trap stop_postgres EXIT; "$@" "$PG_URL"'
        subprocess.run(["bash", "-c", script, "bash", *inner], cwd=here.parent.parent, check=True, env=dict(os.environ))
    return 0


ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.exit(main())
