"""Seeding for benchmarks/scale.py: a few hundred cases through the services along the shipped processes'
common paths, most of them to the end (answered, rated, closed), then cloned with inbox_seed.clone.

Of every 20 seeded cases one stays open (at triage, investigation, the head's review, the answer, or a
routed consultation's answer) and 19 close: 17 complaints through triage, investigation, review, answer and
the petitioner's rating, 2 consultations rejected at triage. Titles vary (topic, street, house number) so
that text search finds some cases, not all.
"""

from __future__ import annotations

from datetime import timedelta

from inbox_seed import DEPARTMENTS, PASSWORD, ROOT, fresh_app
from sqlalchemy import text

TOPICS = ["夜间施工噪音", "小区垃圾清运不及时", "路灯损坏", "占道经营", "餐馆油烟扰民", "停车位被占用", "供暖温度不达标",
          "下水道堵塞", "绿化带被毁", "公交站台破损"]
STREETS = ["幸福路", "人民路", "解放路", "建设路", "和平街", "中山路", "长江路", "黄河路", "朝阳街", "文化路"]
USERS = {"intake1": ["intake"], "super1": ["supervisor"], "analyst1": ["analyst"], "owner1": ["owner"], "leader1": ["leader"]}
OPEN_STEPS = ("triage", "investigate", "head_review", "feedback", "write_answer")


def build_app(url: str):
    """Schema, departments with a handler and a head each, the working roles, every shipped process deployed."""
    from app.cases.people.users import create_user
    from app.cases.procedures.catalogue import bind_categories_to_their_processes
    from app.cases.procedures.processes import deploy_bpmn
    from app.extensions import db

    app = fresh_app(url)
    with app.app_context():
        for code in DEPARTMENTS:
            create_user("handler1" if code == "ENV" else f"h_{code}", ["handler"], code, password=PASSWORD)
            create_user(f"head_{code}", ["head"], code, password=None)
        for username, roles in USERS.items():
            create_user(username, roles, password=PASSWORD)
        for path in sorted((ROOT / "processes").glob("*.bpmn")):
            deploy_bpmn(path.read_bytes(), path.name, "bench")
        bind_categories_to_their_processes("bench")
        db.session.remove()
    return app


def case_payload(i: int, category: str = "complaint") -> dict:
    return {"category": category, "channel": ("hotline", "web", "letter", "visit")[i % 4],
            "title": f"{TOPICS[i % len(TOPICS)]}（{STREETS[i // len(TOPICS) % len(STREETS)]}{i % 37 + 1}号）",
            "description": "市民反映的问题，请核实处理。",
            "petitioner": {"name": "张三", "phone": "13812345678", "address": f"{STREETS[i % len(STREETS)]}{i % 50 + 1}号"}}


