"""The supervisor console over HTTP: every late or stuck piece of work, and who carries how much."""

from datetime import timedelta

from app import clock
from tests.helpers import TRIAGE_ACCEPT, complete, open_task, register
from tests.helpers import api_error as _error


def _view(client, headers, view, **filters):
    query = "&".join([f"view={view}", *(f"{k}={v}" for k, v in filters.items())])
    response = client.get(f"/api/v1/supervision/tasks?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_overdue_work_is_listed_most_overdue_first_with_counts_per_view(client, staff, deployed, complaint, frozen):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    first = register(client, h, complaint)["number"]
    clock.advance(timedelta(days=1))
    second = register(client, h, complaint)["number"]
    assert _view(client, sup, "overdue")["total"] == 0
    clock.advance(timedelta(days=16))
    listed = _view(client, sup, "overdue")
    assert [t["case_number"] for t in listed["items"]] == [first, second]
    assert listed["counts"]["overdue"] == 2 and listed["counts"]["all"] == 2 and listed["counts"]["due_today"] == 0
    assert _view(client, sup, "overdue", category="consultation")["total"] == 0
    _error(client.get("/api/v1/supervision/tasks?view=overdue", headers=staff.headers("handler1")), 403)
    _error(client.get("/api/v1/supervision/tasks?view=late", headers=sup), 422)


def test_a_case_nobody_touched_for_five_working_days_is_stalled_until_someone_acts(client, staff, deployed, complaint, frozen):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    number = register(client, h, complaint)["number"]
    clock.advance(timedelta(days=6))  # Monday -> Sunday: Tue..Fri = 4 working days
    assert _view(client, sup, "stalled")["total"] == 0
    clock.advance(timedelta(days=1, hours=1))  # Monday 10:00: 5 working days
    assert [t["case_number"] for t in _view(client, sup, "stalled")["items"]] == [number]
    assert client.post(f"/api/v1/tasks/{open_task(client, h, number)['id']}/claim", headers=h).status_code == 200
    assert _view(client, sup, "stalled")["total"] == 0


def test_the_stalled_view_and_its_count_keep_to_every_filter(client, staff, deployed, complaint, frozen):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    waiting = register(client, h, complaint)["number"]  # its triage sits in the intake queue
    routed = register(client, h, complaint)["number"]
    complete(client, h, routed, TRIAGE_ACCEPT)  # its investigation sits with ENV's handlers
    clock.advance(timedelta(days=10))

    def stalled(**filters):
        listed = _view(client, sup, "stalled", **filters)
        assert listed["total"] == listed["counts"]["stalled"] == len(listed["items"])
        return sorted(t["case_number"] for t in listed["items"])

    assert stalled() == sorted([waiting, routed])
    assert stalled(department="ENV") == [routed] == stalled(department="env")
    assert stalled(category=complaint["category"], channel=complaint["channel"]) == sorted([waiting, routed])
    assert stalled(category="consultation") == [] == stalled(channel="letter") == stalled(handler="handler1")


def test_tasks_unclaimed_for_a_day_and_due_soon_are_their_own_views(client, staff, deployed, complaint, frozen):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    number = register(client, h, complaint)["number"]
    complete(client, h, number, TRIAGE_ACCEPT)  # investigate: due in 10 working days
    clock.advance(timedelta(hours=25))
    assert [t["name"] for t in _view(client, sup, "unassigned")["items"]] == ["investigate"]
    assert _view(client, sup, "unassigned", department="ENV")["total"] == 1
    assert _view(client, sup, "unassigned", department="HOUSING")["total"] == 0
    clock.advance(timedelta(days=13, hours=-2))  # Monday 03-16 08:00, the due day of investigate
    assert [t["name"] for t in _view(client, sup, "due_today")["items"]] == ["investigate"]


def test_workload_per_handler_and_department(client, staff, deployed, complaint, frozen):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    for _ in range(2):
        number = register(client, h, complaint)["number"]
        complete(client, h, number, TRIAGE_ACCEPT)
        client.post(f"/api/v1/tasks/{open_task(client, staff.headers('handler1'), number)['id']}/claim",
                    headers=staff.headers("handler1"))
    register(client, h, complaint)
    clock.advance(timedelta(days=30))
    handlers = client.get("/api/v1/supervision/workload?by=handler", headers=sup).json["items"]
    assert [(w["name"], w["open"], w["overdue"]) for w in handlers] == [("handler1", 2, 2)]
    departments = {w["name"]: w["open"] for w in client.get("/api/v1/supervision/workload?by=department", headers=sup).json["items"]}
    assert departments == {"ENV": 2, "-": 1}
    _error(client.get("/api/v1/supervision/workload", headers=h), 403)


def test_a_supervisor_escalates_a_case_to_leadership_with_a_reason(client, staff, deployed, complaint, frozen):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    number = register(client, h, complaint)["number"]
    _error(client.post(f"/api/v1/cases/{number}/escalate", json={"reason": "r"}, headers=h), 403)
    _error(client.post(f"/api/v1/cases/{number}/escalate", json={"reason": ""}, headers=sup), 422)
    escalated = client.post(f"/api/v1/cases/{number}/escalate", json={"reason": "群众反映强烈，请领导协调"}, headers=sup)
    assert escalated.status_code == 201 and escalated.json["addressee"] == "leader" and escalated.json["kind"] == "escalation"
    leader = staff.headers("leader1")
    assert [n["message"] for n in client.get("/api/v1/notices?state=open", headers=leader).json["items"]] == ["群众反映强烈，请领导协调"]
    assert [n["kind"] for n in client.get("/api/v1/notifications", headers=leader).json["items"]] == ["escalation"]
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=sup).json["items"]
    assert [e["actor"] for e in timeline if e["action"] == "case.escalated"] == ["super1"]


