"""The defects the one access policy fixed, through the API and the pages: department staff list and search only the
cases they may open; a task goes only to someone who may do its step; attachments are for those who work on cases;
and every ledger action has a label, so no page shows a raw code."""

from __future__ import annotations

import io
import re

from app.cases import ledger
from app.cases.people.users import create_user
from app.models import LedgerEntry
from tests.helpers import TRIAGE_ACCEPT, api_error, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"
HELP = {"category": "help", "channel": "hotline", "title": "独居老人家中断水", "description": "老人家中断水两天，请求帮助。",
        "petitioner": {"name": "李四", "phone": "13912345678"}}


def _numbers(client, headers, query=""):
    response = client.get(f"/api/v1/cases{query}", headers=headers)
    assert response.status_code == 200, response.json
    return sorted(c["number"] for c in response.json["items"])


def _routed(client, staff, complaint, department):
    number = register(client, staff.headers("intake1"), dict(complaint, title=f"{department} 夜间施工噪音"))["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, department=department))
    return number


def test_department_staff_list_and_search_only_the_cases_they_may_open(client, staff, deployed, complaint):
    env, housing = _routed(client, staff, complaint, "ENV"), _routed(client, staff, complaint, "HOUSING")
    waiting = register(client, staff.headers("intake1"), complaint)["number"]  # at triage, no department yet
    assert _numbers(client, staff.headers("housing1")) == [housing]
    assert _numbers(client, staff.headers("housing1"), "?q=夜间施工") == [housing]
    assert _numbers(client, staff.headers("housing1"), f"?q={env}") == []  # a whole number of another department
    assert _numbers(client, staff.headers("handler1"), "?q=夜间施工") == [env]
    assert client.get("/api/v1/cases", headers=staff.headers("housing1")).json["total"] == 1
    assert _numbers(client, staff.headers("analyst1")) == sorted([env, housing, waiting])
    api_error(client.get(f"/api/v1/cases/{env}", headers=staff.headers("housing1")), 403)


def test_a_department_working_on_part_of_another_departments_case_sees_it_in_its_list(client, staff, deployed):
    number = register(client, staff.headers("intake1"), HELP)["number"]
    complete(client, staff.headers("intake1"), number, {
        "triage_decision": "accept", "urgency": "normal", "department_1": "ENV", "department_2": "HOUSING"})
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["department"] == "ENV"
    # HOUSING coordinates one part: its handler finds the case in the list and opens it
    assert _numbers(client, staff.headers("housing1")) == [number]
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("housing1")).status_code == 200


def test_a_rerouted_case_stays_visible_to_the_department_that_worked_on_it(client, staff, deployed, complaint):
    number = _routed(client, staff, complaint, "ENV")
    task = open_task(client, staff.headers("handler1"), number)
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler1")).status_code == 200
    moved = client.post(f"/api/v1/cases/{number}/reroute", headers=staff.headers("super1"),
                        json={"department": "HOUSING", "reason": "属住房保障科职责"})
    assert moved.status_code == 200, moved.json
    assert _numbers(client, staff.headers("housing1")) == [number]
    assert _numbers(client, staff.headers("handler1")) == [number]  # ENV's queue held its task
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("handler1")).status_code == 200


def test_a_text_search_finds_the_departments_cases_and_those_its_queue_held_but_no_other(client, staff, deployed,
                                                                                          complaint):
    """The search runs the two parts of a department's view apart (its cases; the cases its queues held) and joins
    them: each with its count, none twice, nothing of a department the user does not work with."""
    held = _routed(client, staff, complaint, "ENV")
    task = open_task(client, staff.headers("handler1"), held)
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler1")).status_code == 200
    assert client.post(f"/api/v1/cases/{held}/reroute", headers=staff.headers("super1"),
                       json={"department": "HOUSING", "reason": "属住房保障科职责"}).status_code == 200
    own = _routed(client, staff, complaint, "ENV")
    elsewhere = _routed(client, staff, complaint, "HOUSING")
    for q in ("夜间施工噪音", "噪音"):  # a trigram search and a two-character one
        assert _numbers(client, staff.headers("handler1"), f"?q={q}") == sorted([held, own])
        assert client.get(f"/api/v1/cases?q={q}", headers=staff.headers("handler1")).json["total"] == 2
        assert _numbers(client, staff.headers("housing1"), f"?q={q}") == sorted([held, elsewhere])
    assert _numbers(client, staff.headers("handler1"), "?q=没有的标题") == []


