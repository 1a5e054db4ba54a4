"""The supervisor console page through the test client: who may open it, CSRF, bulk reassignment, notices, escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"


@pytest.fixture
def client(app):
    return fresh_context_client(app)


@pytest.fixture
def people(staff):
    create_user("boss", ["supervisor"], password=PASSWORD, display_name="督办员")
    create_user("chief", ["leader"], password=PASSWORD)
    create_user("worker", ["handler"], "ENV", password=PASSWORD)
    return staff


def sign_in(client, username):
    return client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})


def late_cases(client, staff, complaint, n=2):
    numbers = [register(client, staff.headers("intake1"), complaint)["number"] for _ in range(n)]
    for number in numbers:
        complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    clock.advance(timedelta(days=40))
    return numbers


def test_only_supervisors_leaders_and_admins_open_the_console_and_see_it_in_the_header(client, people):
    sign_in(client, "worker")
    for path in ("/supervision", "/supervision/workload", "/supervision/notices"):
        assert client.get(path).status_code == 403
    assert 'href="/supervision"' not in client.get("/inbox").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    sign_in(client, "chief")
    for path in ("/supervision", "/supervision/workload", "/supervision/notices"):
        assert client.get(path).status_code == 200
    assert 'href="/supervision"' in client.get("/inbox").get_data(as_text=True)


def test_the_console_needs_a_session(client, people):
    response = client.get("/supervision")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_the_console_forms_refuse_a_post_without_the_csrf_token(client, people):
    sign_in(client, "boss")
    for path in ("/supervision/reassign", "/supervision/notices", "/supervision/escalate"):
        assert client.post(path, data={"case": "x", "reason": "r"}).status_code == 400


def test_a_leader_may_not_reassign_or_escalate_and_a_handler_may_not_issue_notices(client, people):
    sign_in(client, "chief")
    token = csrf_token(client, "/supervision")
    assert client.post("/supervision/reassign", data={"csrf_token": token}).status_code == 403
    assert client.post("/supervision/escalate", data={"csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    sign_in(client, "worker")
    assert client.post("/supervision/notices", data={"csrf_token": csrf_token(client, "/inbox")}).status_code == 403


def test_a_supervisor_reassigns_overdue_tasks_in_bulk_with_a_reason(client, people, deployed, complaint, frozen):
    numbers = late_cases(client, people, complaint)
    sign_in(client, "boss")
    html = client.get("/supervision?view=overdue").get_data(as_text=True)
    assert all(f'data-case="{n}"' in html for n in numbers) and 'data-view="overdue"' in html
    ids = [open_task(client, people.headers("handler1"), n)["id"] for n in numbers]
    token = csrf_token(client, "/supervision")
    response = client.post("/supervision/reassign", data={"csrf_token": token, "task": ids, "target": "user:handler2",
                                                          "reason": "handler1 is on leave"}, follow_redirects=True)
    assert "2" in response.get_data(as_text=True) and response.status_code == 200
    mine = client.get("/api/v1/tasks?scope=mine", headers=people.headers("handler2")).json["items"]
    assert {t["id"] for t in mine} == set(ids)


def test_a_bulk_reassignment_without_a_reason_moves_nothing_and_says_why(client, people, deployed, complaint, frozen):
    numbers = late_cases(client, people, complaint, 1)
    sign_in(client, "boss")
    task = open_task(client, people.headers("handler1"), numbers[0])
    response = client.post("/supervision/reassign", data={"csrf_token": csrf_token(client, "/supervision"), "task": [task["id"]],
                                                          "target": "user:handler2", "reason": " "}, follow_redirects=True)
    assert 'class="error"' in response.get_data(as_text=True)
    assert client.get("/api/v1/tasks?scope=mine", headers=people.headers("handler2")).json["items"] == []


def test_a_bulk_reassignment_names_the_tasks_that_could_not_move(client, people, deployed, complaint, frozen):
    numbers = late_cases(client, people, complaint, 2)
    ids = [open_task(client, people.headers("handler1"), n)["id"] for n in numbers]
    sign_in(client, "boss")
    token = csrf_token(client, "/supervision")
    complete(client, people.headers("handler1"), numbers[1], {"facts": "已查", "responsibility": "无", "measures": "无"})
    response = client.post("/supervision/reassign", data={"csrf_token": token, "task": ids, "target": "group:handler@ENV",
                                                          "reason": "rebalance"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert 'class="error"' in text and numbers[1] in text.split('role="alert"')[1].split("</p>")[0]
    assert open_task(client, people.headers("handler1"), numbers[0])["id"] == ids[0]  # the other one did not move either


def test_a_notice_by_hand_is_listed_open_then_overdue_and_escalation_reaches_leadership(client, people, deployed,
                                                                                      complaint, frozen):
    [number] = late_cases(client, people, complaint, 1)
    task = open_task(client, people.headers("handler1"), number)
    sign_in(client, "boss")
    token = csrf_token(client, "/supervision")
    reply_by = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post("/supervision/notices", data={"csrf_token": token, "case": number, "task": task["id"],
                                              "message": "请尽快办理", "reply_by": reply_by})
    page = client.get("/supervision?notices=open").get_data(as_text=True)  # the notices load after the page
    assert "请尽快办理" not in page and 'hx-get="/supervision/notices?notices=open"' in page
    assert "请尽快办理" in client.get("/supervision/notices?notices=open").get_data(as_text=True)
    clock.advance(timedelta(days=3))
    assert 'hx-get="/supervision/notices?notices=overdue"' in client.get("/supervision?notices=overdue").get_data(as_text=True)
    html = client.get("/supervision/notices?notices=overdue").get_data(as_text=True)
    assert 'data-state="overdue"' in html and "请尽快办理" in html
    assert "请尽快办理" not in client.get("/supervision/notices?notices=answered").get_data(as_text=True)
    client.post("/supervision/escalate", data={"csrf_token": token, "case": number, "reason": "长期未办结"})
    notices = client.get("/api/v1/notices", headers=people.headers("leader1")).json["items"]
    assert [n["kind"] for n in notices] == ["manual", "escalation"]


def test_the_workload_chart_library_is_served_from_node_modules(client, people):
    sign_in(client, "boss")
    html = client.get("/supervision").get_data(as_text=True)
    assert "/assets/echarts/echarts.common.min.js" in html and 'hx-get="/supervision/workload"' in html
    panel = client.get("/supervision/workload").get_data(as_text=True)
    assert 'id="workload-chart"' in panel and "/assets/echarts/echarts.common.min.js" in panel
    response = client.get("/assets/echarts/echarts.common.min.js")
    assert response.status_code == 200 and b"echarts" in response.get_data()
    response.close()
