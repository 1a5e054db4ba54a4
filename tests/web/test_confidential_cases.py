"""Confidential cases (an accusation against staff, 信访工作条例 Art. 30): only staff holding the add-on role
`confidential` see one -- within their other roles' reach; for everyone else it is absent from lists, search, the
inbox, the console, notices, messages, the person's history and the Open311 feed, and a URL naming it is refused;
every request naming it is in the access log."""

from __future__ import annotations

from datetime import timedelta

import requests

from app import clock
from tests.helpers import TRIAGE_ACCEPT, api_error, complete, public_view, register

SECRET = {"category": "complaint", "channel": "hotline", "title": "举报工作人员违规收费", "confidential": True,
          "description": "街道办工作人员办理居住证时收取额外费用。", "petitioner": {"name": "赵六", "phone": "13911112222"}}


def _cleared(staff):
    """A clerk, a supervisor, an ENV handler and an admin cleared for confidential cases (the fixture's are not)."""
    staff.add("intake_c", "intake", "confidential")
    staff.add("super_c", "supervisor", "confidential")
    staff.add("handler_c", "handler", "confidential", department="ENV")
    staff.add("admin_c", "admin", "confidential")
    staff.add("admin1", "admin")


def _numbers(client, headers, path="/api/v1/cases?per_page=100"):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.json
    return {item.get("number") or item.get("case_number") for item in response.json["items"]}


def test_a_confidential_case_is_seen_by_cleared_staff_only_and_every_request_naming_it_is_logged(
        client, staff, deployed, complaint):
    _cleared(staff)
    secret = register(client, staff.headers("intake1"), SECRET)["number"]  # registered by a clerk not cleared
    plain = register(client, staff.headers("intake1"), complaint)["number"]
    refused = api_error(client.get(f"/api/v1/cases/{secret}", headers=staff.headers("intake1")), 403, "forbidden")
    assert "confidential" in refused["message"]
    for who in ("intake1", "super1", "leader1", "analyst1", "admin1"):  # every-case roles, not cleared
        assert secret not in _numbers(client, staff.headers(who)) and plain in _numbers(client, staff.headers(who)), who
        assert client.get(f"/api/v1/cases/{secret}/timeline", headers=staff.headers(who)).status_code == 403
    shown = client.get(f"/api/v1/cases/{secret}", headers=staff.headers("super_c"))
    assert shown.status_code == 200 and shown.json["confidential"] is True
    assert {secret, plain} <= _numbers(client, staff.headers("super_c"))
    log = client.get(f"/api/v1/cases/{secret}/access-log", headers=staff.headers("admin_c")).json["items"]
    confidential = [(e["actor"], e["channel"]) for e in log if e["what"] == "confidential"]
    assert ("intake1", "api") in confidential and ("super_c", "api") in confidential and ("admin_c", "api") in confidential
    assert ("analyst1", "api") in confidential  # refused, and logged all the same
    api_error(client.get(f"/api/v1/cases/{secret}/access-log", headers=staff.headers("admin1")), 403)


def test_routed_to_a_department_its_task_reaches_the_cleared_handler_only(client, staff, deployed):
    _cleared(staff)
    secret = register(client, staff.headers("intake_c"), SECRET)["number"]
    assert secret not in _numbers(client, staff.headers("intake1"), "/api/v1/tasks?scope=group&per_page=100")
    complete(client, staff.headers("intake_c"), secret, TRIAGE_ACCEPT)  # to ENV
    tasks = client.get("/api/v1/tasks?scope=group&per_page=100", headers=staff.headers("handler_c")).json
    task = next(t for t in tasks["items"] if t["case_number"] == secret)
    assert secret not in _numbers(client, staff.headers("handler1"), "/api/v1/tasks?scope=group&per_page=100")
    api_error(client.get(f"/api/v1/tasks/{task['id']}", headers=staff.headers("handler1")), 403)
    api_error(client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler1")), 403)
    assert secret not in _numbers(client, staff.headers("housing1"))  # another department: never
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=staff.headers("handler_c")).status_code == 200
    assert secret in _numbers(client, staff.headers("handler_c"))
    # the console: the supervisor not cleared counts and lists nothing of it; the cleared one sees it
    for who, seen in (("super1", False), ("super_c", True)):
        listed = client.get("/api/v1/supervision/tasks?view=all&per_page=100", headers=staff.headers(who)).json
        assert (secret in {t["case_number"] for t in listed["items"]}) is seen, who
        assert listed["counts"]["all"] == (1 if seen else 0), (who, listed["counts"])


def test_search_history_and_candidates_leave_it_out_for_those_not_cleared(client, staff, deployed, complaint):
    _cleared(staff)
    secret = register(client, staff.headers("intake1"), SECRET)["number"]
    again = dict(complaint, title="其他问题", petitioner={"name": "赵六", "phone": "13911112222"})
    second = register(client, staff.headers("intake1"), again)["number"]

    def search(who, q):
        return client.get("/api/v1/search", query_string={"q": q}, headers=staff.headers(who)).json

    people = search("intake1", "13911112222")["people"]
    assert [c["number"] for c in people[0]["cases"]] == [second] and people[0]["person"]["cases"] == 1
    assert secret in {c["number"] for c in search("intake_c", "13911112222")["people"][0]["cases"]}
    assert search("intake1", "违规收费")["titles"]["items"] == []
    assert [c["number"] for c in search("intake_c", "违规收费")["titles"]["items"]] == [secret]
    body = {"title": SECRET["title"], "petitioner": {"phone": "13911112222"}}
    found = client.post("/api/v1/candidates", json=body, headers=staff.headers("intake1")).json["items"]
    assert secret not in {c["number"] for c in found}
    found = client.post("/api/v1/candidates", json=body, headers=staff.headers("intake_c")).json["items"]
    assert secret in {c["number"] for c in found}


