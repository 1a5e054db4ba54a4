"""Appeals against counting (申诉, docs/statistics.md): a department's head contests a case counting against it, a
supervisor upholds it and the case leaves the department's figures (not the office's), in the ledger; one appeal at a
time, decided once; bad input and the wrong people are refused, changing nothing."""

from __future__ import annotations

from tests.helpers import TRIAGE_ACCEPT, api_error, complete, register

PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


def _summary(client, headers, **query):
    response = client.get("/api/v1/stats/summary", query_string={**PERIOD, **query}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["counts"]


def test_an_upheld_appeal_takes_the_case_out_of_the_department_figures(client, runner, staff, deployed, complaint, frozen):
    staff.add("housing_head", "head", department="HOUSING")
    clerk, head, supervisor, analyst = (staff.headers(u) for u in ("intake1", "head1", "super1", "analyst1"))
    numbers = [register(client, clerk, dict(complaint, title=f"噪音{i}"))["number"] for i in range(3)]
    for number in numbers:
        complete(client, clerk, number, TRIAGE_ACCEPT)  # all three to ENV
    assert runner.invoke(args=["stats", "fold"]).exit_code == 0
    assert _summary(client, analyst, department="ENV")["received"] == 3
    ranking = client.get("/api/v1/stats/ranking", query_string=PERIOD, headers=analyst).json
    assert [r["received"] for r in ranking["items"] if r["department"] == "ENV"] == [3]

    # refused: no reason, another department's head, an analyst (not a head), then nothing was filed
    api_error(client.post(f"/api/v1/cases/{numbers[0]}/counting-appeals", json={"reason": "  "}, headers=head), 422)
    api_error(client.post(f"/api/v1/cases/{numbers[0]}/counting-appeals", json={"reason": "误派"},
                          headers=staff.headers("housing_head")), 403)
    api_error(client.post(f"/api/v1/cases/{numbers[0]}/counting-appeals", json={"reason": "误派"}, headers=analyst), 403)
    assert client.get("/api/v1/stats/appeals", headers=supervisor).json["items"] == []

    filed = client.post(f"/api/v1/cases/{numbers[0]}/counting-appeals", headers=head,
                        json={"reason": "该事项属住建部门职责，系误派。"})
    assert filed.status_code == 201, filed.json
    appeal = filed.json
    assert appeal["state"] == "pending" and appeal["department"] == "ENV" and appeal["number"] == numbers[0]
    again = api_error(client.post(f"/api/v1/cases/{numbers[0]}/counting-appeals", json={"reason": "再次申诉"},
                                  headers=head), 409)
    assert "already" in again["message"]
    assert [a["id"] for a in client.get("/api/v1/stats/appeals?state=pending", headers=head).json["items"]] == [appeal["id"]]
    assert client.get("/api/v1/stats/appeals", headers=staff.headers("housing_head")).json["items"] == []
    assert _summary(client, analyst, department="ENV")["received"] == 3  # pending: still counts

    decision = f"/api/v1/stats/appeals/{appeal['id']}/decision"
    api_error(client.post(decision, json={"upheld": True, "decision": "同意"}, headers=head), 403)
    api_error(client.post(decision, json={"upheld": "yes", "decision": "同意"}, headers=supervisor), 422)
    api_error(client.post("/api/v1/stats/appeals/999999/decision", json={"upheld": True, "decision": "同意"},
                          headers=supervisor), 404)
    decided = client.post(decision, json={"upheld": True, "decision": "经核实确属误派，不计入该单位。"}, headers=supervisor)
    assert decided.status_code == 200, decided.json
    assert decided.json["state"] == "upheld" and decided.json["decided_by"] == "super1"
    api_error(client.post(decision, json={"upheld": False, "decision": "改判"}, headers=supervisor), 409)

    # the case leaves ENV's figures and ranking at once (read while waiting, and once folded), not the office's
    for _ in range(2):
        assert _summary(client, analyst, department="ENV")["received"] == 2
        assert _summary(client, analyst)["received"] == 3
        ranking = client.get("/api/v1/stats/ranking", query_string=PERIOD, headers=analyst).json
        assert [r["received"] for r in ranking["items"] if r["department"] == "ENV"] == [2]
        assert runner.invoke(args=["stats", "fold"]).exit_code == 0
    assert runner.invoke(args=["stats", "verify"]).exit_code == 0
    timeline = client.get(f"/api/v1/cases/{numbers[0]}/timeline", headers=supervisor).json
    actions = [e["action"] for e in (timeline["items"] if isinstance(timeline, dict) else timeline)]
    assert "case.counting_appealed" in actions and "case.counting_appeal_decided" in actions


def test_a_rejected_appeal_changes_no_figure(client, runner, staff, deployed, complaint, frozen):
    clerk, head, supervisor = staff.headers("intake1"), staff.headers("head1"), staff.headers("super1")
    number = register(client, clerk, complaint)["number"]
    complete(client, clerk, number, TRIAGE_ACCEPT)
    appeal = client.post(f"/api/v1/cases/{number}/counting-appeals", json={"reason": "误派"}, headers=head).json
    rejected = client.post(f"/api/v1/stats/appeals/{appeal['id']}/decision", headers=supervisor,
                           json={"upheld": False, "decision": "属本单位职责。"})
    assert rejected.status_code == 200 and rejected.json["state"] == "rejected"
    assert _summary(client, staff.headers("analyst1"), department="ENV")["received"] == 1
    # rejected: the department may appeal again with new reasons
    assert client.post(f"/api/v1/cases/{number}/counting-appeals", json={"reason": "补充材料"}, headers=head).status_code == 201
