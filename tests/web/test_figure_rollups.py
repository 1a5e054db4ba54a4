"""The figures' rollups (docs/statistics.md, "How the figures are kept"): after random operations through the API,
with the rollups folded at random moments, the figures read from them equal those read with every case waiting,
`minyi stats verify` proves them equal to a recount, and finds a rollup row changed behind its back."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import text

from app import clock
from app.extensions import db
from tests.helpers import APPROVE, INVESTIGATION, TRIAGE_ACCEPT, complete, rate, register

ANSWER = {"answer": "已处理。", "feedback_channel": "phone"}
PERIODS = (("2026-03-01", "2026-03-31"), ("2026-03-01", "2026-05-31"), ("2026-03-09", "2026-04-20"),
           ("2026-04-01", "2026-06-30"), ("2026-01-01", "2026-12-31"))


def _figures(client, headers) -> list:
    out = []
    for first, last in PERIODS:
        for query in ({}, {"department": "ENV"}, {"department": "HOUSING"}, {"channel": "hotline"}):
            response = client.get("/api/v1/stats/summary", query_string={"from": first, "to": last, **query},
                                  headers=headers)
            assert response.status_code == 200, response.json
            out.append(response.json)
        ranking = client.get("/api/v1/stats/ranking", query_string={"from": first, "to": last}, headers=headers)
        hotspots = client.get("/api/v1/stats/hotspots", query_string={"from": first, "to": last}, headers=headers)
        out += [ranking.json, {k: v for k, v in hotspots.json.items() if k != "words"}]
    return out


def _fold(runner) -> int:
    result = runner.invoke(args=["stats", "fold"])
    assert result.exit_code == 0, result.output
    return int(result.output.split()[0])


def _verify(runner):
    return runner.invoke(args=["stats", "verify"])


def test_random_operations_folded_at_random_moments_equal_a_recount(client, runner, staff, deployed, complaint, frozen):
    staff.add("housing_head", "head", department="HOUSING")
    clerk, handler, head = staff.headers("intake1"), staff.headers("handler1"), staff.headers("head1")
    analyst = staff.headers("analyst1")
    rng = random.Random(22)
    cases: dict[str, dict] = {}  # number -> {"case": registered, "step": where it stands}
    for _ in range(100):
        move = rng.random()
        if move < 0.3 or not cases:
            registered = register(client, clerk, dict(complaint, title=f"噪音{len(cases)}",
                                                      channel=rng.choice(["hotline", "web", "letter"])))
            cases[registered["number"]] = {"case": registered, "step": "triage"}
        else:
            number = rng.choice(sorted(cases))
            state = cases[number]
            if state["step"] == "triage":
                if rng.random() < 0.15:
                    complete(client, clerk, number, {"triage_decision": "reject", "reject_reason": "不属于本单位职责范围"})
                    state["step"] = "done"
                else:
                    department = rng.choice(["ENV", "ENV", "HOUSING"])
                    complete(client, clerk, number, dict(TRIAGE_ACCEPT, department=department))
                    state["step"] = "investigate" if department == "ENV" else "elsewhere"  # handler1 is ENV's
            elif state["step"] == "investigate":
                complete(client, handler, number, INVESTIGATION)
                extended = rng.random() < 0.3
                complete(client, head, number, dict(APPROVE, extension_days=20, extension_reason="需检测")
                         if extended else APPROVE)
                state["step"] = "answer"
            elif state["step"] == "answer":
                complete(client, handler, number, ANSWER)
                state["step"] = "follow_up"
            elif state["step"] == "follow_up":
                if rng.random() < 0.5:
                    complete(client, handler, number, {"visit_outcome": rng.choice(["resolved", "not_resolved"]),
                                                       "satisfaction": rng.randint(1, 5)})
                else:
                    complete(client, handler, number, {"visit_outcome": "unreachable"})
                    assert rate(client, state["case"], rng.randint(1, 5)).status_code in (200, 409)  # 409: too late
                state["step"] = "done"
            elif state["step"] != "done" and rng.random() < 0.5:
                withdrawn = client.post(f"/api/v1/cases/{number}/withdraw", json={"reason": "已自行解决"},
                                        headers=clerk)
                if withdrawn.status_code == 200:
                    state["step"] = "done"
        if rng.random() < 0.25:
            clock.advance(timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 20)))
        if rng.random() < 0.2:
            _fold(runner)
    clock.advance(timedelta(days=20))  # the open steps' deadlines pass: breaches in the ledger
    assert runner.invoke(args=["timers", "run-due"]).exit_code == 0
    waiting = _figures(client, analyst)  # read with the latest cases waiting and put right as they are read
    assert _fold(runner) > 0
    assert _figures(client, analyst) == waiting
    assert db.session.execute(text("SELECT count(*) FROM stat_pending")).scalar() == 0
    verified = _verify(runner)
    assert verified.exit_code == 0, verified.output
    assert f"{len(cases)} case(s) recounted" in verified.output and "the rollups equal the recount" in verified.output
    assert waiting[0]["counts"]["received"] > 0 and waiting[-2]["items"]
    assert any(f["counts"]["breaches"] for f in waiting if "counts" in f)

    # a rollup row changed behind the folder's back is found, and a rebuild counts every case afresh
    db.session.execute(text("UPDATE stat_rollup SET received = received + 1 WHERE grain = 'month'"))
    db.session.commit()
    broken = _verify(runner)
    assert broken.exit_code == 1 and "rollup ('month'" in broken.output and "differ" in broken.output
    rebuilt = runner.invoke(args=["stats", "rebuild"])
    assert rebuilt.exit_code == 0 and f"{len(cases)} case(s) counted" in rebuilt.output
    assert _verify(runner).exit_code == 0
    assert _figures(client, analyst) == waiting



def test_a_case_folded_in_while_a_rebuild_runs_is_counted_once(app, client, runner, staff, deployed, complaint):
    from app.cases.reference import local_today
    from app.cases.reports.folding import count_all, emptied, fold_pending

    numbers = [register(client, staff.headers("intake1"), complaint)["number"] for _ in range(5)]
    assert _fold(runner) == 5
    emptied()  # the rebuild has begun ...
    middle = db.session.execute(text("SELECT id FROM \"case\" WHERE number = :n"), {"n": numbers[2]}).scalar()
    db.session.execute(text("INSERT INTO stat_pending (case_id, mark) VALUES (:id, 1)"), {"id": middle})
    db.session.commit()
    assert fold_pending() == 1  # ... a case's ledger grew and the scheduler folded it in before the rebuild got there
    assert count_all(batch=2) == 5
    verified = _verify(runner)
    assert verified.exit_code == 0, verified.output
    today = local_today().isoformat()
    figures = client.get("/api/v1/stats/summary", query_string={"from": today, "to": today},
                         headers=staff.headers("analyst1")).json
    assert figures["counts"]["received"] == 5


def test_a_rebuild_in_two_processes_counts_every_case_once(app, client, runner, staff, deployed, complaint):
    for i in range(7):
        registered = register(client, staff.headers("intake1"), dict(complaint, title=f"噪音{i}"))
        if i % 2:
            complete(client, staff.headers("intake1"), registered["number"], TRIAGE_ACCEPT)
    assert _fold(runner) == 7
    before = _figures(client, staff.headers("analyst1"))
    rebuilt = runner.invoke(args=["stats", "rebuild", "--workers", "2"])  # on SQLite: one process
    assert rebuilt.exit_code == 0 and "7 case(s) counted" in rebuilt.output, rebuilt.output
    assert _verify(runner).exit_code == 0
    assert _figures(client, staff.headers("analyst1")) == before
    assert runner.invoke(args=["stats", "rebuild", "--workers", "0"]).exit_code == 2  # refused, nothing emptied
    assert _verify(runner).exit_code == 0
