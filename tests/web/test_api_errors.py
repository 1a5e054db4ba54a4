"""Every bad input gets a 4xx in the contract's error format, and changes nothing."""

import pytest

from tests.helpers import TRIAGE_ACCEPT, complete, open_task, register
from tests.helpers import api_error as _error


def test_no_token_or_a_wrong_token_is_401(client, staff, deployed):
    _error(client.get("/api/v1/cases"), 401, "unauthorized")
    _error(client.get("/api/v1/cases", headers={"Authorization": "Bearer nope"}), 401)
    _error(client.get("/api/v1/cases", headers={"Authorization": "Basic abc"}), 401)


def test_a_role_without_the_right_gets_403(client, staff, deployed, complaint):
    _error(client.post("/api/v1/cases", json=complaint, headers=staff.headers("handler1")), 403, "forbidden")
    _error(client.post("/api/v1/processes", headers=staff.headers("handler1")), 403)
    _error(client.get("/api/v1/tasks?scope=all", headers=staff.headers("handler1")), 403)


def test_a_handler_cannot_see_or_complete_another_departments_task(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, staff.headers("handler1"), number)
    other = staff.headers("housing1")
    _error(client.get(f"/api/v1/tasks/{task['id']}", headers=other), 403)
    _error(client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=other), 403)
    _error(client.post(f"/api/v1/tasks/{task['id']}/claim", headers=other), 403)
    assert client.get("/api/v1/tasks", headers=other).json["total"] == 0


def test_unknown_things_are_404(client, staff, deployed):
    h = staff.headers("super1")
    _error(client.get("/api/v1/cases/nope", headers=h), 404, "not_found")
    _error(client.get("/api/v1/tasks/00000000-0000-0000-0000-000000000000", headers=h), 404)
    _error(client.get("/api/v1/processes/complaint/versions/99/bpmn", headers=staff.headers("owner1")), 404)
    _error(client.get("/api/v1/no-such-endpoint", headers=h), 404)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"category": "gossip"}, "category"),
        ({"channel": "pigeon"}, "channel"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"petitioner": {"phone": "123"}}, "petitioner"),
        ({"petitioner": {"name": "李四", "email": "not-an-email"}}, "petitioner"),
        ({"location": {"lat": 123}}, "location"),
        ({"received_at": "2026-01-01T10:00:00"}, "received_at"),
        ({"received_at": "2999-01-01T10:00:00+08:00"}, "received_at"),
        ({"department": "NOPE"}, "department"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_intake_is_422_naming_the_field_and_registers_nothing(client, staff, deployed, complaint, change, field):
    body = dict(complaint, **change)
    error = _error(client.post("/api/v1/cases", json=body, headers=staff.headers("intake1")), 422)
    assert field in error["details"]
    assert client.get("/api/v1/cases", headers=staff.headers("super1")).json["total"] == 0


def test_malformed_bodies_are_400(client, staff, deployed):
    h = dict(staff.headers("intake1"), **{"Content-Type": "application/json"})
    _error(client.post("/api/v1/cases", data="{not json", headers=h), 400, "malformed")
    _error(client.post("/api/v1/cases", data="[1, 2]", headers=h), 400)
    _error(client.post("/api/v1/cases", data="", headers=h), 400)
    _error(client.post("/api/v1/cases", data="a=b", headers=staff.headers("intake1")), 400)


def test_bad_query_parameters_are_422(client, staff, deployed):
    h = staff.headers("super1")
    assert "per_page" in _error(client.get("/api/v1/cases?per_page=0", headers=h), 422)["details"]
    assert "page" in _error(client.get("/api/v1/cases?page=x", headers=h), 422)["details"]
    assert "scope" in _error(client.get("/api/v1/tasks?scope=everyone", headers=h), 422)["details"]
    assert "due_before" in _error(client.get("/api/v1/tasks?due_before=tomorrow", headers=h), 422)["details"]


def test_invalid_form_data_is_422_per_field_and_the_task_stays_open(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    task = open_task(client, staff.headers("intake1"), number)
    url = f"/api/v1/tasks/{task['id']}/complete"
    h = staff.headers("intake1")
    details = _error(client.post(url, json={"triage_decision": "maybe"}, headers=h), 422)["details"]
    assert "triage_decision" in details
    details = _error(client.post(url, json={"triage_decision": "accept"}, headers=h), 422)["details"]
    assert details == {"department": ["Missing data for required field."]}
    details = _error(client.post(url, json={"triage_decision": "accept", "department": "MARS"}, headers=h), 422)["details"]
    assert "department" in details
    details = _error(client.post(url, json={"triage_decision": "reject"}, headers=h), 422)["details"]
    assert "reject_reason" in details
    details = _error(client.post(url, json={"triage_decision": "accept", "department": "ENV", "x": 1}, headers=h), 422)["details"]
    assert "x" in details
    assert open_task(client, h, number)["id"] == task["id"]


def test_claimed_by_someone_else_is_409_and_release_gives_it_back(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, staff.headers("handler1"), number)
    one, two = staff.headers("handler1"), staff.headers("handler2")
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=one).json["assignee"] == "handler1"
    _error(client.post(f"/api/v1/tasks/{task['id']}/claim", headers=two), 409, "task_claimed")
    _error(client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=two), 409, "task_claimed")
    _error(client.post(f"/api/v1/tasks/{task['id']}/release", headers=two), 409)
    assert client.post(f"/api/v1/tasks/{task['id']}/release", headers=one).json["state"] == "ready"
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=two).json["assignee"] == "handler2"
    mine = client.get("/api/v1/tasks?scope=mine", headers=two).json
    assert [t["id"] for t in mine["items"]] == [task["id"]]


def test_completing_a_finished_task_is_409(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    task = open_task(client, staff.headers("intake1"), number)
    url = f"/api/v1/tasks/{task['id']}/complete"
    assert client.post(url, json=TRIAGE_ACCEPT, headers=staff.headers("intake1")).status_code == 200
    _error(client.post(url, json=TRIAGE_ACCEPT, headers=staff.headers("intake1")), 409, "task_not_ready")


def test_public_lookup_gives_one_answer_for_a_wrong_number_or_code(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    wrong_code = _error(client.get(f"/api/v1/public/cases/{case['number']}?access_code=WRONG"), 404)
    wrong_number = _error(client.get(f"/api/v1/public/cases/19990101000001?access_code={case['access_code']}"), 404)
    assert wrong_code == wrong_number
    _error(client.get(f"/api/v1/public/cases/{case['number']}"), 422)
    ok = client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}")
    assert ok.status_code == 200 and ok.json["answer"] is None


def test_rating_before_an_answer_is_409_and_bad_scores_are_422(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    url = f"/api/v1/public/cases/{case['number']}/rating"
    _error(client.post(url, json={"access_code": case["access_code"], "score": 5}), 409, "nothing_waiting")
    _error(client.post(url, json={"access_code": case["access_code"], "score": 6}), 422)
    _error(client.post(url, json={"access_code": case["access_code"], "score": "5"}), 422)
    _error(client.post(url, json={"access_code": "WRONG", "score": 5}), 404)


def test_an_oversized_upload_is_413(client, staff, deployed, app):
    boundary = "minyi-test-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bpmn\"\r\n\r\n".encode()
        + b" " * (app.config["MAX_CONTENT_LENGTH"] + 10)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post("/api/v1/processes", data=body, headers=staff.headers("owner1"),
                           content_type=f"multipart/form-data; boundary={boundary}")
    _error(response, 413)
