"""A complaint from intake to closure, only through the HTTP API."""

from tests.helpers import ANSWER, INVESTIGATION, TRIAGE_ACCEPT, complete, drive_to_answer, open_task, register


def test_a_major_complaint_is_closed_by_the_right_people_and_its_timeline_shows_each_step(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number = case["number"]
    assert case["status"] == "registered" and len(case["access_code"]) == 8
    assert case["due_at"] and case["due_at"] > case["received_at"]  # acceptance: 15 days from receipt

    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, major=False))
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    review = complete(client, staff.headers("head1"), number, {"head_decision": "approve", "major": True})
    assert [t["name"] for t in review["next_tasks"]] == ["leadership_approval"]
    assert review["next_tasks"][0]["group"] == "leader"
    complete(client, staff.headers("leader1"), number, {"leadership_decision": "approve", "leadership_comment": "同意"})
    answered = complete(client, staff.headers("handler1"), number, ANSWER)
    assert answered["case"]["status"] == "answered"

    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "answered" and public["answer"] == ANSWER["answer"]
    assert "petitioner" not in public and "张三" not in str(public)

    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 4})
    assert rated.status_code == 200 and rated.json["status"] == "closed" and rated.json["satisfaction"] == 4

    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["status"] == "closed" and detail["open_tasks"] == [] and detail["process"]["completed"] is True
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    completed = [(e["actor"], e["details"]["name"]) for e in timeline if e["action"] == "task.completed"]
    assert completed == [
        ("intake1", "triage"),
        ("handler1", "investigate"),
        ("head1", "head_review"),
        ("leader1", "leadership_approval"),
        ("handler1", "feedback"),
    ]
    assert timeline[0]["action"] == "case.registered"
    ratings = [(e["actor"], e["action"], e["details"].get("source")) for e in timeline if "rated" in e["action"]
               or e["action"] == "case.satisfaction_recorded"]
    assert ratings == [("petitioner", "case.satisfaction_recorded", "petitioner")]  # the rating, said once
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)


def test_a_dissatisfied_petitioner_gets_the_case_handled_once_more_then_it_closes(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number, code = case["number"], case["access_code"]
    drive_to_answer(client, staff, number)
    again = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": code, "score": 1, "comment": "没解决"})
    assert again.json["status"] == "handling"
    assert open_task(client, staff.headers("handler1"), number)["name"] == "investigate"
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, {"head_decision": "approve"})
    complete(client, staff.headers("handler1"), number, ANSWER)
    # The follow-up visit records a low score too, but the case was re-handled once already.
    done = complete(client, staff.headers("handler1"), number,
                    {"visit_outcome": "not_resolved", "satisfaction": 2, "satisfaction_comment": "仍不满意"})
    assert done["case"]["status"] == "closed" and done["next_tasks"] == []


def test_the_head_sends_the_answer_back_and_the_department_reworks_it(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    back = complete(client, staff.headers("head1"), number, {"head_decision": "rework", "head_comment": "事实不清"})
    assert [t["name"] for t in back["next_tasks"]] == ["investigate"]


def test_a_rejected_complaint_closes_with_its_reason_published(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    done = complete(client, staff.headers("intake1"), case["number"],
                    {"triage_decision": "reject", "reject_reason": "不属于本单位职责范围"})
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    public = client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}").json
    assert public["answer"] == "不属于本单位职责范围" and public["closed_at"]


def test_the_head_extends_the_handling_period_once_and_the_petitioner_is_told_why(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number = case["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    due_before = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["due_at"]
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    missing_reason = client.post(f"/api/v1/tasks/{open_task(client, staff.headers('head1'), number)['id']}/complete",
                                 json={"head_decision": "approve", "extension_days": 30}, headers=staff.headers("head1"))
    assert missing_reason.status_code == 422 and "extension_reason" in missing_reason.json["error"]["details"]
    too_long = client.post(f"/api/v1/tasks/{open_task(client, staff.headers('head1'), number)['id']}/complete",
                           json={"head_decision": "approve", "extension_days": 31, "extension_reason": "x"},
                           headers=staff.headers("head1"))
    assert too_long.status_code == 422
    complete(client, staff.headers("head1"), number,
             {"head_decision": "approve", "extension_days": 30, "extension_reason": "需现场检测，检测周期较长"})
    due_after = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["due_at"]
    assert due_after > due_before
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert [e["reason"] for e in public["extensions"]] == ["需现场检测，检测周期较长"]
    assert public["due_at"] == due_after
