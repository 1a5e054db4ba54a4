"""An incident (舆情/信访事件, seed 002 §4) from the report to the approved summary, only through the HTTP API."""

from datetime import timedelta

from tests.helpers import CONFIRM, FROZEN_AT, INCIDENT, SUMMARY, at, collected, drive_to_summary, fill, open_task, register

MONDAY = FROZEN_AT.replace(hour=0)  # the frozen clock's day, 00:00 UTC
END_OF_DAY = timedelta(hours=15, minutes=59, seconds=59)  # 23:59:59 in Shanghai, in UTC

def test_a_report_that_is_not_an_incident_is_rejected_with_its_reason_published(client, staff, deployed):
    case = register(client, staff.headers("intake1"), INCIDENT)
    number = case["number"]
    triage = open_task(client, staff.headers("intake1"), number)
    assert (triage["name"], triage["group"]) == ("triage", "intake")

    missing = client.post(f"/api/v1/tasks/{triage['id']}/complete", json={"triage_decision": "reject"},
                          headers=staff.headers("intake1"))
    assert missing.status_code == 422 and "reject_reason" in missing.json["error"]["details"]
    done = fill(client, staff.headers("intake1"), number,
                {"triage_decision": "reject", "reject_reason": "属个人消费纠纷，请按投诉渠道反映"}, "triage")
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "rejected" and public["answer"] == "属个人消费纠纷，请按投诉渠道反映"


