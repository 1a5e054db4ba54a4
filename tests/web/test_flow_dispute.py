"""A dispute mediation (纠纷调解) from intake to closure, only through the HTTP API (plus a look at the
process data for what the API does not show: why a mediator was refused)."""

from datetime import datetime, timedelta

import pytest

from app import clock
from tests.helpers import complete, open_task, process_data, register

PARTIES = [{"name": "王五", "role": "申请人"}, {"name": "赵六", "role": "被申请人"}]
NEUTRAL = {"mediator": "mediator1", "mediator_name": "陈明", "conflict_of_interest": False}
CONSENT = {"party_a_consents": True, "party_b_consents": True}
LAST_SESSION = {"session_date": "2026-03-03", "session_notes": "双方就赔偿金额达成一致意见。", "concluded": True}
AGREEMENT = {"outcome": "agreement", "agreement_terms": "赵六于3月31日前赔偿王五维修费2000元。",
             "party_a_confirms": True, "party_b_confirms": True}


@pytest.fixture
def mediator(staff):
    staff.add("mediator1", "mediator")
    return staff.headers("mediator1")


def _dispute(parties=PARTIES):
    payload = {
        "category": "dispute",
        "channel": "visit",
        "title": "楼上漏水邻里纠纷",
        "description": "楼上卫生间漏水导致我家天花板受损，协商未果，请求调解。",
        "petitioner": {"name": "王五", "phone": "13712345678", "address": "幸福路2号"},
    }
    if parties is not None:
        payload["parties"] = parties
    return payload


def _moment(text):
    return datetime.fromisoformat(text)


def _fields(client, headers, task_id):
    return {f["name"]: f for f in client.get(f"/api/v1/tasks/{task_id}", headers=headers).json["form"]["fields"]}


def _to_mediation(client, staff, mediator, parties=PARTIES):
    case = register(client, staff.headers("intake1"), _dispute(parties))
    complete(client, staff.headers("intake1"), case["number"], {"triage_decision": "accept"})
    complete(client, mediator, case["number"], CONSENT)
    complete(client, mediator, case["number"], NEUTRAL)
    return case


def test_an_agreed_dispute_is_followed_up_on_its_fulfilment_and_closed_by_the_rating(
        client, staff, deployed, mediator, frozen):
    case = register(client, staff.headers("intake1"), _dispute())
    number = case["number"]
    accepted = complete(client, staff.headers("intake1"), number, {"triage_decision": "accept"})
    assert accepted["case"]["status"] == "handling"
    assert [(t["name"], t["group"]) for t in accepted["next_tasks"]] == [("consent", "mediator")]
    complete(client, mediator, number, CONSENT)
    assign = open_task(client, mediator, number, "assign_mediator")
    fields = _fields(client, mediator, assign["id"])
    assert fields["mediator"]["type"] == "user" and "当事人" in fields["mediator_name"]["label"]
    sessions = complete(client, mediator, number, NEUTRAL)["next_tasks"]
    assert [t["name"] for t in sessions] == ["session"]
    assert _moment(sessions[0]["due_at"]) == datetime.fromisoformat("2026-03-16T23:59:59+08:00")  # 10 working days

    clock.advance(timedelta(days=1))
    again = complete(client, mediator, number,
                     {"session_date": "2026-03-02", "session_notes": "首次会谈，双方陈述。", "concluded": False})
    assert [t["name"] for t in again["next_tasks"]] == ["session"]
    assert _moment(again["next_tasks"][0]["due_at"]) == datetime.fromisoformat("2026-03-17T23:59:59+08:00")
    assert [t["name"] for t in complete(client, mediator, number, LAST_SESSION)["next_tasks"]] == ["outcome"]

    unconfirmed = complete(client, mediator, number, dict(AGREEMENT, party_b_confirms=False))
    assert unconfirmed["case"]["status"] == "handling"
    assert [t["name"] for t in unconfirmed["next_tasks"]] == ["outcome"]
    answered = complete(client, mediator, number,
                        dict(AGREEMENT, judicial_confirmation=True, judicial_note="幸福区人民法院（2026）民特12号"))
    assert answered["case"]["status"] == "answered"
    (fulfilment,) = answered["next_tasks"]
    assert (fulfilment["name"], fulfilment["group"]) == ("fulfilment", "mediator")
    # 30 calendar days from Tuesday 09:00 (the clock moved on a day): Thursday 2 April, end of day.
    assert _moment(fulfilment["due_at"]) == datetime.fromisoformat("2026-04-02T23:59:59+08:00")
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "answered"
    assert AGREEMENT["agreement_terms"] in public["answer"] and "民特12号" in public["answer"]
    assert "王五" not in str({k: v for k, v in public.items() if k not in ("answer", "history")})
    assert [h["answer"] for h in public["history"]] == [public["answer"]]  # the answer, as given

    not_yet = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 5})
    assert not_yet.status_code == 409  # the visit (and its rating) comes after the fulfilment check
    visit = complete(client, mediator, number, {"fulfilment": "fulfilled", "fulfilment_notes": "赔偿款已支付。"})
    assert [(t["name"], t["group"]) for t in visit["next_tasks"]] == [("follow_up", "mediator")]
    rated = client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": case["access_code"], "score": 5})
    assert rated.status_code == 200 and rated.json["status"] == "closed" and rated.json["satisfaction"] == 5
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    assert [e["details"]["name"] for e in timeline if e["action"] == "task.completed"] == [
        "triage", "consent", "assign_mediator", "session", "session", "outcome", "outcome", "fulfilment"]


