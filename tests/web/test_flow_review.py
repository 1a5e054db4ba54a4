"""A review (复查, 信访工作条例 Art. 35) or re-review (复核, Art. 36) of a handled case.

`start_review` opens the linked case through the platform's `open_case` (what app/cases/intake/reviews.py does
after its checks); from then on every step goes through the HTTP API. The requests themselves (window,
once per case, last word after 复核) are tested in test_reviews.py.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.cases.intake.appeal import parse_appeal
from app.cases.intake.registration import ReviewLink, open_case
from app.extensions import db
from app.models import Case
from tests.helpers import FROZEN_AT, drive_to_answer, open_task, register

LEVELS = {"review": "复查", "re-review": "复核"}
REASON = "对处理结果不服：施工仍在夜间进行。"
UPHOLD = {"decision": "uphold", "decision_reasons": "经复查，原处理事实清楚、依据充分。"}
CHANGE = {"decision": "change", "decision_reasons": "原处理未落实整改措施。",
          "new_answer": "责令施工单位立即停止夜间施工，由执法大队每晚巡查一个月。"}


def start_review(original: dict, level: str, reason: str = REASON, actor: str = "intake1") -> tuple[str, str]:
    """The linked review case as the platform opens it (app/cases/intake/reviews.py), at the given level; returns
    (number, access code). The review service decides the level from the original; here both levels are
    started from one answered case so that each branch runs at both."""
    source = db.session.scalar(select(Case).where(Case.number == original["number"]))
    appeal = parse_appeal({"category": original["category"], "channel": "web", "title": f"{LEVELS[level]}：{source.title}",
                           "description": reason, "petitioner": dict(original["petitioner"])})
    intake = open_case(appeal, actor, "review", ReviewLink(source.id if level == "review" else None, original["number"],
                                                             level, reason))
    return intake.number, intake.access_code


@pytest.fixture
def original(client, staff, deployed, complaint):
    """A complaint handled and answered: the case a petitioner asks to have reviewed."""
    number = register(client, staff.headers("intake1"), complaint)["number"]
    drive_to_answer(client, staff, number)
    return {"number": number, "category": complaint["category"], "petitioner": complaint["petitioner"]}


def fill(client, headers, number, data, name, expect=200) -> dict:
    """Read the task's form, check it asks for every field sent, and submit the data."""
    task = open_task(client, headers, number, name)
    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=headers).json
    assert set(data) <= {field["name"] for field in detail["form"]["fields"]}, (name, detail["form"])
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json=data, headers=headers)
    assert response.status_code == expect, response.json
    return response.json


def public(client, number, code) -> dict:
    return client.get(f"/api/v1/public/cases/{number}?access_code={code}").json


@pytest.mark.parametrize("level", LEVELS)
def test_a_review_request_refused_at_intake_ends_rejected_naming_the_level_and_the_original_case(
        client, staff, original, level):
    number, code = start_review(original, level)
    task = open_task(client, staff.headers("intake1"), number)
    assert (task["name"], task["group"], task["title"]) == ("accept_request", "intake", "Accept the request 复查/复核受理")

    missing = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"acceptance": "refuse"},
                          headers=staff.headers("intake1"))
    assert missing.status_code == 422 and "refuse_reason" in missing.json["error"]["details"]
    done = fill(client, staff.headers("intake1"), number,
                {"acceptance": "refuse", "refuse_reason": "超过30日申请期限"}, "accept_request")
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    view = public(client, number, code)
    assert view["status"] == "rejected"
    assert view["answer"] == f"{LEVELS[level]}申请（原案件 {original['number']}）不予受理：超过30日申请期限"


@pytest.mark.parametrize("level", LEVELS)
def test_the_next_level_up_upholds_the_original_answer_within_30_days_and_the_case_closes_without_a_rating(
        client, staff, original, frozen, level):
    number, code = start_review(original, level)
    deadline = FROZEN_AT.replace(hour=0) + timedelta(days=30, hours=15, minutes=59, seconds=59)  # 2026-04-01 23:59:59 local
    case = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert case["status"] == "registered" and case["category"] == original["category"]
    assert case["due_at"].startswith(deadline.isoformat()[:19])

    accepted = fill(client, staff.headers("intake1"), number, {"acceptance": "accept"}, "accept_request")
    assert accepted["case"]["status"] == "handling"
    assert [(t["name"], t["group"]) for t in accepted["next_tasks"]] == [("decide", "leader")]
    decide = open_task(client, staff.headers("leader1"), number)
    assert decide["title"] == "Decide the review 复查/复核决定"
    assert decide["due_at"].startswith(deadline.isoformat()[:19])  # 30 days from receipt, not from acceptance

    no_reasons = client.post(f"/api/v1/tasks/{decide['id']}/complete", json={"decision": "uphold"},
                             headers=staff.headers("leader1"))
    assert no_reasons.status_code == 422 and "decision_reasons" in no_reasons.json["error"]["details"]
    done = fill(client, staff.headers("leader1"), number, UPHOLD, "decide")
    assert done["case"]["status"] == "closed" and done["next_tasks"] == []

    view = public(client, number, code)
    assert view["status"] == "closed"
    assert view["answer"].startswith(
        f"{LEVELS[level]}意见（原案件 {original['number']}）：维持原处理意见。理由：{UPHOLD['decision_reasons']}")
    assert ("申请复核" in view["answer"]) == (level == "review")  # after 复查 the petitioner may ask for 复核
    assert ("不再受理" in view["answer"]) == (level == "re-review")  # after 复核 nothing further
    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": code, "score": 5})
    assert rated.status_code == 409
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    assert [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"] == [
        ("intake1", "accept_request"), ("leader1", "decide")]


@pytest.mark.parametrize("level", LEVELS)
def test_a_changed_decision_needs_a_new_answer_which_the_petitioner_then_reads(client, staff, original, level):
    number, code = start_review(original, level)
    fill(client, staff.headers("intake1"), number, {"acceptance": "accept"}, "accept_request")
    decide = open_task(client, staff.headers("leader1"), number)

    without = {k: v for k, v in CHANGE.items() if k != "new_answer"}
    missing = client.post(f"/api/v1/tasks/{decide['id']}/complete", json=without, headers=staff.headers("leader1"))
    assert missing.status_code == 422 and list(missing.json["error"]["details"]) == ["new_answer"]
    assert open_task(client, staff.headers("leader1"), number)["id"] == decide["id"]  # still waiting

    done = fill(client, staff.headers("leader1"), number, CHANGE, "decide")
    assert done["case"]["status"] == "closed"
    answer = public(client, number, code)["answer"]
    assert answer.startswith(f"{LEVELS[level]}意见（原案件 {original['number']}）：变更原处理意见。{CHANGE['new_answer']}")
    assert CHANGE["decision_reasons"] in answer
    # The original case is untouched by its review.
    assert client.get(f"/api/v1/cases/{original['number']}", headers=staff.headers("super1")).json["status"] == "answered"
