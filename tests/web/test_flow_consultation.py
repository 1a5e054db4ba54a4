"""A consultation (咨询) from intake to closure, only through the HTTP API: answered directly at intake,
routed to a department that writes the answer, or rejected."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import open_task, public_view, rate, register, step

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUESTION = {
    "category": "consultation",
    "channel": "hotline",
    "title": "垃圾分类投放时间",
    "description": "小区垃圾分类定时投放是几点到几点？",
    "petitioner": {"name": "李四", "phone": "13912345678", "address": "幸福路2号"},
}


@pytest.fixture
def question():
    return dict(QUESTION, petitioner=dict(QUESTION["petitioner"]))


def local(iso):
    return datetime.fromisoformat(iso).astimezone(SHANGHAI)


def test_the_triage_form_offers_a_direct_answer_a_route_and_a_rejection(client, staff, deployed, question):
    number = register(client, staff.headers("intake1"), question)["number"]
    task = open_task(client, staff.headers("intake1"), number)
    assert (task["name"], task["group"]) == ("triage", "intake")
    form = client.get(f"/api/v1/tasks/{task['id']}", headers=staff.headers("intake1")).json["form"]
    fields = {f["name"]: f for f in form["fields"]}
    assert [c["value"] for c in fields["triage_decision"]["choices"]] == ["answer", "route", "reject"]
    assert fields["answer"]["required_when"] == {"triage_decision": "answer"}
    assert fields["department"]["required_when"] == {"triage_decision": "route"}
    assert fields["reject_reason"]["required_when"] == {"triage_decision": "reject"}


def test_a_simple_question_is_answered_directly_at_intake_and_the_petitioners_rating_closes_it(
        client, staff, deployed, question):
    case = register(client, staff.headers("intake1"), question)
    number, intake = case["number"], staff.headers("intake1")

    missing = step(client, intake, number, "triage", {"triage_decision": "answer"}, expect=422)
    assert "answer" in missing["error"]["details"]
    answer = "每天7:00-9:00和18:00-20:00定时投放。"
    done = step(client, intake, number, "triage", {"triage_decision": "answer", "answer": answer})
    assert done["case"]["status"] == "answered"
    assert [(t["name"], t["group"]) for t in done["next_tasks"]] == [("follow_up", "intake")]

    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["department"] is None and detail["answer"] == answer
    seen = public_view(client, case)
    assert seen["status"] == "answered" and seen["answer"] == answer

    rated = rate(client, case, 5, "很快")
    assert rated.status_code == 200 and rated.json["status"] == "closed" and rated.json["satisfaction"] == 5
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["open_tasks"] == [] and detail["process"]["completed"] is True
    assert detail["satisfaction_comment"] == "很快"
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    assert [e["details"]["name"] for e in timeline if e["action"] == "task.completed"] == ["triage"]


def test_a_routed_question_is_answered_by_the_department_within_five_working_days_of_acceptance(
        client, staff, deployed, question, frozen):
    case = register(client, staff.headers("intake1"), question)  # Monday 2 March 2026, 09:00
    number = case["number"]
    assert local(case["due_at"]) == datetime(2026, 3, 17, 23, 59, 59, tzinfo=SHANGHAI)  # 15 days to accept

    routed = step(client, staff.headers("intake1"), number, "triage", {"triage_decision": "route", "department": "ENV"})
    assert routed["case"]["status"] == "handling"
    [write] = routed["next_tasks"]
    assert (write["name"], write["group"]) == ("write_answer", "handler@ENV")
    five_working_days = datetime(2026, 3, 9, 23, 59, 59, tzinfo=SHANGHAI)  # Tue..Fri, Mon
    assert local(write["due_at"]) == five_working_days
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["department"] == "ENV" and local(detail["due_at"]) == five_working_days
    assert [t for t in client.get("/api/v1/tasks?scope=group", headers=staff.headers("housing1")).json["items"]
            if t["case_number"] == number] == []  # another department does not see it
    assert public_view(client, case)["answer"] is None  # nothing published while handling

    answer = "根据《生活垃圾分类管理办法》第十二条，每天7:00-9:00和18:00-20:00定时投放。"
    answered = step(client, staff.headers("handler1"), number, "write_answer",
                    {"answer": answer, "basis": "生活垃圾分类管理办法第十二条"})
    assert answered["case"]["status"] == "answered"
    assert [(t["name"], t["group"]) for t in answered["next_tasks"]] == [("follow_up", "intake")]
    seen = public_view(client, case)
    assert seen["status"] == "answered" and seen["answer"] == answer

    closed = step(client, staff.headers("intake1"), number, "follow_up",
                  {"visit_outcome": "resolved", "satisfaction": 4, "satisfaction_comment": "电话回访，满意"})
    assert closed["case"]["status"] == "closed" and closed["next_tasks"] == []
    seen = public_view(client, case)
    assert seen["status"] == "closed" and seen["satisfaction"] == 4 and seen["closed_at"]
    assert rate(client, case, 5).status_code == 409  # nothing waits for a rating any more
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    completed = [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"]
    assert completed == [("intake1", "triage"), ("handler1", "write_answer"), ("intake1", "follow_up")]


def test_a_question_outside_the_scope_is_rejected_with_its_reason_published(client, staff, deployed, question):
    case = register(client, staff.headers("intake1"), question)
    missing = step(client, staff.headers("intake1"), case["number"], "triage", {"triage_decision": "reject"}, expect=422)
    assert "reject_reason" in missing["error"]["details"]
    done = step(client, staff.headers("intake1"), case["number"], "triage",
                {"triage_decision": "reject", "reject_reason": "不属于本单位职责范围，请咨询物业公司"})
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    seen = public_view(client, case)
    assert seen["status"] == "rejected" and seen["answer"] == "不属于本单位职责范围，请咨询物业公司" and seen["closed_at"]
