"""What-if replay (issue 23, item 6b): 200 recorded cases replayed against a draft that shortens a step's clock
report exactly the cases that would have been late, and nothing is written."""

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.cases.clocks.office_calendar import deadline
from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import LedgerEntry
from tests.helpers import COMPLAINT, open_task, register
from tests.processes import bpmn, flow, props, script

DAYS_TAKEN = (1, 2, 3, 4, 5, 6, 7, 8, 9)  # days each answer took


def _answer_within(due: str) -> bytes:
    """start -> answer (Intake, `due`) -> a script that closes the case -> end."""
    return bpmn('<bpmn:startEvent id="start"/>' + flow("f1", "start", "answer")
                + f'<bpmn:userTask id="answer" name="Answer">{props(due=due)}</bpmn:userTask>'
                + flow("f2", "answer", "close") + script("close", "set_case(status='closed')")
                + flow("f3", "close", "end") + '<bpmn:endEvent id="end"/>', {"Intake": ["answer", "close"]})


def test_a_draft_that_shortens_a_clock_reports_exactly_the_cases_that_would_breach(client, staff, frozen):
    deploy_bpmn(_answer_within("calendar_days(10)"), "complaint.bpmn", "test")
    clerk, start = staff.headers("intake1"), clock.now()
    expected = set()
    for i in range(200):  # one case every 6 hours over 50 days, each answered after its number of days
        received = start + timedelta(hours=6 * i)
        clock.freeze(received)
        number = register(client, clerk, COMPLAINT)["number"]
        answered = received + timedelta(days=DAYS_TAKEN[i % len(DAYS_TAKEN)])
        clock.freeze(answered)
        task = open_task(client, clerk, number)
        assert client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=clerk).status_code == 200
        if answered > deadline(received, days=3).at:  # the office calendar's three days (a rest day moves it on)
            expected.add(number)
    deploy_bpmn(_answer_within("calendar_days(3)"), "complaint.bpmn", "test", draft=True)
    clock.freeze(start + timedelta(days=60))
    ledger_rows = db.session.scalar(select(func.count()).select_from(LedgerEntry))
    owner = staff.headers("owner1")
    replayed = client.get("/api/v1/processes/complaint/versions/2/what-if?weeks=9", headers=owner)
    assert replayed.status_code == 200, replayed.json
    result = replayed.json
    assert result["total"] == 200 and result["active_version"] == 1
    assert set(result["would_breach"]) == expected and 100 < len(expected) < 150
    assert result["later"] == len(expected) and result["route_differs"] == 0 and result["stops_or_fails"] == 0
    one = next(c for c in result["cases"] if c["case_number"] in expected)
    assert one["active"]["late"] == [] and one["draft"]["late"] == ["answer"] and one["draft"]["end"] == "completed"
    assert sum(row["draft"] for row in result["workload"]) == sum(row["active"] for row in result["workload"]) == 200
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == ledger_rows  # nothing written
    assert client.get("/api/v1/processes/complaint/versions/2/what-if?weeks=0", headers=owner).status_code == 422
    assert client.get("/api/v1/processes/complaint/versions/9/what-if", headers=owner).status_code == 404
    assert client.get("/api/v1/processes/complaint/versions/2/what-if", headers=clerk).status_code == 403


def test_a_draft_whose_steps_the_recorded_work_no_longer_fits_is_reported_as_stopping(client, staff, frozen):
    deploy_bpmn(_answer_within("calendar_days(10)"), "complaint.bpmn", "test")
    clerk = staff.headers("intake1")
    number = register(client, clerk, COMPLAINT)["number"]
    clock.advance(timedelta(days=1))
    task = open_task(client, clerk, number)
    assert client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=clerk).status_code == 200
    renamed = _answer_within("calendar_days(10)").replace(b'id="answer"', b'id="reply"').replace(
        b'"start" targetRef="answer"', b'"start" targetRef="reply"').replace(b'sourceRef="answer"', b'sourceRef="reply"').replace(
        b"<bpmn:flowNodeRef>answer<", b"<bpmn:flowNodeRef>reply<")
    deploy_bpmn(renamed, "complaint.bpmn", "test", draft=True, new_version=True)
    result = client.get("/api/v1/processes/complaint/versions/2/what-if", headers=staff.headers("owner1")).json
    (case,) = result["cases"]
    assert case["draft"]["end"] == "stopped" and case["draft"]["where"] == ["reply"]
    assert case["differs"] == {"route": True, "late": False, "stops": True} and result["stops_or_fails"] == 1
