"""Every route and page against the one access policy (app/cases/policy/rules.py): each view names its action, and for
each role — on a case, task, notice or attachment of the user's own department and of another — the answer is a
refusal (403) exactly where the table says no. A route without a rule fails here.

The matrix is printed (pytest -s shows it): one line per route, one column per role, own/other where the route
names a target; `+` allowed, `-` refused.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask

from app.cases import policy
from app.cases.people.users import create_user, principal_of
from app.cases.policy import PUBLIC_ACTIONS
from app.extensions import db
from app.models import ROLES, User
from app.web.access import TARGETS
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"
FLASK_OWN = {"static"}  # Flask's own static files: public by Flask, no view of ours
ARGUMENTS = {  # URL variables that name no target of the policy: a value that exists (or harmlessly does not)
    "key": "complaint", "version": 1, "category": "complaint", "form_id": "complaint_triage", "migration_id": 999999,
    "username": "nobody", "token_id": 999999, "filter_id": 999999, "incident_id": 999999, "notification_id": 999999,
    "package": "htmx", "filename": "htmx.min.js", "action": "publish", "message_id": 999999, "token": "no-such-link",
    "kind": "receipt", "channel": "email", "locale": "zh", "item_id": 999999, "fmt": "json", "code": "complaint",
    "person_id": 999999, "appeal_id": 999999, "report_id": 999999, "lane": "NoSuchLane", "name": "papers", "run_id": 999999,
}


@pytest.fixture
def world(app, client, staff, deployed, complaint):
    """A signed-in user of every role (department roles and supervisors in ENV), and in ENV (own) and in HOUSING
    (other) each: a case at its handler's investigation, a notice to that queue, an attachment."""
    for role in ROLES:
        create_user(f"m_{role}", [role], "ENV", password=PASSWORD)
    staff.add("admin1", "admin")
    targets = {}
    for side, department in (("own", "ENV"), ("other", "HOUSING")):
        number = register(client, staff.headers("intake1"), complaint)["number"]
        complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, department=department))
        task = open_task(client, staff.headers("handler1" if department == "ENV" else "housing1"), number)
        notice = client.post("/api/v1/notices", headers=staff.headers("admin1"), json={
            "case_number": number, "task_id": task["id"], "message": "请加快办理", "reply_by": "2099-01-01T00:00:00+08:00"})
        assert notice.status_code == 201, notice.json
        upload = client.post(f"/api/v1/cases/{number}/attachments", headers=staff.headers("admin1"),
                             data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "photo.pdf")}, content_type="multipart/form-data")
        assert upload.status_code == 201, upload.json
        targets[side] = {"number": number, "task_id": task["id"], "notice_id": notice.json["id"],
                         "attachment_id": upload.json["id"]}
    sessions = {}
    for role in ROLES:
        page = fresh_context_client(app)
        page.post("/login", data={"username": f"m_{role}", "password": PASSWORD, "csrf_token": csrf_token(page)})
        sessions[role] = (page, csrf_token(page, "/"))
    tokens = {role: staff.add(f"t_{role}", role, department="ENV") for role in ROLES}
    return targets, sessions, tokens


def test_every_route_has_a_rule_and_the_answers_follow_the_table(app: Flask, world):
    targets, sessions, tokens = world
    anonymous = fresh_context_client(app)
    principals = {role: principal_of(db.session.query(User).filter_by(username=f"m_{role}").one()) for role in ROLES}
    seen, expected, lines = {}, {}, []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods))):
        if rule.endpoint in FLASK_OWN:
            continue
        view = app.view_functions[rule.endpoint]
        action = getattr(view, "minyi_action", None)
        assert action is not None, f"{rule.rule} ({rule.endpoint}) has no rule in the access policy"
        target_name = getattr(view, "minyi_target", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if action in PUBLIC_ACTIONS:  # anyone, signed in or not: never a 403
                response = _call(anonymous, None, rule, method, targets["own"], None)
                response.close()
                assert response.status_code != 403, (rule.rule, method)
                continue
            row = []
            for side in ("own", "other") if target_name else ("own",):
                for role in ROLES:
                    target = TARGETS[target_name](targets[side][target_name]) if target_name else None
                    may = policy.may(principals[role], action, target)
                    response = _call(*sessions[role], rule, method, targets[side], tokens[role]) \
                        if not rule.rule.startswith(("/api/", "/open311/")) else _call(
                            app.test_client(), None, rule, method, targets[side], tokens[role])
                    response.close()  # a download's file
                    db.session.rollback()
                    key = (rule.rule, method, side, role)
                    expected[key], seen[key] = may, response.status_code != 403
                    row.append("+" if seen[key] else "-")
            lines.append(f"{method:6} {rule.rule:70} {action:18} {''.join(row)}")
    print("\n".join([f"{'':6} {'route':70} {'action':18} {' '.join(r[:2] for r in ROLES)} (own, then other)", *lines]))
    wrong = sorted(k for k in expected if expected[k] != seen[k])
    assert not wrong, "answers that differ from the table (route, method, department, role): " + repr(wrong[:20])


def _call(client, csrf, rule, method, target, headers):
    values = {name: target.get(name, ARGUMENTS.get(name)) for name in rule.arguments}
    path = rule.build(values, append_unknown=False)[1]
    if path.startswith("/open311/"):  # GeoReport v2: the token travels as the form's api_key
        key = (headers or {}).get("Authorization", " ").split(" ", 1)[1]
        return client.open(path, method=method, data={"api_key": key} if method == "POST" else None)
    if path.startswith("/api/"):
        body = {"json": {}} if method in ("POST", "PUT") else {}
        return client.open(path, method=method, headers=headers or {}, **body)
    data = {"csrf_token": csrf} if csrf and method == "POST" else None
    return client.open(path, method=method, data=data)


def test_the_matrix_sees_a_refusal_where_a_rule_says_no(app, world, monkeypatch):
    """The comparison can fail: with the case page's rule narrowed to admins, an analyst is refused it."""
    targets, sessions, _tokens = world
    monkeypatch.setitem(policy.POLICY, "case.view", {"admin": policy.ANY})
    page, _csrf = sessions["analyst"]
    assert page.get(f"/cases/{targets['own']['number']}").status_code == 403
    monkeypatch.undo()
    assert page.get(f"/cases/{targets['own']['number']}").status_code == 200