def test_a_department_objects_to_a_routing_and_the_supervisor_reroutes_the_case(client, staff, deployed, complaint, frozen):
    h, sup, head = staff.headers("intake1"), staff.headers("super1"), staff.headers("head1")
    number = register(client, h, complaint)["number"]
    complete(client, h, number, TRIAGE_ACCEPT)  # routed to ENV
    _error(client.post(f"/api/v1/cases/{number}/object", json={"reason": "r"}, headers=staff.headers("housing1")), 403)
    objected = client.post(f"/api/v1/cases/{number}/object", json={"reason": "属住房保障科职责"}, headers=head)
    assert objected.status_code == 201 and objected.json["kind"] == "objection" and objected.json["addressee"] == "supervisor"
    assert [n["kind"] for n in client.get("/api/v1/notices?state=open", headers=sup).json["items"]] == ["objection"]

    rerouted = client.post(f"/api/v1/cases/{number}/reroute", json={"department": "HOUSING", "reason": "同意，转住房保障科"},
                           headers=sup)
    assert rerouted.status_code == 200 and rerouted.json["department"] == "HOUSING"
    assert client.get("/api/v1/tasks", headers=staff.headers("handler1")).json["total"] == 0
    task = open_task(client, staff.headers("housing1"), number)
    assert task["name"] == "investigate" and task["group"] == "handler@HOUSING"
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=sup).json["items"]
    assert [e["details"]["to"] for e in timeline if e["action"] == "case.rerouted"] == ["HOUSING"]
    _error(client.post(f"/api/v1/cases/{number}/reroute", json={"department": "HOUSING", "reason": "r"}, headers=sup), 409)
    _error(client.post(f"/api/v1/cases/{number}/reroute", json={"department": "NOPE", "reason": "r"}, headers=sup), 422)


def test_an_objection_after_five_working_days_is_refused_saying_until_when(client, staff, deployed, complaint, frozen):
    h = staff.headers("intake1")
    number = register(client, h, complaint)["number"]
    complete(client, h, number, TRIAGE_ACCEPT)
    clock.advance(timedelta(days=8))  # Monday -> next Tuesday: past 5 working days
    error = _error(client.post(f"/api/v1/cases/{number}/object", json={"reason": "r"}, headers=staff.headers("head1")), 409)
    assert "working days after the routing" in error["message"]


def test_whoever_gains_work_by_a_bulk_reassignment_is_notified_and_sees_it(client, staff, deployed, complaint):
    h, sup = staff.headers("intake1"), staff.headers("super1")
    numbers = [register(client, h, complaint)["number"] for _ in range(2)]
    for number in numbers:
        complete(client, h, number, TRIAGE_ACCEPT)
    ids = [open_task(client, staff.headers("handler1"), n)["id"] for n in numbers]
    moved = client.post("/api/v1/tasks/assign", json={"ids": ids, "user": "handler2", "reason": "handler1 休假"}, headers=sup)
    assert moved.status_code == 200 and moved.json["total"] == 2
    mine = client.get("/api/v1/tasks?scope=mine", headers=staff.headers("handler2")).json["items"]
    assert sorted(t["id"] for t in mine) == sorted(ids)
    notes = client.get("/api/v1/notifications", headers=staff.headers("handler2")).json["items"]
    assert [n["kind"] for n in notes] == ["assigned", "assigned"] and all("handler1 休假" in n["message"] for n in notes)


def test_a_supervisor_with_a_department_supervises_that_department_only(client, staff, deployed, complaint, frozen):
    h = staff.headers("intake1")
    env_sup = staff.add("env_super", "supervisor", department="ENV")
    cases = {}
    for code in ("ENV", "HOUSING"):
        number = register(client, h, complaint)["number"]
        complete(client, h, number, dict(TRIAGE_ACCEPT, department=code))
        cases[code] = number
    listed = _view(client, env_sup, "all")
    assert [t["case_number"] for t in listed["items"]] == [cases["ENV"]] and listed["counts"]["all"] == 1
    assert len(_view(client, staff.headers("super1"), "all")["items"]) == 2  # no department: every department
    _error(client.get("/api/v1/supervision/tasks?view=all&department=HOUSING", headers=env_sup), 403)
    assert {w["name"] for w in client.get("/api/v1/supervision/workload?by=department", headers=env_sup).json["items"]} == {"ENV"}
    housing_task = open_task(client, staff.headers("housing1"), cases["HOUSING"])
    _error(client.post(f"/api/v1/tasks/{housing_task['id']}/assign", json={"group": "handler@ENV", "reason": "r"},
                       headers=env_sup), 403)
    _error(client.post(f"/api/v1/cases/{cases['HOUSING']}/escalate", json={"reason": "r"}, headers=env_sup), 403)
    env_task = open_task(client, staff.headers("handler1"), cases["ENV"])
    moved = client.post(f"/api/v1/tasks/{env_task['id']}/assign", json={"user": "handler2", "reason": "r"}, headers=env_sup)
    assert moved.status_code == 200
