"""After the answer: the follow-up visit (回访) is a task with its own clock whose outcome is recorded; the petitioner
may rate online before or after it; 15 days without a rating close the case with "no rating" recorded."""

from __future__ import annotations

from datetime import datetime, timedelta

from app import clock
from app.cases.clocks.timers import fire_due_timers
from tests.helpers import complete, drive_to_answer, open_task, register

SHANGHAI_END_OF_DAY = timedelta(hours=15, minutes=59, seconds=59)


def _case(client, staff, headers="super1", number=None):
    return client.get(f"/api/v1/cases/{number}", headers=staff.headers(headers)).json


def _actions(client, staff, number):
    return [e["action"] for e in client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]]


def test_the_follow_up_visit_is_due_two_working_days_after_the_answer(client, staff, deployed, complaint, frozen):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    drive_to_answer(client, staff, number)  # answered on Monday 2026-03-02
    visit = open_task(client, staff.headers("handler1"), number)
    assert visit["name"] == "follow_up"
    # two working days after Monday: Wednesday, to its end
    assert datetime.fromisoformat(visit["due_at"]) == frozen.replace(hour=0) + timedelta(days=2) + SHANGHAI_END_OF_DAY


def test_no_rating_within_fifteen_days_closes_the_case_with_no_rating_recorded(client, staff, deployed, complaint, frozen):
    case = register(client, staff.headers("intake1"), complaint)
    number = case["number"]
    drive_to_answer(client, staff, number)
    clock.advance(timedelta(days=14))
    fire_due_timers()  # the visit's clock has long passed: notices, not a closing
    assert _case(client, staff, number=number)["status"] == "answered"
    clock.advance(timedelta(days=2))
    fire_due_timers()
    closed = _case(client, staff, number=number)
    assert closed["status"] == "closed" and closed["satisfaction"] is None and closed["satisfaction_source"] == "none"
    assert closed["open_tasks"] == []  # the visit nobody made went with it
    assert "case.unrated" in _actions(client, staff, number)
    late = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 5})
    assert late.status_code == 409


def test_a_visit_that_could_not_reach_the_petitioner_waits_for_their_own_rating(client, staff, deployed, complaint, frozen):
    case = register(client, staff.headers("intake1"), complaint)
    number = case["number"]
    drive_to_answer(client, staff, number)
    done = complete(client, staff.headers("handler1"), number, {"visit_outcome": "unreachable",
                                                                 "satisfaction_comment": "三次致电未接通"})
    assert done["case"]["status"] == "answered" and done["next_tasks"] == []  # waiting for the petitioner, no task
    clock.advance(timedelta(days=5))
    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 4})
    assert rated.status_code == 200 and rated.json["status"] == "closed"
    detail = _case(client, staff, number=number)
    assert (detail["satisfaction"], detail["satisfaction_source"], detail["follow_up"]) == (4, "petitioner", "unreachable")
    assert "case.followed_up" in _actions(client, staff, number)


def test_a_visit_that_got_a_rating_closes_the_case_with_it(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    drive_to_answer(client, staff, number)
    done = complete(client, staff.headers("handler1"), number, {"visit_outcome": "resolved", "satisfaction": 5})
    assert done["case"]["status"] == "closed"
    detail = _case(client, staff, number=number)
    assert (detail["satisfaction"], detail["satisfaction_source"], detail["follow_up"]) == (5, "visit", "resolved")


def test_the_petitioner_rating_online_before_the_visit_ends_the_visit(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number = case["number"]
    drive_to_answer(client, staff, number)
    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 3})
    assert rated.status_code == 200 and rated.json["status"] == "closed"
    detail = _case(client, staff, number=number)
    assert (detail["satisfaction_source"], detail["follow_up"], detail["open_tasks"]) == ("petitioner", None, [])
