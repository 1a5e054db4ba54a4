"""'Other' appeals: intake reclassifies them -- the case goes on in that category's process with the
same number and its history -- or closes them with a reason the petitioner sees."""

from tests.helpers import TRIAGE_ACCEPT, complete, open_task, register
from tests.helpers import api_error as _error


def test_an_other_appeal_reclassified_as_a_complaint_goes_on_in_the_complaint_flow(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    case = register(client, h, dict(complaint, category="other"))
    number = case["number"]
    task = open_task(client, h, number)
    form = client.get(f"/api/v1/tasks/{task['id']}", headers=h).json["form"]
    assert [f["name"] for f in form["fields"]] == ["decision", "new_category", "close_reason"]
    assert task["name"] == "classify" and task["due_at"] == case["due_at"]
    _error(client.post(f"/api/v1/tasks/{task['id']}/complete", json={"decision": "reclassify"}, headers=h), 422)
    done = complete(client, h, number, {"decision": "reclassify", "new_category": "complaint"})
    assert [t["name"] for t in done["next_tasks"]] == ["triage"]
    detail = client.get(f"/api/v1/cases/{number}", headers=h).json
    assert (detail["category"], detail["status"], detail["process"]["key"]) == ("complaint", "registered", "complaint")
    complete(client, h, number, TRIAGE_ACCEPT)
    assert open_task(client, staff.headers("handler1"), number)["name"] == "investigate"
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=h).json["items"]
    assert {"from": "other", "to": "complaint"} in [e["details"] for e in timeline if e["action"] == "case.reclassified"]
    assert [e["details"]["process"] for e in timeline if e["action"] == "process.started"] == ["other", "complaint"]
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["category"] == "complaint"


def test_an_other_appeal_closed_with_a_reason_tells_the_petitioner_why(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    case = register(client, h, dict(complaint, category="other"))
    _error(client.post(f"/api/v1/tasks/{open_task(client, h, case['number'])['id']}/complete",
                       json={"decision": "close"}, headers=h), 422)
    complete(client, h, case["number"], {"decision": "close", "close_reason": "不属于本机关职责范围，已告知向法院起诉。"})
    public = client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}").json
    assert public["status"] == "closed" and public["answer"].startswith("不属于本机关职责范围")
