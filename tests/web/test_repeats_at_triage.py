"""Appeals that came in by themselves (here a city app's Open311 request) get the repeat check at triage: the clerk
sees the candidates of the registered case and links it as a repeat of an open case -- its process ends, the
petitioner is told which case handles it, the open case's record shows it."""

from __future__ import annotations

import requests

from tests.helpers import TRIAGE_ACCEPT, api_error, complete, register


def _city_request(live_server, staff, description, phone):
    token = staff.headers("intake1")["Authorization"].split(" ", 1)[1]
    posted = requests.post(f"{live_server}/open311/v2/requests.json", timeout=10, data={
        "api_key": token, "service_code": "complaint", "lat": "31.2304", "long": "121.4737",
        "description": description, "first_name": "三", "last_name": "张", "phone": phone})
    assert posted.status_code == 201, posted.text
    return posted.json()[0]["service_request_id"]


def test_a_city_apps_request_is_found_to_repeat_an_open_case_and_closed_as_its_repeat(
        live_server, client, staff, deployed, complaint):
    staff.add("admin1", "admin")
    clerk = staff.headers("intake1")
    first = register(client, clerk, complaint)["number"]  # 夜间施工噪音, from 13812345678
    complete(client, clerk, first, TRIAGE_ACCEPT)
    number = _city_request(live_server, staff, "工地每晚22点后仍在施工，噪音很大。", "13812345678")
    found = client.get(f"/api/v1/cases/{number}/candidates", headers=clerk)
    assert found.status_code == 200, found.json
    best = found.json["items"][0]
    assert best["number"] == first and "same_person" in {r["code"] for r in best["reasons"]} and best["score"] >= 0.8
    assert number not in {c["number"] for c in found.json["items"]}  # never itself

    linked = client.post(f"/api/v1/cases/{number}/repeat-of", json={"original": first}, headers=clerk)
    assert linked.status_code == 200, linked.json
    assert linked.json["status"] == "closed" and linked.json["repeat_of"] == first
    case = client.get(f"/api/v1/cases/{number}", headers=clerk).json
    assert case["open_tasks"] == [] and case["process"]["completed"] is True
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=clerk).json["items"]
    assert ("case.linked_as_repeat", first) in {(e["action"], e["details"].get("repeat_of")) for e in timeline}
    original = client.get(f"/api/v1/cases/{first}/timeline", headers=clerk).json["items"]
    assert {"number": number, "channel": "open311"} in [e["details"] for e in original if e["action"] == "case.repeat_received"]
    told = client.get("/api/v1/messages?limit=100", headers=staff.headers("admin1")).json["items"]
    repeat = [m for m in told if m["case"] == number and m["kind"] == "repeat"]
    assert len(repeat) == 1 and first in repeat[0]["body"]
    # done once: again, it is past triage
    api_error(client.post(f"/api/v1/cases/{number}/repeat-of", json={"original": first}, headers=clerk), 409)


def test_what_cannot_be_linked_is_refused_saying_why_and_changes_nothing(live_server, client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    number = _city_request(live_server, staff, "路灯不亮", "13700001111")
    other = register(client, clerk, complaint)["number"]
    path = f"/api/v1/cases/{number}/repeat-of"
    assert "original" in api_error(client.post(path, json={"original": number}, headers=clerk), 422)["details"]
    api_error(client.post(path, json={}, headers=clerk), 422)
    api_error(client.post(path, json={"original": "20990101000000"}, headers=clerk), 404)
    api_error(client.post(path, json={"original": other}, headers=staff.headers("handler1")), 403)
    complete(client, clerk, other, {"triage_decision": "reject", "reject_reason": "不属于本单位职责范围"})
    refused = api_error(client.post(path, json={"original": other}, headers=clerk), 409)
    assert other in refused["message"]
    case = client.get(f"/api/v1/cases/{number}", headers=clerk).json
    assert case["status"] == "registered" and len(case["open_tasks"]) == 1
