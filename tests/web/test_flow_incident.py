"""An incident (舆情/信访事件, seed 002 §4) from the report to the approved summary, only through the HTTP API: the
response level chosen at assessment sets the clocks of dispatch, statements, responses, summary and review, levels I
and II alert leadership and the departments at once, and interim statements reach the petitioner while departments
respond."""

from datetime import timedelta

import pytest

from tests.helpers import (
    CONFIRM,
    FROZEN_AT,
    INCIDENT,
    NO_STATEMENT,
    SUMMARY,
    at,
    collected,
    drive_to_summary,
    fill,
    open_task,
    register,
)

MONDAY = FROZEN_AT.replace(hour=0)  # the frozen clock's day, 00:00 UTC
END_OF_DAY = timedelta(hours=15, minutes=59, seconds=59)  # 23:59:59 in Shanghai, in UTC


def _alerts(client, headers) -> list[str]:
    items = client.get("/api/v1/notifications", headers=headers).json["items"]
    return sorted(n["message"] for n in items if n["kind"] == "alert")


def _public(client, case) -> dict:
    return client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}").json


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
    public = _public(client, case)
    assert public["status"] == "rejected" and public["answer"] == "属个人消费纠纷，请按投诉渠道反映"


@pytest.mark.parametrize(("level", "dispatch", "statement", "respond", "alerted"), [
    ("I", timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), True),
    ("II", timedelta(hours=2), timedelta(hours=4), timedelta(hours=12), True),
    ("III", timedelta(hours=4), timedelta(hours=12), timedelta(hours=24), False),
    ("IV", MONDAY + timedelta(days=1) + END_OF_DAY - FROZEN_AT, MONDAY + timedelta(days=1) + END_OF_DAY - FROZEN_AT,
     MONDAY + timedelta(days=2) + END_OF_DAY - FROZEN_AT, False),
])
def test_each_response_level_has_its_own_clocks_and_the_higher_ones_alert_at_once(
        client, staff, deployed, frozen, level, dispatch, statement, respond, alerted):
    number = register(client, staff.headers("intake1"), INCIDENT)["number"]
    fill(client, staff.headers("intake1"), number, CONFIRM, "triage")
    assess = open_task(client, staff.headers("super1"), number)
    form = client.get(f"/api/v1/tasks/{assess['id']}", headers=staff.headers("super1")).json["form"]
    assert [c["value"] for c in next(f for f in form["fields"] if f["name"] == "level")["choices"]] == ["I", "II", "III", "IV"]
    fill(client, staff.headers("super1"), number, {"level": level, "scope": "全国用户", "risk": "媒体跟进报道"}, "assess")

    task = open_task(client, staff.headers("leader1"), number)
    assert task["name"] == "dispatch" and at(task["due_at"]) == FROZEN_AT + dispatch
    assert _alerts(client, staff.headers("leader1")) == ([f"{number}: Dispatch instructions 指令下达"] if alerted else [])
    made = fill(client, staff.headers("leader1"), number,
                {"department_1": "ENV", "department_2": "HOUSING", "instructions": "核实并联系用户"}, "dispatch")
    due = {(t["name"], t["group"]): at(t["due_at"]) for t in made["next_tasks"]}
    assert due == {("respond", "handler@ENV"): FROZEN_AT + respond, ("respond", "handler@HOUSING"): FROZEN_AT + respond,
                   ("statement", "supervisor"): FROZEN_AT + statement}
    for who in ("handler1", "housing1"):
        assert _alerts(client, staff.headers(who)) == ([f"{number}: Respond 响应指令"] if alerted else [])
    assert _alerts(client, staff.headers("intake1")) == []  # only those who may take the task