def test_a_task_goes_only_to_someone_who_may_do_its_step_and_the_refusal_says_why(client, staff, deployed, complaint):
    number = _routed(client, staff, complaint, "ENV")
    task = open_task(client, staff.headers("handler1"), number)
    sup = staff.headers("super1")
    for who in ("analyst1", "owner1", "head1"):
        refused = api_error(client.post(f"/api/v1/tasks/{task['id']}/assign", headers=sup,
                                        json={"user": who, "reason": "人手不足"}), 422, "validation_failed")
        assert refused["details"]["user"] == [f"{who} may not do “{task['title']}”: the step needs the role handler"]
    refused = api_error(client.post(f"/api/v1/tasks/{task['id']}/assign", headers=sup,
                                    json={"group": "head@ENV", "reason": "人手不足"}), 422)
    assert "needs a queue of the role handler" in refused["details"]["group"][0]
    assert open_task(client, staff.headers("handler1"), number)["assignee"] is None  # nothing moved
    moved = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=sup, json={"user": "housing1", "reason": "协助办理"})
    assert moved.status_code == 200 and moved.json["assignee"] == "housing1" and moved.json["group"] == "handler@HOUSING"
    # the handler it went to works on it, and finds its case in the list
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=staff.headers("housing1")).status_code == 200
    assert _numbers(client, staff.headers("housing1")) == [number]


def test_analysts_and_owners_see_cases_without_their_attachments(app, client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    upload = client.post(f"/api/v1/cases/{number}/attachments", headers=staff.headers("intake1"),
                         data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "现场照片.pdf")}, content_type="multipart/form-data")
    assert upload.status_code == 201
    for who in ("analyst1", "owner1"):
        api_error(client.get(f"/api/v1/attachments/{upload.json['id']}", headers=staff.headers(who)), 403)
        api_error(client.get(f"/api/v1/cases/{number}/attachments", headers=staff.headers(who)), 403)
        assert client.get(f"/api/v1/cases/{number}", headers=staff.headers(who)).status_code == 200
    download = client.get(f"/api/v1/attachments/{upload.json['id']}", headers=staff.headers("super1"))
    assert download.status_code == 200
    download.close()
    create_user("ana", ["analyst"], password=PASSWORD)
    page = fresh_context_client(app)
    page.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": csrf_token(page)})
    html = page.get(f"/cases/{number}").get_data(as_text=True)
    assert number in html and 'id="attachments-title"' not in html and "/attachments/" not in html
    assert page.get(f"/cases/{number}/attachments/{upload.json['id']}").status_code == 403


def test_every_action_written_has_a_label_and_the_timeline_shows_no_raw_code(app, client, staff, deployed, complaint):
    number = _routed(client, staff, complaint, "ENV")
    sup = staff.headers("super1")
    assert client.post(f"/api/v1/cases/{number}/object", headers=staff.headers("handler1"),
                       json={"reason": "不属本科职责"}).status_code == 201
    assert client.post(f"/api/v1/cases/{number}/reroute", headers=sup,
                       json={"department": "HOUSING", "reason": "改派住房保障科"}).status_code == 200
    assert client.post(f"/api/v1/cases/{number}/escalate", headers=sup, json={"reason": "久拖未决"}).status_code == 201
    written = {e.action for e in LedgerEntry.query.all()}
    assert {"case.routing_objected", "case.rerouted", "case.escalated"} <= written
    assert written <= set(ledger.ACTIONS), written - set(ledger.ACTIONS)
    create_user("sup_page", ["supervisor"], password=PASSWORD)
    page = fresh_context_client(app)
    page.post("/login", data={"username": "sup_page", "password": PASSWORD, "csrf_token": csrf_token(page)})
    html = page.get(f"/cases/{number}").get_data(as_text=True)
    timeline = html[html.index('id="timeline-title"'):]
    assert not re.search(r"\b(case|task|process|notice|sla|timer)\.[a-z_]+\b", timeline), timeline[:2000]
    for label in ("对分派提出异议（退单）", "改派至其他部门", "提级上报领导"):
        assert label in timeline


def test_writing_an_action_the_registry_does_not_know_fails_at_once(app):
    import pytest

    with pytest.raises(ledger.UnknownActionError):
        ledger.entry("case.teleported", to="nowhere")
