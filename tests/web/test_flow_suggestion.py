"""A suggestion (建议) from intake to closure, only through the HTTP API: evaluated by the department,
reviewed by its head, the suggester told the decision, an adopted one tracked until implemented."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import clock
from tests.helpers import public_view, rate, register, step

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUGGESTION = {
    "category": "suggestion",
    "channel": "web",
    "title": "建议增设夜间公交线路",
    "description": "建议开通工业园至火车站的夜班公交。",
    "petitioner": {"name": "王五", "phone": "13712345678", "address": "工业园3号"},
}
ACCEPT = {"triage_decision": "accept", "department": "ENV"}
STUDY = {"feasibility": "线路与现有站点衔接可行", "value_assessment": "夜间通勤需求大"}
ADOPT = dict(STUDY, decision="adopt", extent="full", implementation_plan="4月试运行，5月正式开通",
             expected_by="2026-05-31")
PARTLY = dict(STUDY, decision="adopt", extent="partial", implementation_plan="先开通工业园至市中心段",
              expected_by="2026-06-30", partial_reason="火车站段道路改造中，暂不具备条件")
NOT_ADOPT = dict(STUDY, decision="not_adopt", not_adopted_reason="现有线路已覆盖该时段，客流不足以支撑新线路")
APPROVE = {"head_decision": "approve"}


@pytest.fixture
def suggestion():
    return dict(SUGGESTION, petitioner=dict(SUGGESTION["petitioner"]))


def local(iso):
    return datetime.fromisoformat(iso).astimezone(SHANGHAI)


def names(result):
    return [(t["name"], t["group"]) for t in result["next_tasks"]]


def evaluate_and_approve(client, staff, number, decision):
    step(client, staff.headers("intake1"), number, "triage", ACCEPT)
    reviewed = step(client, staff.headers("handler1"), number, "evaluate", decision)
    assert names(reviewed) == [("head_review", "head@ENV")]
    return step(client, staff.headers("head1"), number, "head_review", APPROVE)


def completed_steps(client, staff, number):
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    return [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"]


def test_an_adopted_suggestion_is_tracked_round_by_round_until_implemented_then_the_rating_closes_it(
        client, staff, deployed, suggestion, frozen):
    case = register(client, staff.headers("intake1"), suggestion)  # Monday 2 March 2026, 09:00
    number = case["number"]
    accepted = step(client, staff.headers("intake1"), number, "triage", ACCEPT)
    assert accepted["case"]["status"] == "handling"
    [evaluate] = accepted["next_tasks"]
    assert (evaluate["name"], evaluate["group"]) == ("evaluate", "handler@ENV")
    assert local(evaluate["due_at"]) == datetime(2026, 3, 16, 23, 59, 59, tzinfo=SHANGHAI)  # 10 working days
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["department"] == "ENV"
    assert local(detail["due_at"]) == datetime(2026, 5, 6, 23, 59, 59, tzinfo=SHANGHAI)  # 60 days, after 1-5 May

    step(client, staff.headers("handler1"), number, "evaluate", ADOPT)
    told = step(client, staff.headers("head1"), number, "head_review", APPROVE)
    assert told["case"]["status"] == "answered"
    [first_round] = told["next_tasks"]
    assert (first_round["name"], first_round["group"]) == ("record_progress", "handler@ENV")
    assert local(first_round["due_at"]) == datetime(2026, 3, 16, 23, 59, 59, tzinfo=SHANGHAI)
    seen = public_view(client, case)
    assert seen["status"] == "answered"
    assert "予以采纳" in seen["answer"] and "4月试运行，5月正式开通" in seen["answer"] and "2026-05-31" in seen["answer"]
    assert rate(client, case, 5).status_code == 409  # no rating while the implementation is tracked

    clock.advance(timedelta(days=7))  # Monday 9 March
    again = step(client, staff.headers("handler1"), number, "record_progress",
                 {"progress": "已完成线路勘察和站点设置", "done": False})
    [second_round] = again["next_tasks"]
    assert second_round["name"] == "record_progress" and second_round["id"] != first_round["id"]
    assert local(second_round["due_at"]) == datetime(2026, 3, 23, 23, 59, 59, tzinfo=SHANGHAI)  # its own 10 days
    done = step(client, staff.headers("handler2"), number, "record_progress", {"progress": "夜班线路已开通", "done": True})
    assert names(done) == [("follow_up", "handler@ENV")] and done["case"]["status"] == "answered"

    rated = rate(client, case, 5, "谢谢采纳")
    assert rated.status_code == 200 and rated.json["status"] == "closed" and rated.json["satisfaction"] == 5
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["open_tasks"] == [] and detail["process"]["completed"] is True
    assert completed_steps(client, staff, number) == [
        ("intake1", "triage"), ("handler1", "evaluate"), ("head1", "head_review"),
        ("handler1", "record_progress"), ("handler2", "record_progress"),
    ]


def test_a_partly_adopted_suggestion_needs_the_part_not_adopted_a_plan_and_a_date(client, staff, deployed, suggestion):
    case = register(client, staff.headers("intake1"), suggestion)
    number = case["number"]
    step(client, staff.headers("intake1"), number, "triage", ACCEPT)
    handler = staff.headers("handler1")
    no_plan = step(client, handler, number, "evaluate", dict(STUDY, decision="adopt", extent="partial"), expect=422)
    assert {"implementation_plan", "expected_by", "partial_reason"} <= set(no_plan["error"]["details"])
    no_extent = step(client, handler, number, "evaluate", {k: v for k, v in PARTLY.items() if k != "extent"}, expect=422)
    assert list(no_extent["error"]["details"]) == ["extent"]
    bad_date = step(client, handler, number, "evaluate", dict(PARTLY, expected_by="六月底"), expect=422)
    assert list(bad_date["error"]["details"]) == ["expected_by"]
    step(client, handler, number, "evaluate", PARTLY)

    told = step(client, staff.headers("head1"), number, "head_review", APPROVE)
    assert told["case"]["status"] == "answered" and names(told) == [("record_progress", "handler@ENV")]
    answer = public_view(client, case)["answer"]
    assert "部分予以采纳" in answer and "火车站段道路改造中" in answer and "先开通工业园至市中心段" in answer
    assert "2026-06-30" in answer

    done = step(client, handler, number, "record_progress", {"progress": "市中心段已开通", "done": True})
    assert names(done) == [("follow_up", "handler@ENV")]
    closed = step(client, handler, number, "follow_up",
                  {"visit_outcome": "resolved", "satisfaction": 3, "satisfaction_comment": "希望尽快开通全线"})
    assert closed["case"]["status"] == "closed" and closed["next_tasks"] == []
    assert public_view(client, case)["satisfaction"] == 3


def test_a_suggestion_not_adopted_needs_a_reason_and_goes_straight_to_the_follow_up(client, staff, deployed, suggestion):
    case = register(client, staff.headers("intake1"), suggestion)
    number = case["number"]
    step(client, staff.headers("intake1"), number, "triage", ACCEPT)
    missing = step(client, staff.headers("handler1"), number, "evaluate", dict(STUDY, decision="not_adopt"), expect=422)
    assert list(missing["error"]["details"]) == ["not_adopted_reason"]
    step(client, staff.headers("handler1"), number, "evaluate", NOT_ADOPT)

    told = step(client, staff.headers("head1"), number, "head_review", APPROVE)
    assert told["case"]["status"] == "answered"
    assert names(told) == [("follow_up", "handler@ENV")]  # nothing to implement
    seen = public_view(client, case)
    assert "暂不采纳" in seen["answer"] and NOT_ADOPT["not_adopted_reason"] in seen["answer"]
    assert "实施计划" not in seen["answer"]

    rated = rate(client, case, 2, "理由不充分")
    assert rated.status_code == 200 and rated.json["status"] == "closed" and rated.json["satisfaction"] == 2
    assert completed_steps(client, staff, number) == [
        ("intake1", "triage"), ("handler1", "evaluate"), ("head1", "head_review")]


def test_the_head_sends_the_decision_back_and_the_suggester_is_told_the_new_one(client, staff, deployed, suggestion):
    case = register(client, staff.headers("intake1"), suggestion)
    number = case["number"]
    step(client, staff.headers("intake1"), number, "triage", ACCEPT)
    step(client, staff.headers("handler1"), number, "evaluate", NOT_ADOPT)
    head = staff.headers("head1")
    no_comment = step(client, head, number, "head_review", {"head_decision": "rework"}, expect=422)
    assert list(no_comment["error"]["details"]) == ["head_comment"]
    back = step(client, head, number, "head_review", {"head_decision": "rework", "head_comment": "请再评估夜间客流数据"})
    assert back["case"]["status"] == "handling" and names(back) == [("evaluate", "handler@ENV")]
    assert public_view(client, case)["answer"] is None

    step(client, staff.headers("handler1"), number, "evaluate", ADOPT)
    told = step(client, head, number, "head_review", APPROVE)
    assert names(told) == [("record_progress", "handler@ENV")]
    answer = public_view(client, case)["answer"]
    assert "予以采纳" in answer and "暂不采纳" not in answer and NOT_ADOPT["not_adopted_reason"] not in answer
    assert completed_steps(client, staff, number) == [
        ("intake1", "triage"), ("handler1", "evaluate"), ("head1", "head_review"),
        ("handler1", "evaluate"), ("head1", "head_review")]


def test_a_rejected_suggestion_closes_with_its_reason_published(client, staff, deployed, suggestion):
    case = register(client, staff.headers("intake1"), suggestion)
    done = step(client, staff.headers("intake1"), case["number"], "triage",
                {"triage_decision": "reject", "reject_reason": "公交线路不属于本单位职责，已告知向交通局反映"})
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    seen = public_view(client, case)
    assert seen["status"] == "rejected" and seen["answer"].startswith("公交线路不属于本单位职责") and seen["closed_at"]