def test_marking_and_lifting_need_a_reason_and_are_in_the_ledger(client, staff, deployed, complaint):
    _cleared(staff)
    number = register(client, staff.headers("intake1"), complaint)["number"]
    path = f"/api/v1/cases/{number}/confidentiality"
    error = api_error(client.post(path, json={"confidential": True, "reason": " "}, headers=staff.headers("super1")), 422)
    assert "reason" in error["details"]
    api_error(client.post(path, json={"confidential": "yes", "reason": "x"}, headers=staff.headers("super1")), 422)
    api_error(client.post(path, json={"confidential": True, "reason": "x"}, headers=staff.headers("handler1")), 403)
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["confidential"] is False
    marked = client.post(path, json={"confidential": True, "reason": "涉及对工作人员的检举"}, headers=staff.headers("super1"))
    assert marked.status_code == 200 and marked.json == {"number": number, "confidential": True}
    api_error(client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")), 403)  # they lose sight of it
    api_error(client.post(path, json={"confidential": False, "reason": "x"}, headers=staff.headers("super1")), 403)
    lifted = client.post(path, json={"confidential": False, "reason": "经核实不涉及工作人员"}, headers=staff.headers("super_c"))
    assert lifted.status_code == 200 and lifted.json["confidential"] is False
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    changes = [(e["action"], e["details"]["reason"]) for e in timeline if e["action"].startswith("case.made_")]
    assert changes == [("case.made_confidential", "涉及对工作人员的检举"), ("case.made_open", "经核实不涉及工作人员")]


def test_notices_and_messages_of_a_confidential_case_are_for_the_cleared(client, staff, deployed):
    _cleared(staff)
    secret = register(client, staff.headers("intake_c"), SECRET)["number"]
    complete(client, staff.headers("intake_c"), secret, TRIAGE_ACCEPT)
    task = next(t for t in client.get("/api/v1/tasks?scope=group", headers=staff.headers("handler_c")).json["items"]
                if t["case_number"] == secret)
    notice = client.post("/api/v1/notices", headers=staff.headers("super_c"), json={
        "case_number": secret, "task_id": task["id"], "message": "请加快办理", "reply_by": "2099-01-01T00:00:00+08:00"})
    assert notice.status_code == 201, notice.json
    assert secret not in _numbers(client, staff.headers("super1"), "/api/v1/notices")
    assert secret not in _numbers(client, staff.headers("handler1"), "/api/v1/notices")
    assert secret in _numbers(client, staff.headers("handler_c"), "/api/v1/notices")
    told = {m["case"] for m in client.get("/api/v1/messages?limit=100", headers=staff.headers("admin1")).json["items"]}
    assert secret not in told
    told = {m["case"] for m in client.get("/api/v1/messages?limit=100", headers=staff.headers("admin_c")).json["items"]}
    assert secret in told  # the receipt by SMS: the petitioner is told as anyone is


def test_the_open311_feed_never_shows_one(live_server, client, staff, deployed):
    _cleared(staff)
    token = staff.headers("intake1")["Authorization"].split(" ", 1)[1]
    posted = requests.post(f"{live_server}/open311/v2/requests.json", timeout=10, data={
        "api_key": token, "service_code": "complaint", "lat": "31.2304", "long": "121.4737",
        "description": "举报街道工作人员收受好处费。", "first_name": "四", "last_name": "李", "phone": "13900002222"})
    assert posted.status_code == 201, posted.text
    number = posted.json()[0]["service_request_id"]
    feed = requests.get(f"{live_server}/open311/v2/requests.json", timeout=10).json()
    assert number in {r["service_request_id"] for r in feed}
    marked = client.post(f"/api/v1/cases/{number}/confidentiality", headers=staff.headers("super_c"),
                         json={"confidential": True, "reason": "检举控告"})
    assert marked.status_code == 200
    feed = requests.get(f"{live_server}/open311/v2/requests.json", timeout=10).json()
    assert number not in {r["service_request_id"] for r in feed}
    assert requests.get(f"{live_server}/open311/v2/requests/{number}.json", timeout=10).status_code == 404


def test_the_petitioner_still_tracks_it_and_a_repeat_of_it_is_confidential_too(client, staff, deployed, frozen):
    _cleared(staff)
    created = register(client, staff.headers("intake_c"), SECRET)
    clock.advance(timedelta(hours=1))
    assert public_view(client, created)["number"] == created["number"]  # the accuser follows their case
    repeat = client.post(f"/api/v1/cases/{created['number']}/repeats", headers=staff.headers("intake_c"),
                         json=dict(SECRET, confidential=False, title="再次举报违规收费"))
    assert repeat.status_code == 201, repeat.json
    api_error(client.get(f"/api/v1/cases/{repeat.json['number']}", headers=staff.headers("intake1")), 403)
