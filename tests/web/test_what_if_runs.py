"""What-if runs (issue 23, item 6b, beyond a page's wait): when the weeks hold more cases than a page replays, the owner
hands all of them to the scheduler; the run replays every one, says how far it got, and reports exactly the cases
that would breach -- the same question asked twice is one run, and a run a dead scheduler left is taken up again."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app import clock
from app.cases.clocks.office_calendar import deadline
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import ProcessVersion, WhatIfRun
from app.scheduler import build
from tests.helpers import COMPLAINT, csrf_token, open_task, register
from tests.web.test_what_if_replay import _answer_within

DAYS_TAKEN = (1, 5, 2, 6, 3, 7, 4, 8)


@pytest.fixture
def recorded(app, client, staff, frozen):
    """Eight cases answered after 1 to 8 days on a 10-day clock; a draft (v2) gives the answer 3 days. The page
    replays 3 cases at most. Returns the cases that would breach on the draft."""
    app.config["MINYI_WHAT_IF_PAGE_CASES"] = 3
    deploy_bpmn(_answer_within("calendar_days(10)"), "complaint.bpmn", "test", new_version=True)
    clerk, start, expected = staff.headers("intake1"), clock.now(), set()
    for i, days in enumerate(DAYS_TAKEN):
        received = start + timedelta(days=2 * i)
        clock.freeze(received)
        number = register(client, clerk, COMPLAINT)["number"]
        clock.freeze(received + timedelta(days=days))
        task = open_task(client, clerk, number)
        assert client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=clerk).status_code == 200
        if received + timedelta(days=days) > deadline(received, days=3).at:
            expected.add(number)
    deploy_bpmn(_answer_within("calendar_days(3)"), "complaint.bpmn", "test", draft=True, new_version=True)
    clock.freeze(start + timedelta(days=30))
    yield expected
    app.config["MINYI_WHAT_IF_PAGE_CASES"] = 500


def _scheduler_round(app) -> None:
    """What the scheduler's what-if job does every few seconds."""
    build(app).get_job("what-if-runs").func()


def test_a_run_replays_every_case_and_reports_exactly_those_that_would_breach(app, client, staff, recorded):
    owner = staff.headers("owner1")
    page = client.get("/api/v1/processes/complaint/versions/2/what-if?weeks=6", headers=owner).json
    assert (page["total"], page["received"], page["capped"]) == (3, 8, True)

    asked = client.post("/api/v1/processes/complaint/versions/2/what-if/runs?weeks=6", headers=owner)
    assert asked.status_code == 202 and asked.json["state"] == "queued" and asked.json["result"] is None
    again = client.post("/api/v1/processes/complaint/versions/2/what-if/runs?weeks=6", headers=owner)
    assert again.json["id"] == asked.json["id"]  # the same open question is the same run

    _scheduler_round(app)
    run = client.get(f"/api/v1/what-if/runs/{asked.json['id']}", headers=owner).json
    assert run["state"] == "done" and run["replayed"] == 8 and run["finished_at"]
    result = run["result"]
    assert result["total"] == result["received"] == 8 and result["capped"] is False
    assert set(result["would_breach"]) == recorded and 0 < len(recorded) < 8
    assert {c["case_number"] for c in result["cases"]} == recorded  # only the cases that fare differently
    assert sum(row["draft"] for row in result["workload"]) == 8

    fresh = client.post("/api/v1/processes/complaint/versions/2/what-if/runs?weeks=6", headers=owner)
    assert fresh.json["id"] != asked.json["id"]  # a done run is not asked again: a new one
    assert client.post("/api/v1/processes/complaint/versions/2/what-if/runs?weeks=99", headers=owner).status_code == 422
    assert client.post("/api/v1/processes/complaint/versions/9/what-if/runs", headers=owner).status_code == 404
    assert client.get("/api/v1/what-if/runs/999999", headers=owner).status_code == 404
    assert client.get(f"/api/v1/what-if/runs/{asked.json['id']}", headers=staff.headers("intake1")).status_code == 403


def test_a_run_a_dead_scheduler_left_is_taken_up_again_and_a_live_one_is_not(app, client, staff, recorded):
    owner = staff.headers("owner1")
    run_id = client.post("/api/v1/processes/complaint/versions/2/what-if/runs", headers=owner).json["id"]
    db.session.execute(update(WhatIfRun).where(WhatIfRun.id == run_id).values(
        state="running", heartbeat_at=clock.now() - timedelta(minutes=1)))
    db.session.commit()
    _scheduler_round(app)  # its heartbeat is fresh: another scheduler is on it
    assert client.get(f"/api/v1/what-if/runs/{run_id}", headers=owner).json["state"] == "running"
    clock.advance(timedelta(minutes=10))
    _scheduler_round(app)
    assert client.get(f"/api/v1/what-if/runs/{run_id}", headers=owner).json["state"] == "done"


def test_the_page_offers_to_replay_all_and_follows_the_run_in_chinese(app, owner, recorded):
    draft = db.session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.key == "complaint"))
    assert draft == 3  # the shipped complaint is v1 here
    page = owner.get(f"/workbench/processes/complaint/what-if?version={draft}&weeks=6").get_data(as_text=True)
    assert "这几周共有 8 件诉求，页面只演练了最新的 3 件。" in page and "在后台演练全部 8 件" in page
    asked = owner.post("/workbench/processes/complaint/what-if/runs",
                       data={"version": str(draft), "weeks": "6", "csrf_token": csrf_token(owner, "/workbench")})
    assert asked.status_code == 302 and "/workbench/what-if/runs/" in asked.location
    waiting = owner.get(asked.location).get_data(as_text=True)
    assert 'data-state="queued"' in waiting and "等待后台开始" in waiting and "what_if_run.js" in waiting
    _scheduler_round(app)
    done = owner.get(asked.location).get_data(as_text=True)
    assert 'data-state="done"' in done and "6 周内的全部诉求已演练完毕：共 8 件" in done
    assert "what_if_run.js" not in done
    listed = owner.get("/workbench/processes/complaint").get_data(as_text=True)  # found again from the process
    assert re.search(r'<li data-state="done"><a href="/workbench/what-if/runs/\d+">第 3 版 · 近 6 周</a>', listed)
    assert sorted(re.findall(r'<tr data-case="([^"]+)"', done)) == sorted(recorded)
    refused = owner.post("/workbench/processes/complaint/what-if/runs",
                         data={"version": "x", "weeks": "6", "csrf_token": csrf_token(owner, "/workbench")})
    assert refused.status_code == 302 and refused.location.endswith("/workbench/processes/complaint")


def test_the_same_question_asked_twice_at_once_is_one_run(app, recorded):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from app.cases.procedures.whatif import request_run

    barrier = Barrier(4)

    def ask(_):
        with app.app_context():
            barrier.wait()
            return request_run("complaint", 2, 8, "owner1").id

    with ThreadPoolExecutor(4) as pool:
        ids = set(pool.map(ask, range(4)))
    assert len(ids) == 1
    assert db.session.scalar(select(func.count()).select_from(WhatIfRun)) == 1
