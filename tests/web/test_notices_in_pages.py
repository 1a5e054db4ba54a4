"""Supervision notices answered where the work is: the addressee sees an open notice on the task page and flagged in
the inbox, replies there, and the supervisors' console lists it as answered; every staff page's header counts the
user's unread notifications; the department objects to a routing (退单) and a supervisor re-routes, from the case
page."""

from __future__ import annotations

import re

from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"


def _signed_in(app, username, role, department=None):
    create_user(username, [role], department, password=PASSWORD)
    client = fresh_context_client(app)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})
    return client


def _routed(client, staff, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    return number


def test_a_notice_answered_on_the_task_page_shows_as_answered_on_the_console(app, client, staff, deployed, complaint):
    number = _routed(client, staff, complaint)
    task = open_task(client, staff.headers("handler1"), number)
    issued = client.post("/api/v1/notices", headers=staff.headers("super1"), json={
        "case_number": number, "task_id": task["id"], "message": "请三日内说明进展", "reply_by": "2099-01-01T00:00:00+08:00"})
    assert issued.status_code == 201
    handler = _signed_in(app, "env_page", "handler", "ENV")
    inbox = handler.get("/inbox").get_data(as_text=True)
    row = inbox[inbox.index(f'data-case="{number}"'):]
    assert "notice-flag" in row[:row.index("</tr>")]
    assert re.search(r'id="unread-count"[^>]*>1<', inbox)  # the notice is a notification of the handler's queue
    page = handler.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "请三日内说明进展" in page and f'id="reply-{issued.json["id"]}"' in page
    sent = handler.post(f"/notices/{issued.json['id']}/reply", data={
        "reply": "已完成现场核查，明日答复。", "back": f"/tasks/{task['id']}", "csrf_token": csrf_token(handler, "/inbox")})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/tasks/{task['id']}")
    answered = client.get("/api/v1/notices?state=answered", headers=staff.headers("super1")).json["items"]
    assert [(n["id"], n["reply"]) for n in answered] == [(issued.json["id"], "已完成现场核查，明日答复。")]
    supervisor = _signed_in(app, "sup_page", "supervisor")
    panel = supervisor.get("/supervision/notices?notices=answered").get_data(as_text=True)
    assert "已完成现场核查，明日答复。" in panel
    # someone the notice is not addressed to may not answer it
    other = _signed_in(app, "housing_page", "handler", "HOUSING")
    refused = other.post(f"/notices/{issued.json['id']}/reply", data={"reply": "x", "csrf_token": csrf_token(other, "/inbox")})
    assert refused.status_code == 403


def test_the_notifications_page_lists_and_marks_read(app, client, staff, deployed, complaint):
    number = _routed(client, staff, complaint)
    task = open_task(client, staff.headers("handler1"), number)
    client.post("/api/v1/notices", headers=staff.headers("super1"), json={
        "case_number": number, "task_id": task["id"], "message": "请加快办理", "reply_by": "2099-01-01T00:00:00+08:00"})
    handler = _signed_in(app, "env_page", "handler", "ENV")
    listed = handler.get("/notifications?unread=1").get_data(as_text=True)
    assert "请加快办理" in listed and "督办单" in listed
    note_id = re.search(r"/notifications/(\d+)/read", listed).group(1)
    assert handler.post(f"/notifications/{note_id}/read", data={"csrf_token": csrf_token(handler, "/inbox")}).status_code == 302
    assert "请加快办理" not in handler.get("/notifications?unread=1").get_data(as_text=True)
    assert 'id="unread-count"' not in handler.get("/inbox").get_data(as_text=True)


def test_the_department_objects_and_a_supervisor_reroutes_from_the_case_page(app, client, staff, deployed, complaint):
    number = _routed(client, staff, complaint)
    handler = _signed_in(app, "env_page", "handler", "ENV")
    case_page = handler.get(f"/cases/{number}").get_data(as_text=True)
    assert 'id="object"' in case_page and 'id="reroute"' not in case_page
    objected = handler.post(f"/cases/{number}/object", data={"reason": "属住房保障科职责",
                                                              "csrf_token": csrf_token(handler, f"/cases/{number}")})
    assert objected.status_code == 302
    assert [n["kind"] for n in client.get("/api/v1/notices?state=open", headers=staff.headers("super1")).json["items"]] == [
        "objection"]
    supervisor = _signed_in(app, "sup_page", "supervisor")
    assert 'id="reroute"' in supervisor.get(f"/cases/{number}").get_data(as_text=True)
    moved = supervisor.post(f"/cases/{number}/reroute", data={"department": "HOUSING", "reason": "同意退单",
                                                               "csrf_token": csrf_token(supervisor, f"/cases/{number}")})
    assert moved.status_code == 302
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["department"] == "HOUSING"
    assert "已改派至住房保障科。" in supervisor.get(f"/cases/{number}").get_data(as_text=True)
