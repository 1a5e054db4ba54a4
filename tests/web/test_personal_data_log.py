"""Every view of a petitioner's unmasked personal data is logged — who, when, which case, API or page — and
only admins read the log."""

from __future__ import annotations

import pytest

from tests.helpers import TRIAGE_ACCEPT, complete, register


@pytest.fixture
def routed(client, staff, deployed, complaint):
    staff.add("admin1", "admin")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    return number


def log_of(client, staff, number):
    response = client.get(f"/api/v1/cases/{number}/access-log", headers=staff.headers("admin1"))
    assert response.status_code == 200, response.json
    return response.json


def test_an_unmasked_view_through_the_api_is_logged_with_who_and_the_channel(client, staff, routed):
    shown = client.get(f"/api/v1/cases/{routed}", headers=staff.headers("handler1")).json["petitioner"]
    assert shown["name"] == "张三"
    log = log_of(client, staff, routed)
    assert log["total"] == 1 and [(e["actor"], e["channel"]) for e in log["items"]] == [("handler1", "api")]
    assert log["items"][0]["at"]


def test_a_masked_view_is_not_logged(client, staff, routed):
    shown = client.get(f"/api/v1/cases/{routed}", headers=staff.headers("analyst1")).json["petitioner"]
    assert shown["masked"] is True and shown["name"] == "张*"
    assert log_of(client, staff, routed) == {"items": [], "total": 0}


def test_each_view_is_one_row(client, staff, routed):
    for _ in range(3):
        client.get(f"/api/v1/cases/{routed}", headers=staff.headers("super1"))
    assert [e["actor"] for e in log_of(client, staff, routed)["items"]] == ["super1"] * 3


def test_only_admins_read_the_log(client, staff, routed):
    for user in ("handler1", "super1", "analyst1", "leader1"):
        assert client.get(f"/api/v1/cases/{routed}/access-log", headers=staff.headers(user)).status_code == 403
    assert client.get(f"/api/v1/cases/{routed}/access-log").status_code == 401


def test_the_log_is_append_only(app, client, staff, routed):
    from app.extensions import db
    from app.models import PersonalDataAccess

    client.get(f"/api/v1/cases/{routed}", headers=staff.headers("handler1"))
    row = db.session.query(PersonalDataAccess).one()
    db.session.delete(row)
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
