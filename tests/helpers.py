"""What tests share: driving cases through the HTTP API as an integration would, the sample appeals, the
frozen clock's moment, and the error shape of the API."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

from sqlalchemy import select

from app.cases.people.users import principal_of
from app.extensions import db
from app.models import Case, ProcessInstance, User

FROZEN_AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Shanghai

COMPLAINT = {
    "category": "complaint",
    "channel": "hotline",
    "title": "夜间施工噪音",
    "description": "工地每晚22点后仍在施工。",
    "petitioner": {"name": "张三", "phone": "13812345678", "address": "幸福路1号"},
}


def api_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"])
    if code:
        assert body["error"]["code"] == code
    return body["error"]


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
    from app.cases.uow.workflow import load
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


# An incident (seed 002) driven to its summary

INCIDENT = {
    "category": "incident",
    "channel": "web",
    "title": "用户数据疑似泄露引发网络舆情",
    "description": "多名用户在社交媒体称收到诈骗短信，怀疑个人信息从本单位平台泄露，相关帖子转发量快速上升。",
    "petitioner": {"name": "李四", "phone": "13900001111"},
}
CONFIRM = {"triage_decision": "accept", "incident_type": "data_privacy",
           "incident_description": "3月1日起多名用户反映收到诈骗短信，微博话题阅读量已过十万。"}
NO_STATEMENT = {"interim_statement": None, "more_statements": False}  # nothing more to say before the summary
SUMMARY = {"causes": "第三方短信服务商接口鉴权配置错误。", "improvements": "更换密钥，建立接口安全季度审计。",
           "statement": "经核查，部分用户手机号因第三方接口配置错误外泄，已完成整改并向受影响用户致歉。"}


def fill(client, headers, number, data, name, expect=200) -> dict:
    """Read the task's form, check it asks for every field sent, and submit the data."""
    task = open_task(client, headers, number, name)
    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=headers).json
    assert set(data) <= {field["name"] for field in detail["form"]["fields"]}, (name, detail["form"])
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json=data, headers=headers)
    assert response.status_code == expect, response.json
    return response.json


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def collected(number: str, name: str) -> list:
    """Every value of a variable in the task data of the case's instance (the engine's state, not an API)."""
    db.session.expire_all()
    state = db.session.scalar(select(ProcessInstance.state).join(Case, Case.id == ProcessInstance.case_id)
                              .where(Case.number == number))
    found = []

    def walk(node):
        if isinstance(node, dict):
            for data in (node.get("data"), node.get("updates")):  # a task's data is stored as a delta
                if isinstance(data, dict) and name in data:
                    found.append(data[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(state))
    return found


def drive_to_summary(client, staff, number, departments, level="IV", major=False):
    """Report -> assessment -> dispatch; returns the tasks the dispatch made ready (the departments' responses and
    the first interim statement)."""
    fill(client, staff.headers("intake1"), number, dict(CONFIRM, major=major), "triage")
    fill(client, staff.headers("super1"), number, {"level": level, "scope": "全国用户", "risk": "媒体跟进报道"}, "assess")
    dispatch = {f"department_{i}": code for i, code in enumerate(departments, start=1)}
    dispatched = fill(client, staff.headers("leader1"), number,
                      dict(dispatch, instructions="生态环境科核实数据流向；住房保障科联系受影响用户。"), "dispatch")
    return dispatched["next_tasks"]


# Integration tests: rows, threads, users

def table_rows(engine):
    with engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


def in_threads(app, count, work):
    """Run work(i) in `count` threads with their own app context; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
            except Exception as exc:  # the test inspects what each thread got
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def principal_named(name):
    return principal_of(db.session.query(User).filter_by(username=name).one())
