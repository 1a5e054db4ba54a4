"""Fixtures of the web tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.cases.people.users import create_user
from tests.helpers import APPROVE, INVESTIGATION, TRIAGE_ACCEPT, complete, drive_to_answer, fresh_context_client, register
from tests.web.workbench_helpers import PASSWORD, sign_in


@pytest.fixture
def owner(app, staff, deployed):
    """A test client signed in as a process owner (po), with the shipped processes deployed; also a handler, worker."""
    client = fresh_context_client(app)
    create_user("po", ["owner"], password=PASSWORD, display_name="流程负责人")
    create_user("worker", ["handler"], "ENV", password=PASSWORD)
    sign_in(client, "po")
    return client


ANSWER = {"answer": "已处理。", "feedback_channel": "phone"}


@pytest.fixture
def scenario(client, staff, deployed, complaint, frozen):
    """Eleven complaints from Monday 2026-03-02 on (see each line); returns their numbers by letter."""
    staff.add("housing_head", "head", department="HOUSING")
    clerk = staff.headers("intake1")
    created = {key: register(client, clerk, dict(complaint, title=f"诉求{key}")) for key in "ABCDEGHIJK"}
    n = {key: c["number"] for key, c in created.items()}
    for key in "ABCD":  # answered on day 0 (on time)
        drive_to_answer(client, staff, n[key])
    complete(client, staff.headers("handler1"), n["A"], {"visit_outcome": "resolved", "satisfaction": 5})  # closed
    complete(client, staff.headers("handler1"), n["B"], {"visit_outcome": "not_resolved", "satisfaction": 2})  # re-handled
    rated = client.post(f"/api/v1/public/cases/{n['C']}/rating", json={"access_code": created["C"]["access_code"],
                                                                        "score": 4})  # online: closed
    assert rated.status_code == 200
    complete(client, staff.headers("handler1"), n["D"], {"visit_outcome": "unreachable"})  # waits for a rating
    assert client.post(f"/api/v1/cases/{n['E']}/withdraw", json={"reason": "已自行解决"}, headers=clerk).status_code == 200
    repeat = client.post(f"/api/v1/cases/{n['D']}/repeats", headers=clerk, json=dict(complaint, title="诉求F"))
    assert repeat.status_code == 201
    n["F"] = repeat.json["number"]
    complete(client, clerk, n["G"], dict(TRIAGE_ACCEPT, department="HOUSING"))
    for key in "HI":
        complete(client, clerk, n[key], TRIAGE_ACCEPT)
        complete(client, staff.headers("handler1"), n[key], INVESTIGATION)
    complete(client, staff.headers("head1"), n["H"], APPROVE)
    complete(client, staff.headers("head1"), n["I"], dict(APPROVE, extension_days=30, extension_reason="需检测"))
    complete(client, clerk, n["K"], {"triage_decision": "reject", "reject_reason": "不属于本单位职责范围"})
    clock.advance(timedelta(days=25))  # J's triage, late (its limit: 15 days)
    complete(client, clerk, n["J"], TRIAGE_ACCEPT)
    clock.advance(timedelta(days=45))  # day 70: H late (60 days from acceptance), I on time (extended by 30)
    for key in "HI":
        complete(client, staff.headers("handler1"), n[key], ANSWER)
    return n