def seed(app, n: int) -> dict[str, int]:
    """N cases through the services; returns how many ended in each state."""
    from app.cases.intake.appeal import parse_appeal
    from app.cases.intake.public import rate_case
    from app.cases.intake.registration import register_case
    from app.extensions import db

    tally: dict[str, int] = {}
    with app.app_context():
        for i in range(n):
            if i % 20 == 0:
                step = OPEN_STEPS[i // 20 % len(OPEN_STEPS)]
                category = "consultation" if step == "write_answer" else "complaint"
                intake = register_case(parse_appeal(case_payload(i, category)), "intake1")
                _drive(intake.number, i, step)
                outcome = f"open at {step}"
            elif i % 20 < 18:
                intake = register_case(parse_appeal(case_payload(i)), "intake1")
                _drive(intake.number, i, None)
                rate_case(intake.number, intake.access_code, 3 + i % 3, None)
                outcome = "closed (rated)"
            else:
                intake = register_case(parse_appeal(case_payload(i, "consultation")), "intake1")
                _complete(intake.number, "intake1", {"triage_decision": "reject", "reject_reason": "不属于本单位职责范围"})
                outcome = "rejected"
            tally[outcome] = tally.get(outcome, 0) + 1
            if (i + 1) % 20 == 0 or i + 1 == n:
                print(f"\r  through the services: {i + 1}/{n}", end="", flush=True)
        print()
        db.session.remove()
    return tally


def _drive(number: str, i: int, stop_at: str | None) -> None:
    """A complaint (or a routed consultation) step by step until `stop_at` is the open task (None: answered)."""
    code = DEPARTMENTS[i % len(DEPARTMENTS)]
    handler = "handler1" if code == "ENV" else f"h_{code}"
    if stop_at == "write_answer":
        _complete(number, "intake1", {"triage_decision": "route", "department": code})
        return
    steps = [("triage", "intake1", {"triage_decision": "accept", "department": code, "major": False}),
             ("investigate", handler, {"facts": "情况属实", "responsibility": "相关单位", "measures": "已责令整改"}),
             ("head_review", f"head_{code}", {"head_decision": "approve", "major": False}),
             ("feedback", handler, {"answer": "已责令整改，请监督。", "feedback_channel": "phone"})]
    for name, username, data in steps:
        if name == stop_at:
            return
        _complete(number, username, data)


def _complete(number: str, username: str, data: dict) -> None:
    from app.cases.people.users import principal_of
    from app.cases.work.tasks import complete_task
    from app.extensions import db
    from app.models import Case, Task, User

    user = principal_of(db.session.scalar(db.select(User).where(User.username == username)))
    task = db.session.scalar(db.select(Task).join(Case, Case.id == Task.case_id)
                             .where(Case.number == number, Task.state.in_(("ready", "claimed"))))
    complete_task(user, task.id, data)


CITY_PER_DAY = 30_000  # a city hotline: ~11 M contacts a year


def age(app) -> None:
    """Open cases as in a running office: last touched 0-14 days ago, tasks waiting 0-19 days, case deadlines
    from 8 days past to 32 ahead; closed cases last touched weeks ago; received at a city's pace, the newest now.
    (Cloned rows share their seed's other times.)"""
    from app.extensions import db
    from app.models import utcnow

    now = utcnow()
    with app.app_context():
        conn = db.session.connection()
        open_case = "status NOT IN ('closed', 'rejected', 'withdrawn')"
        for d in range(15):
            conn.execute(text(f'UPDATE "case" SET last_activity_at = :t WHERE {open_case} AND id % 15 = :d'),
                         {"t": now - timedelta(days=d, hours=1), "d": d})
        conn.execute(text(f'UPDATE "case" SET last_activity_at = :t WHERE NOT ({open_case})'), {"t": now - timedelta(days=40)})
        for d in range(20):
            conn.execute(text("UPDATE task SET created_at = :t WHERE state IN ('ready', 'claimed') AND case_id % 20 = :d"),
                         {"t": now - timedelta(days=d, hours=2), "d": d})
        for b in range(41):
            conn.execute(text(f'UPDATE "case" SET due_at = :due WHERE {open_case} AND id % 41 = :b'),
                         {"due": now + timedelta(days=b - 8, hours=3), "b": b})
        # received as a city receives them: about 30,000 a day, the newest now (ids follow registration)
        top = conn.execute(text('SELECT max(id) FROM "case"')).scalar() or 0
        count = conn.execute(text('SELECT count(*) FROM "case"')).scalar() or 1
        seconds_per_id = 86400 / CITY_PER_DAY * count / max(top, 1)
        pg = conn.dialect.name == "postgresql"
        shift = ("(:now - make_interval(secs => (:top - id) * :step))" if pg
                 else "datetime(:now, '-' || CAST((:top - id) * :step AS INTEGER) || ' seconds')")
        conn.execute(text(f'UPDATE "case" SET received_at = {shift}'),
                     {"now": now if pg else now.strftime("%Y-%m-%d %H:%M:%S.%f"), "top": top, "step": seconds_per_id})
        db.session.commit()


def tidy(app) -> None:
    """What autovacuum does soon after a bulk load on PostgreSQL (statistics, visibility map); nothing on SQLite."""
    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        db.session.remove()


def census(app) -> dict[str, int]:
    """Rows per table and open work, for the report."""
    from app.extensions import db

    with app.app_context():
        conn = db.session.connection()
        out = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in ("case", "task", "process_instance")}
        out["open cases"] = conn.execute(text(
            "SELECT count(*) FROM \"case\" WHERE status NOT IN ('closed', 'rejected', 'withdrawn')")).scalar()
        out["open tasks"] = conn.execute(text("SELECT count(*) FROM task WHERE state IN ('ready', 'claimed')")).scalar()
        db.session.remove()
    return out
