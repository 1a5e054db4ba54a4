"""Driving cases through the HTTP API, as an integration would."""

from __future__ import annotations


def register(client, headers, payload) -> dict:
    response = client.post("/api/v1/cases", json=payload, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def open_task(client, headers, number, name=None) -> dict:
    """The one open task of the case visible to these headers (optionally by BPMN id)."""
    items = client.get("/api/v1/tasks?scope=group&per_page=200", headers=headers).json["items"]
    mine = [t for t in items if t["case_number"] == number and (name is None or t["name"] == name)]
    assert len(mine) == 1, (number, name, items)
    return mine[0]


def complete(client, headers, number, data, name=None, expect=200) -> dict:
    task = open_task(client, headers, number, name)
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json=data, headers=headers)
    assert response.status_code == expect, response.json
    return response.json


TRIAGE_ACCEPT = {"triage_decision": "accept", "department": "ENV"}
INVESTIGATION = {"facts": "夜间施工属实", "responsibility": "施工单位", "measures": "责令停止夜间施工"}
APPROVE = {"head_decision": "approve"}
ANSWER = {"answer": "已责令施工单位停止夜间施工。", "feedback_channel": "phone"}


def drive_to_answer(client, staff, number, major=False):
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, dict(APPROVE, major=major))
    if major:
        complete(client, staff.headers("leader1"), number, {"leadership_decision": "approve"})
    complete(client, staff.headers("handler1"), number, ANSWER)


def process_data(task_id: str) -> dict:
    """The process variables an open task sees: what the API does not show (reports, recorded reasons)."""
    from app import engine
    from app.cases.workflow import load
    from app.extensions import db
    from app.models import Task

    task = db.session.get(Task, task_id)
    return engine.task_data(load(task.instance_id, "test").workflow, task_id)


def csrf_token(client, path="/login") -> str:
    """The CSRF token a page hands out to this client's session."""
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def step(client, headers, number, name, data, expect=200):
    """Read the open task's form as a client would, check the data fits its fields, and submit it."""
    task = open_task(client, headers, number, name)
    shown = client.get(f"/api/v1/tasks/{task['id']}", headers=headers)
    assert shown.status_code == 200, shown.json
    fields = {f["name"] for f in shown.json["form"]["fields"]}
    assert set(data) <= fields, (name, set(data) - fields)
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json=data, headers=headers)
    assert response.status_code == expect, response.json
    return response.json


def public_view(client, case):
    response = client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}")
    assert response.status_code == 200, response.json
    return response.json


def rate(client, case, score, comment=None):
    return client.post(f"/api/v1/public/cases/{case['number']}/rating",
                       json={"access_code": case["access_code"], "score": score, "comment": comment})


def fresh_context_client(app):
    """A test client whose every request runs in its own app context, as in a server: otherwise the `app`
    fixture's context would carry `g` (the signed-in user, the CSRF token, the locale) from request to request."""
    from flask.testing import FlaskClient

    class FreshContextClient(FlaskClient):
        def open(self, *args, **kwargs):
            with self.application.app_context():
                return super().open(*args, **kwargs)

    return FreshContextClient(app, app.response_class, use_cookies=True)