def test_a_level_iv_incident_goes_to_one_department_with_interim_statements_and_closes_without_a_rating(
        client, staff, deployed, frozen):
    case = register(client, staff.headers("intake1"), INCIDENT)
    number = case["number"]
    assert case["status"] == "registered" and case["due_at"]  # acceptance: 15 days from receipt

    confirmed = fill(client, staff.headers("intake1"), number, CONFIRM, "triage")
    assert confirmed["case"]["status"] == "handling"
    assess = open_task(client, staff.headers("super1"), number)
    assert (assess["name"], assess["group"]) == ("assess", "supervisor")
    assert at(assess["due_at"]) == MONDAY + timedelta(days=1) + END_OF_DAY  # 1 working day: Tuesday
    fill(client, staff.headers("super1"), number, {"level": "IV", "scope": "本市用户", "risk": "可能扩散"}, "assess")

    dispatch = open_task(client, staff.headers("leader1"), number)
    assert (dispatch["name"], dispatch["group"]) == ("dispatch", "leader")
    missing = client.post(f"/api/v1/tasks/{dispatch['id']}/complete", json={"instructions": "核实"},
                          headers=staff.headers("leader1"))
    assert missing.status_code == 422 and "department_1" in missing.json["error"]["details"]
    dispatched = fill(client, staff.headers("leader1"), number,
                      {"department_1": "ENV", "instructions": "核实数据流向并联系用户"}, "dispatch")
    assert sorted((t["name"], t["group"]) for t in dispatched["next_tasks"]) == [("respond", "handler@ENV"),
                                                                                ("statement", "supervisor")]
    assert [t for t in client.get("/api/v1/tasks?scope=group&per_page=200", headers=staff.headers("housing1")).json["items"]
            if t["case_number"] == number] == []

    # an interim statement while the department responds, and a second one later
    first = fill(client, staff.headers("super1"), number,
                 {"interim_statement": "已关注到相关反映，正在核查，将及时通报进展。", "more_statements": True}, "statement")
    assert [(t["name"], t["group"]) for t in first["next_tasks"]] == [("statement", "supervisor")]
    again = open_task(client, staff.headers("super1"), number, "statement")
    values = client.get(f"/api/v1/tasks/{again['id']}", headers=staff.headers("super1")).json["values"]
    assert values.get("interim_statement") is None  # published: the form is empty for the next one
    assert [s["statement"] for s in _public(client, case)["statements"]] == ["已关注到相关反映，正在核查，将及时通报进展。"]
    fill(client, staff.headers("super1"), number,
         {"interim_statement": "初步查明为第三方接口问题，已封堵。", "more_statements": False}, "statement")
    assert [s["statement"] for s in _public(client, case)["statements"]] == [
        "已关注到相关反映，正在核查，将及时通报进展。", "初步查明为第三方接口问题，已封堵。"]

    responded = fill(client, staff.headers("handler1"), number, {"response": "已核实并逐一电话联系用户"}, "respond")
    assert [(t["name"], t["group"]) for t in responded["next_tasks"]] == [("summary", "supervisor")]
    summary = open_task(client, staff.headers("super1"), number)
    assert at(summary["due_at"]) == MONDAY + timedelta(days=3) + END_OF_DAY  # level IV: 3 working days
    summarised = fill(client, staff.headers("super1"), number, SUMMARY, "summary")
    assert [(t["name"], t["group"]) for t in summarised["next_tasks"]] == [("leadership_review", "leader")]
    done = fill(client, staff.headers("leader1"), number, {"review_decision": "approve"}, "leadership_review")
    assert done["case"]["status"] == "closed" and done["next_tasks"] == []

    public = _public(client, case)
    assert public["status"] == "closed" and public["answer"] == SUMMARY["statement"]
    assert len(public["statements"]) == 2  # the interim statements stay on the record
    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 5})
    assert rated.status_code == 409  # no follow-up visit and no rating for an incident
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    completed = [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"]
    assert completed == [("intake1", "triage"), ("super1", "assess"), ("leader1", "dispatch"), ("super1", "statement"),
                         ("super1", "statement"), ("handler1", "respond"), ("super1", "summary"),
                         ("leader1", "leadership_review")]
    assert [e["details"]["statement"] for e in timeline if e["action"] == "case.statement_published"] == [
        s["statement"] for s in public["statements"]]


def test_a_level_i_incident_goes_to_two_departments_in_parallel_on_hour_clocks(client, staff, deployed, frozen):
    number = register(client, staff.headers("intake1"), INCIDENT)["number"]
    fill(client, staff.headers("intake1"), number, dict(CONFIRM, major=True), "triage")
    assess = open_task(client, staff.headers("super1"), number)
    assert at(assess["due_at"]) == FROZEN_AT + timedelta(hours=4)  # a possibly major report: assessed within hours
    fill(client, staff.headers("super1"), number, {"level": "I", "scope": "全国用户", "risk": "媒体跟进报道"}, "assess")
    assert at(open_task(client, staff.headers("leader1"), number)["due_at"]) == FROZEN_AT + timedelta(hours=1)

    dispatched = fill(client, staff.headers("leader1"), number,
                      {"department_1": "ENV", "department_2": "HOUSING", "department_3": "ENV",
                       "instructions": "生态环境科核实数据流向；住房保障科联系受影响用户。"}, "dispatch")
    children = sorted((t["name"], t["group"]) for t in dispatched["next_tasks"])
    assert children == [("respond", "handler@ENV"), ("respond", "handler@HOUSING"),  # ENV named twice, asked once
                        ("statement", "supervisor")]
    env = open_task(client, staff.headers("handler1"), number)
    housing = open_task(client, staff.headers("housing1"), number)
    assert env["id"] != housing["id"]
    assert at(env["due_at"]) == at(housing["due_at"]) == FROZEN_AT + timedelta(hours=4)

    first = fill(client, staff.headers("housing1"), number, {"response": "已联系全部受影响用户并致歉"}, "respond")
    assert first["next_tasks"] == [] and first["case"]["status"] == "handling"
    fill(client, staff.headers("super1"), number, {"interim_statement": "正在全力处置。", "more_statements": False},
         "statement")
    second = fill(client, staff.headers("handler1"), number, {"response": "已封堵接口，数据流向已查明"}, "respond")
    assert [(t["name"], t["group"]) for t in second["next_tasks"]] == [("summary", "supervisor")]
    # The summary task sees both departments' responses, in the order they came in.
    assert ["已联系全部受影响用户并致歉", "已封堵接口，数据流向已查明"] in collected(number, "responses")
    summary = open_task(client, staff.headers("super1"), number)
    assert at(summary["due_at"]) == MONDAY + timedelta(days=1) + END_OF_DAY  # level I: 1 working day

    fill(client, staff.headers("super1"), number, SUMMARY, "summary")
    done = fill(client, staff.headers("leader1"), number, {"review_decision": "approve"}, "leadership_review")
    assert done["case"]["status"] == "closed"
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["answer"] == SUMMARY["statement"] and detail["open_tasks"] == []


def test_the_leadership_sends_the_summary_back_once_and_approves_the_better_one(client, staff, deployed):
    case = register(client, staff.headers("intake1"), INCIDENT)
    number = case["number"]
    next_tasks = drive_to_summary(client, staff, number, ["ENV"])
    assert sorted(t["name"] for t in next_tasks) == ["respond", "statement"]
    fill(client, staff.headers("super1"), number, NO_STATEMENT, "statement")
    assert _public(client, case)["statements"] == []  # nothing said: nothing published
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
    assert _public(client, case)["answer"] == better["statement"]