def test_a_general_incident_goes_to_one_department_and_closes_on_the_approved_statement_without_a_rating(
        client, staff, deployed, frozen):
    case = register(client, staff.headers("intake1"), INCIDENT)
    number = case["number"]
    assert case["status"] == "registered" and case["due_at"]  # acceptance: 15 days from receipt

    confirmed = fill(client, staff.headers("intake1"), number, CONFIRM, "triage")
    assert confirmed["case"]["status"] == "handling"
    assess = open_task(client, staff.headers("super1"), number)
    assert (assess["name"], assess["group"]) == ("assess", "supervisor")
    assert at(assess["due_at"]) == MONDAY + timedelta(days=1) + END_OF_DAY  # 1 working day: Tuesday
    fill(client, staff.headers("super1"), number, {"severity": "general", "scope": "本市用户", "risk": "可能扩散"}, "assess")

    dispatch = open_task(client, staff.headers("leader1"), number)
    assert (dispatch["name"], dispatch["group"]) == ("dispatch", "leader")
    missing = client.post(f"/api/v1/tasks/{dispatch['id']}/complete", json={"instructions": "核实"},
                          headers=staff.headers("leader1"))
    assert missing.status_code == 422 and "department_1" in missing.json["error"]["details"]
    dispatched = fill(client, staff.headers("leader1"), number,
                      {"department_1": "ENV", "instructions": "核实数据流向并联系用户"}, "dispatch")
    assert [(t["name"], t["group"]) for t in dispatched["next_tasks"]] == [("respond", "handler@ENV")]
    respond = open_task(client, staff.headers("handler1"), number)
    assert at(respond["due_at"]) == MONDAY + timedelta(days=2) + END_OF_DAY  # 2 working days: Wednesday
    assert [t for t in client.get("/api/v1/tasks?scope=group&per_page=200", headers=staff.headers("housing1")).json["items"]
            if t["case_number"] == number] == []

    responded = fill(client, staff.headers("handler1"), number, {"response": "已核实并逐一电话联系用户"}, "respond")
    assert [(t["name"], t["group"]) for t in responded["next_tasks"]] == [("summary", "supervisor")]
    summarised = fill(client, staff.headers("super1"), number, SUMMARY, "summary")
    assert [(t["name"], t["group"]) for t in summarised["next_tasks"]] == [("leadership_review", "leader")]
    done = fill(client, staff.headers("leader1"), number, {"review_decision": "approve"}, "leadership_review")
    assert done["case"]["status"] == "closed" and done["next_tasks"] == []

    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "closed" and public["answer"] == SUMMARY["statement"]
    # No follow-up visit and no rating for an incident.
    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 5})
    assert rated.status_code == 409
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    completed = [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"]
    assert completed == [("intake1", "triage"), ("super1", "assess"), ("leader1", "dispatch"), ("handler1", "respond"),
                         ("super1", "summary"), ("leader1", "leadership_review")]


def test_a_major_incident_goes_to_two_departments_in_parallel_each_with_a_24_hour_clock(client, staff, deployed, frozen):
    number = register(client, staff.headers("intake1"), INCIDENT)["number"]
    fill(client, staff.headers("intake1"), number, dict(CONFIRM, major=True), "triage")
    assess = open_task(client, staff.headers("super1"), number)
    assert at(assess["due_at"]) == FROZEN_AT + timedelta(hours=4)  # a possibly major report: assessed within hours
    fill(client, staff.headers("super1"), number, {"severity": "major", "scope": "全国用户", "risk": "媒体跟进报道"}, "assess")
    assert at(open_task(client, staff.headers("leader1"), number)["due_at"]) == FROZEN_AT + timedelta(hours=4)

    dispatched = fill(client, staff.headers("leader1"), number,
                      {"department_1": "ENV", "department_2": "HOUSING", "department_3": "ENV",
                       "instructions": "生态环境科核实数据流向；住房保障科联系受影响用户。"}, "dispatch")
    children = sorted((t["name"], t["group"]) for t in dispatched["next_tasks"])
    assert children == [("respond", "handler@ENV"), ("respond", "handler@HOUSING")]  # ENV named twice, asked once

    env = open_task(client, staff.headers("handler1"), number)
    housing = open_task(client, staff.headers("housing1"), number)
    assert env["id"] != housing["id"]
    assert at(env["due_at"]) == at(housing["due_at"]) == FROZEN_AT + timedelta(hours=24)

    first = fill(client, staff.headers("housing1"), number, {"response": "已联系全部受影响用户并致歉"}, "respond")
    assert first["next_tasks"] == [] and first["case"]["status"] == "handling"
    assert [t["group"] for t in client.get("/api/v1/tasks?scope=all&per_page=200", headers=staff.headers("super1")).json["items"]
            if t["case_number"] == number] == ["handler@ENV"]
    second = fill(client, staff.headers("handler1"), number, {"response": "已封堵接口，数据流向已查明"}, "respond")
    assert [(t["name"], t["group"]) for t in second["next_tasks"]] == [("summary", "supervisor")]
    # The summary task sees both departments' responses, in the order they came in.
    assert ["已联系全部受影响用户并致歉", "已封堵接口，数据流向已查明"] in collected(number, "responses")
    summary = open_task(client, staff.headers("super1"), number)
    assert at(summary["due_at"]) == MONDAY + timedelta(days=1) + END_OF_DAY  # major: 1 working day

    fill(client, staff.headers("super1"), number, SUMMARY, "summary")
    done = fill(client, staff.headers("leader1"), number, {"review_decision": "approve"}, "leadership_review")
    assert done["case"]["status"] == "closed"
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["answer"] == SUMMARY["statement"] and detail["open_tasks"] == []


def test_the_leadership_sends_the_summary_back_once_and_approves_the_better_one(client, staff, deployed):
    case = register(client, staff.headers("intake1"), INCIDENT)
    number = case["number"]
    next_tasks = drive_to_summary(client, staff, number, ["ENV"])
    assert [t["name"] for t in next_tasks] == ["respond"]
    fill(client, staff.headers("handler1"), number, {"response": "已处理"}, "respond")
    fill(client, staff.headers("super1"), number, dict(SUMMARY, causes="原因待查"), "summary")

    review = open_task(client, staff.headers("leader1"), number)
    missing = client.post(f"/api/v1/tasks/{review['id']}/complete", json={"review_decision": "rework"},
                          headers=staff.headers("leader1"))
    assert missing.status_code == 422 and "review_comment" in missing.json["error"]["details"]
    back = fill(client, staff.headers("leader1"), number,
                {"review_decision": "rework", "review_comment": "原因分析不具体，请补充"}, "leadership_review")
    assert [(t["name"], t["group"]) for t in back["next_tasks"]] == [("summary", "supervisor")]
    assert back["case"]["status"] == "handling"
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["answer"] is None

    better = dict(SUMMARY, statement="经核查，外泄源于第三方接口配置错误，现已整改完毕。")
    fill(client, staff.headers("super1"), number, better, "summary")
    done = fill(client, staff.headers("leader1"), number, {"review_decision": "approve"}, "leadership_review")
    assert done["case"]["status"] == "closed"
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["answer"] == better["statement"]
