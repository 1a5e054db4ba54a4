"""The month's focus topic (每月一题): leadership marks it, the figures follow it month by month, everyone who reads
the figures sees it; a bad mark is refused saying why and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from tests.helpers import api_error, drive_to_answer, register

NIGHT_WORKS = "URBAN.CONSTR.NIGHT"  # a shipped topic (loaded by `minyi topics import`)


@pytest.fixture
def topics(runner):
    assert runner.invoke(args=["topics", "import"]).exit_code == 0


def _focus(client, headers, **query):
    response = client.get("/api/v1/stats/focus", query_string={"from": "2026-03-01", "to": "2026-05-31", **query},
                          headers=headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_a_leader_marks_the_focus_of_a_month_and_its_figures_follow_it(client, staff, deployed, complaint, frozen,
                                                                      topics):
    clerk = staff.headers("intake1")
    code = NIGHT_WORKS
    numbers = [register(client, clerk, dict(complaint, title=f"夜间施工{i}", topic=code))["number"] for i in range(3)]
    register(client, clerk, dict(complaint, title="别的事"))  # no topic: not counted for the focus
    drive_to_answer(client, staff, numbers[0])
    clock.advance(timedelta(days=31))  # into April
    register(client, clerk, dict(complaint, title="夜间施工又来了", topic=code))

    leader = staff.headers("leader1")
    marked = client.post("/api/v1/stats/focus", json={"month": "2026-03", "topic": code, "note": "夜间施工扰民集中治理"},
                         headers=leader)
    assert marked.status_code == 201, marked.json
    shown = marked.json
    assert shown["month"] == "2026-03" and shown["topic"] == code and shown["set_by"] == "leader1"
    assert shown["counts"]["received"] == 3 and shown["counts"]["answered"] == 1
    assert [b["counts"]["received"] for b in shown["follow"][:2]] == [3, 1]  # March, then April
    assert shown["follow"][0]["from"] == "2026-03-01"

    items = _focus(client, staff.headers("analyst1"))
    assert [f["month"] for f in items] == ["2026-03"] and items[0]["note"] == "夜间施工扰民集中治理"
    staff.add("admin1", "admin")
    again = client.post("/api/v1/stats/focus", json={"month": "2026-03", "topic": code, "note": "改为持续跟踪"},
                        headers=staff.headers("admin1"))
    assert again.status_code == 201
    assert [f["note"] for f in _focus(client, staff.headers("super1"))] == ["改为持续跟踪"]  # the latest holds
    assert _focus(client, leader, **{"from": "2026-06-01", "to": "2026-06-30"}) == []


def test_a_focus_mark_is_for_leaders_and_a_bad_one_is_refused_saying_why(client, staff, deployed, frozen, topics):
    body = {"month": "2026-03", "topic": "NOPE"}
    api_error(client.post("/api/v1/stats/focus", json=body, headers=staff.headers("analyst1")), 403)
    api_error(client.post("/api/v1/stats/focus", json=body, headers=staff.headers("super1")), 403)
    leader = staff.headers("leader1")
    assert "topic" in api_error(client.post("/api/v1/stats/focus", json=body, headers=leader), 422)["details"]
    for month in ("2026-13", "2026", "March", "1999-12"):
        error = api_error(client.post("/api/v1/stats/focus", json={"month": month, "topic": "X"}, headers=leader), 422)
        assert "month" in error["details"], month
    long_note = {"month": "2026-03", "topic": "X", "note": "长" * 2001}
    assert "note" in api_error(client.post("/api/v1/stats/focus", json=long_note, headers=leader), 422)["details"]
    assert _focus(client, leader) == []
