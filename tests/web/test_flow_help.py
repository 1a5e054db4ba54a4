"""A help request (求助) from intake to closure, only through the HTTP API: urgency, departments in parallel, 回访."""

from datetime import datetime, timedelta

from tests.helpers import complete, open_task, process_data, register

HELP = {
    "category": "help",
    "channel": "hotline",
    "title": "独居老人家中断水断电",
    "description": "幸福路1号独居老人家中停水停电两天，行动不便，请求帮助。",
    "petitioner": {"name": "李四", "phone": "13912345678", "address": "幸福路1号"},
}
COORDINATED = {"help_outcome": "delivered", "help_measures": "已派人上门检修，恢复供水供电。"}
CONFIRMED = {"answer": "已协调环保与住房部门上门检修，供水供电已恢复。", "confirmed_with": "phone"}


def _moment(text):
    return datetime.fromisoformat(text)


def _task(client, headers, task_id):
    response = client.get(f"/api/v1/tasks/{task_id}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _field_names(client, headers, task_id):
    return [f["name"] for f in _task(client, headers, task_id)["form"]["fields"]]


def test_urgent_help_runs_in_two_departments_in_parallel_each_on_a_four_hour_clock(client, staff, deployed, frozen):
    case = register(client, staff.headers("intake1"), HELP)
    number = case["number"]
    triage = open_task(client, staff.headers("intake1"), number, "triage")
    assert triage["group"] == "intake"
    assert {"urgency", "department_1", "department_2", "department_3"} <= set(
        _field_names(client, staff.headers("intake1"), triage["id"]))

    routed = complete(client, staff.headers("intake1"), number, {
        "triage_decision": "accept", "urgency": "urgent", "department_1": "ENV", "department_2": "HOUSING"})
    assert routed["case"]["status"] == "handling"
    children = routed["next_tasks"]
    assert sorted((t["name"], t["group"]) for t in children) == [
        ("coordinate", "handler@ENV"), ("coordinate", "handler@HOUSING")]
    assert {_moment(t["due_at"]) for t in children} == {frozen + timedelta(hours=4)}
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["department"] == "ENV"  # the lead department

    env = open_task(client, staff.headers("handler1"), number)
    housing = open_task(client, staff.headers("housing1"), number)
    assert env["id"] != housing["id"]
    assert _field_names(client, staff.headers("handler1"), env["id"]) == ["help_outcome", "help_measures"]
    forbidden = client.post(f"/api/v1/tasks/{housing['id']}/complete", json=COORDINATED, headers=staff.headers("handler1"))
    assert forbidden.status_code == 403

    first = complete(client, staff.headers("handler1"), number, COORDINATED)
    assert first["case"]["status"] == "handling" and first["next_tasks"] == []
    assert [t["name"] for t in client.get("/api/v1/tasks?scope=group", headers=staff.headers("intake1")).json["items"]
            if t["case_number"] == number] == []
    second = complete(client, staff.headers("housing1"), number,
                      {"help_outcome": "partly", "help_measures": "已安排临时周转住房，待房屋修缮。"})
    assert [(t["name"], t["group"]) for t in second["next_tasks"]] == [("confirm_delivery", "intake")]
    reports = process_data(second["next_tasks"][0]["id"])["coordination_reports"]
    assert [(r["department"], r["outcome"]) for r in reports] == [("ENV", "delivered"), ("HOUSING", "partly")]

    answered = complete(client, staff.headers("intake1"), number, CONFIRMED)
    assert answered["case"]["status"] == "answered"
    assert [(t["name"], t["group"]) for t in answered["next_tasks"]] == [("follow_up", "intake")]
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "answered" and public["answer"] == CONFIRMED["answer"]

    rated = client.post(f"/api/v1/public/cases/{number}/rating",
                        json={"access_code": case["access_code"], "score": 5, "comment": "非常及时"})
    assert rated.status_code == 200 and rated.json["status"] == "closed" and rated.json["satisfaction"] == 5
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["open_tasks"] == [] and detail["satisfaction_comment"] == "非常及时"
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    completed = [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"]
    assert completed == [("intake1", "triage"), ("handler1", "coordinate"), ("housing1", "coordinate"),
                         ("intake1", "confirm_delivery")]


def test_normal_help_gives_its_department_three_working_days_and_the_visit_records_the_satisfaction(
        client, staff, deployed, frozen):
    case = register(client, staff.headers("intake1"), HELP)
    number = case["number"]
    routed = complete(client, staff.headers("intake1"), number,
                      {"triage_decision": "accept", "urgency": "normal", "department_1": "HOUSING"})
    (child,) = routed["next_tasks"]
    assert child["group"] == "handler@HOUSING"
    # Monday 09:00 + 3 working days: the end of Thursday, Shanghai time.
    assert _moment(child["due_at"]) == datetime.fromisoformat("2026-03-05T23:59:59+08:00")
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["department"] == "HOUSING"
    assert _moment(detail["due_at"]) == datetime.fromisoformat("2026-03-09T23:59:59+08:00")  # 5 working days

    complete(client, staff.headers("housing1"), number, COORDINATED)
    complete(client, staff.headers("intake1"), number, CONFIRMED)
    visit = open_task(client, staff.headers("intake1"), number, "follow_up")
    assert _moment(visit["due_at"]) == datetime.fromisoformat("2026-03-09T23:59:59+08:00")
    done = complete(client, staff.headers("intake1"), number,
                    {"visit_outcome": "resolved", "satisfaction": 4, "satisfaction_comment": "满意"})
    assert done["case"]["status"] == "closed" and done["next_tasks"] == []
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "closed" and public["closed_at"]


def test_accepting_help_needs_an_urgency_and_a_first_department(client, staff, deployed):
    number = register(client, staff.headers("intake1"), HELP)["number"]
    task = open_task(client, staff.headers("intake1"), number, "triage")
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"triage_decision": "accept"},
                           headers=staff.headers("intake1"))
    assert response.status_code == 422
    assert {"urgency", "department_1"} <= set(response.json["error"]["details"])


def test_the_same_department_chosen_twice_gets_one_task(client, staff, deployed):
    number = register(client, staff.headers("intake1"), HELP)["number"]
    routed = complete(client, staff.headers("intake1"), number, {
        "triage_decision": "accept", "urgency": "normal", "department_1": "ENV", "department_3": "ENV"})
    assert [t["group"] for t in routed["next_tasks"]] == ["handler@ENV"]


def test_a_rejected_help_request_ends_with_its_reason_published(client, staff, deployed):
    case = register(client, staff.headers("intake1"), HELP)
    done = complete(client, staff.headers("intake1"), case["number"],
                    {"triage_decision": "reject", "reject_reason": "该事项由供电公司直接受理，请拨打95598"})
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    public = client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}").json
    assert public["status"] == "rejected" and public["answer"].startswith("该事项由供电公司") and public["closed_at"]