def test_a_failed_mediation_answers_with_referral_guidance_and_closes_after_the_visit(client, staff, deployed, mediator):
    case = _to_mediation(client, staff, mediator)
    number = case["number"]
    complete(client, mediator, number, LAST_SESSION)
    missing = client.post(f"/api/v1/tasks/{open_task(client, mediator, number)['id']}/complete",
                          json={"outcome": "failure"}, headers=mediator)
    assert missing.status_code == 422 and "referral_guidance" in missing.json["error"]["details"]
    guidance = "调解不成。您可向幸福区人民法院提起诉讼，诉讼时效为三年。"
    failed = complete(client, mediator, number, {"outcome": "failure", "referral_guidance": guidance})
    assert failed["case"]["status"] == "answered"
    assert [t["name"] for t in failed["next_tasks"]] == ["follow_up"]
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["answer"] == guidance
    done = complete(client, mediator, number, {"visit_outcome": "not_resolved", "satisfaction": 3, "satisfaction_comment": "理解"})
    assert done["case"]["status"] == "closed" and done["next_tasks"] == []


def test_a_party_refusing_mediation_closes_the_case_with_guidance_to_legal_channels(client, staff, deployed, mediator):
    case = register(client, staff.headers("intake1"), _dispute())
    number = case["number"]
    complete(client, staff.headers("intake1"), number, {"triage_decision": "accept"})
    refused = complete(client, mediator, number, {"party_a_consents": True, "party_b_consents": False,
                                                  "consent_notes": "赵六表示不愿调解"})
    assert refused["case"]["status"] == "closed" and refused["next_tasks"] == []
    public = client.get(f"/api/v1/public/cases/{number}?access_code={case['access_code']}").json
    assert public["status"] == "closed" and "人民法院" in public["answer"] and "仲裁" in public["answer"]


def test_a_mediator_who_is_a_party_or_declares_a_conflict_is_refused_and_a_neutral_one_is_accepted(
        client, staff, deployed, mediator):
    staff.add("zhaoliu", "mediator")
    case = register(client, staff.headers("intake1"), _dispute([{"name": "王五", "role": "申请人"},
                                                                {"name": "Zhao Liu", "role": "被申请人"}]))
    number = case["number"]
    complete(client, staff.headers("intake1"), number, {"triage_decision": "accept"})
    complete(client, mediator, number, CONSENT)

    by_user_name = complete(client, mediator, number,
                            {"mediator": "zhaoliu", "mediator_name": "赵六", "conflict_of_interest": False})
    assert [t["name"] for t in by_user_name["next_tasks"]] == ["assign_mediator"]
    by_name = complete(client, mediator, number,
                       {"mediator": "mediator1", "mediator_name": "王 五", "conflict_of_interest": False})
    assert [t["name"] for t in by_name["next_tasks"]] == ["assign_mediator"]
    declared = complete(client, mediator, number, dict(NEUTRAL, conflict_of_interest=True))
    (assign,) = declared["next_tasks"]
    refusals = process_data(assign["id"])["mediator_refusals"]
    assert len(refusals) == 3
    assert "zhaoliu" in refusals[0] and "is a party" in refusals[0]
    assert "王 五" in refusals[1] and "is a party" in refusals[1]
    assert "conflict of interest" in refusals[2]

    unknown = client.post(f"/api/v1/tasks/{assign['id']}/complete", json=dict(NEUTRAL, mediator="nobody"),
                          headers=mediator)
    assert unknown.status_code == 422 and "mediator" in unknown.json["error"]["details"]
    accepted = complete(client, mediator, number, NEUTRAL)
    assert [t["name"] for t in accepted["next_tasks"]] == ["session"]
    assert process_data(accepted["next_tasks"][0]["id"])["mediator_refusal"] is None


def test_a_dispute_registered_without_parties_is_triaged_again_until_both_are_named(client, staff, deployed, mediator):
    number = register(client, staff.headers("intake1"), _dispute(parties=None))["number"]
    again = complete(client, staff.headers("intake1"), number, {"triage_decision": "accept", "party_a_name": "王五"})
    assert again["case"]["status"] == "registered"
    assert [(t["name"], t["group"]) for t in again["next_tasks"]] == [("triage", "intake")]
    named = complete(client, staff.headers("intake1"), number,
                     {"triage_decision": "accept", "party_a_name": "王五", "party_b_name": "赵六"})
    assert named["case"]["status"] == "handling"
    (consent,) = named["next_tasks"]
    data = process_data(consent["id"])
    assert (data["party_a"], data["party_b"]) == ("王五", "赵六")


def test_a_rejected_dispute_ends_with_its_reason_published(client, staff, deployed):
    case = register(client, staff.headers("intake1"), _dispute())
    done = complete(client, staff.headers("intake1"), case["number"],
                    {"triage_decision": "reject", "reject_reason": "已进入诉讼程序，不再调解"})
    assert done["case"]["status"] == "rejected" and done["next_tasks"] == []
    public = client.get(f"/api/v1/public/cases/{case['number']}?access_code={case['access_code']}").json
    assert public["answer"] == "已进入诉讼程序，不再调解" and public["closed_at"]
