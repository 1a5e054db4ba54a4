"""Review (复查) and re-review (复核): within 30 days of the answer, a linked case at the next level up;
after a re-review the same claim is not accepted again."""

from datetime import timedelta

import pytest

from app import clock
from app.cases.procedures.processes import deploy_bpmn
from tests.helpers import ANSWER, complete, drive_to_answer, open_task, register
from tests.helpers import api_error as _error
from tests.processes import minimal_review


@pytest.fixture
def answered(client, staff, deployed, complaint, frozen):
    """An answered complaint, and the review process deployed."""
    deploy_bpmn(minimal_review(), "review.bpmn", "test", new_version=True)  # in place of the shipped review
    case = register(client, staff.headers("intake1"), complaint)
    drive_to_answer(client, staff, case["number"])
    return case


def _review(client, case, reason="处理结果不公"):
    return client.post(f"/api/v1/public/cases/{case['number']}/review", json={"access_code": case["access_code"], "reason": reason})


def test_a_petitioner_asks_for_a_review_and_gets_a_linked_case_decided_by_leadership(client, staff, answered):
    response = _review(client, answered)
    assert response.status_code == 201, response.json
    review = response.json
    assert review["number"] != answered["number"] and len(review["access_code"]) == 8
    h = staff.headers("super1")
    detail = client.get(f"/api/v1/cases/{review['number']}", headers=h).json
    assert detail["links"] == {"review_of": answered["number"], "review_level": "review", "reviewed_by": None}
    assert detail["title"].startswith("复查：") and detail["description"] == "处理结果不公"
    assert detail["petitioner"]["name"] == "张三"
    assert client.get(f"/api/v1/cases/{answered['number']}", headers=h).json["links"]["reviewed_by"] == review["number"]
    original_timeline = client.get(f"/api/v1/cases/{answered['number']}/timeline", headers=h).json["items"]
    assert [e["details"]["review"] for e in original_timeline if e["action"] == "case.review_requested"] == [review["number"]]
    task = open_task(client, staff.headers("leader1"), review["number"])
    assert task["group"] == "leader"
    complete(client, staff.headers("leader1"), review["number"], ANSWER)
    public = client.get(f"/api/v1/public/cases/{review['number']}?access_code={review['access_code']}").json
    # the stand-in process ends right after its answer: a process that ends without a final status closes its case
    assert public["status"] == "closed" and public["answer"].startswith(f"review of {answered['number']}")


def test_a_case_is_reviewed_once_and_a_re_review_is_the_last_word(client, staff, answered):
    review = _review(client, answered).json
    assert "taken to review already" in _error(_review(client, answered), 409)["message"]
    complete(client, staff.headers("leader1"), review["number"], ANSWER)
    re_review = _review(client, review, "复查结论仍不公")
    assert re_review.status_code == 201
    detail = client.get(f"/api/v1/cases/{re_review.json['number']}", headers=staff.headers("super1")).json
    assert detail["links"]["review_level"] == "re-review" and detail["title"].startswith("复核：")
    complete(client, staff.headers("leader1"), re_review.json["number"], ANSWER)
    error = _error(_review(client, re_review.json), 409)
    assert "not accepted again" in error["message"]


def test_a_review_before_the_answer_or_after_the_window_is_refused_saying_why(client, staff, answered, complaint):
    pending = register(client, staff.headers("intake1"), complaint)
    assert "once it has been answered" in _error(_review(client, pending), 409)["message"]
    clock.advance(timedelta(days=40))
    assert "window closed" in _error(_review(client, answered), 409)["message"]
    _error(client.post(f"/api/v1/public/cases/{answered['number']}/review",
                       json={"access_code": "WRONG123", "reason": "r"}), 404)


def test_staff_register_a_review_the_petitioner_asked_for_in_person(client, staff, answered):
    h = staff.headers("intake1")
    _error(client.post(f"/api/v1/cases/{answered['number']}/review", json={"reason": "r"}, headers=staff.headers("handler1")), 403)
    _error(client.post(f"/api/v1/cases/{answered['number']}/review", json={"reason": " "}, headers=h), 422)
    created = client.post(f"/api/v1/cases/{answered['number']}/review", json={"reason": "当面提出复查申请"}, headers=h)
    assert created.status_code == 201 and created.json["number"]
    timeline = client.get(f"/api/v1/cases/{created.json['number']}/timeline", headers=h).json["items"]
    assert timeline[0]["action"] == "case.registered" and timeline[0]["details"]["review_of"] == answered["number"]
