"""A task form shows what the case's data already holds, and a field nobody touched never erases what an earlier
step decided; clearing a value is an explicit act (null in the API, an emptied field on the page)."""

from __future__ import annotations

import re

from app.cases.people.users import create_user
from tests.helpers import INVESTIGATION, TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"


def _signed_in(app, username, role, department=None):
    create_user(username, [role], department, password=PASSWORD)
    client = fresh_context_client(app)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})
    return client


def test_major_at_triage_goes_to_leadership_when_the_head_leaves_the_box_untouched(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, major=True))
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    review = open_task(client, staff.headers("head1"), number)
    detail = client.get(f"/api/v1/tasks/{review['id']}", headers=staff.headers("head1")).json
    assert detail["values"]["major"] is True  # what the triage decided, as the form shows it
    done = complete(client, staff.headers("head1"), number, {"head_decision": "approve"})
    assert [t["name"] for t in done["next_tasks"]] == ["leadership_approval"]
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    review_data = next(e["details"]["data"] for e in timeline
                       if e["action"] == "task.completed" and e["details"]["name"] == "head_review")
    assert review_data["major"] is True


def test_clearing_a_value_is_an_explicit_null(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, major=True))
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    done = complete(client, staff.headers("head1"), number, {"head_decision": "approve", "major": None})
    assert [t["name"] for t in done["next_tasks"]] == ["feedback"]


def test_a_rework_shows_the_earlier_findings_and_keeps_them_when_left_untouched(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, {"head_decision": "rework", "head_comment": "请补充整改时限"})
    again = open_task(client, staff.headers("handler1"), number)
    values = client.get(f"/api/v1/tasks/{again['id']}", headers=staff.headers("handler1")).json["values"]
    assert {k: values[k] for k in INVESTIGATION} == INVESTIGATION
    # only the measures change; the facts and responsibility (required) stay as found
    done = complete(client, staff.headers("handler1"), number, {"measures": "责令整改，三日内停止夜间施工"})
    assert [t["name"] for t in done["next_tasks"]] == ["head_review"]
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    second = [e["details"]["data"] for e in timeline
              if e["action"] == "task.completed" and e["details"]["name"] == "investigate"][-1]
    assert second == dict(INVESTIGATION, measures="责令整改，三日内停止夜间施工")


def test_the_heads_page_shows_the_triage_decision_and_submitting_it_untouched_keeps_it(app, client, staff, deployed,
                                                                                       complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, major=True))
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    review = open_task(client, staff.headers("head1"), number)
    head = _signed_in(app, "head_page", "head", "ENV")
    page = head.get(f"/tasks/{review['id']}").get_data(as_text=True)
    assert re.search(r'<input type="checkbox" id="field-major" name="major" value="true" checked', page)
    # the browser posts what the form shows: the checked box, the chosen decision
    posted = head.post(f"/tasks/{review['id']}", data={"head_decision": "approve", "major": "true",
                                                       "csrf_token": csrf_token(head, f"/tasks/{review['id']}")})
    assert posted.status_code == 302
    assert open_task(client, staff.headers("leader1"), number)["name"] == "leadership_approval"
