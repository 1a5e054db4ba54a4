"""After the answer: the follow-up visit (回访) is a task with its own clock whose outcome is recorded; the petitioner
may rate online before or after it; 15 days without a rating close the case with "no rating" recorded."""

from __future__ import annotations

from datetime import datetime, timedelta

from app import clock
from app.cases.clocks.timers import fire_due_timers
from tests.helpers import complete, csrf_token, drive_to_answer, open_task, register

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


def test_the_petitioner_is_told_both_dates_and_each_new_answer_date_with_its_reason(client, staff, deployed, complaint,
                                                                                     frozen):
    created = register(client, staff.headers("intake1"), complaint)
    received = frozen.replace(hour=0)  # Monday 2026-03-02
    # acceptance within 15 days (Tuesday 03-17), the answer 60 days after that at the latest (Saturday 05-16, so Monday)
    assert created["accept_by"].startswith("2026-03-17") and created["answer_by"].startswith("2026-05-18")
    number, code = created["number"], created["access_code"]
    public = client.get(f"/api/v1/public/cases/{number}?access_code={code}").json
    assert (public["accept_by"][:10], public["answer_by"][:10], public["answer_by_changes"]) == (
        "2026-03-17", "2026-05-18", [])

    clock.advance(timedelta(days=3))  # accepted on Thursday 03-05: 60 days, to 05-04 in the May holidays, so 05-06
    complete(client, staff.headers("intake1"), number, {"triage_decision": "accept", "department": "ENV"})
    complete(client, staff.headers("handler1"), number, {"facts": "属实", "responsibility": "施工单位", "measures": "整改"})
    complete(client, staff.headers("head1"), number, {"head_decision": "approve", "extension_days": 20,
                                                      "extension_reason": "需协调住建部门联合执法"})
    public = client.get(f"/api/v1/public/cases/{number}?access_code={code}").json
    changes = public["answer_by_changes"]
    assert [(c["because"], c["answer_by"][:10]) for c in changes] == [("accepted", "2026-05-06"), ("extended", "2026-05-26")]
    assert changes[1]["reason"] == "需协调住建部门联合执法" and public["answer_by"][:10] == "2026-05-26"
    assert received < datetime.fromisoformat(public["accept_by"])
    page = client.post("/track", data={"number": number, "access_code": code,
                                       "csrf_token": csrf_token(client, "/track")}).get_data(as_text=True)
    assert "需协调住建部门联合执法" in page and "您的诉求已受理，开始计算办理期限" in page and "2026-05-26" in page
