"""Repeats (重复件) and duplicates at intake: the candidates of a new appeal with their score and why; linking it as
a repeat of an open case (no new process; the petitioner told which case handles it; the original's work record
shows it); a claim decided on re-review refused with the reason."""

from __future__ import annotations

import mailbox

import pytest
from sqlalchemy import func, select

from app.cases.procedures.processes import deploy_bpmn
from app.extensions import db
from app.models import ProcessInstance
from tests.helpers import ANSWER, api_error, complete, drive_to_answer, register
from tests.processes import minimal_review

NOISE = {"category": "complaint", "channel": "hotline", "title": "幸福路工地夜间施工噪音扰民",
         "description": "幸福路8号工地每晚22点后仍在施工，噪音严重影响附近居民休息。"}


def _candidates(client, staff, title, description=None, **petitioner):
    response = client.post("/api/v1/candidates", headers=staff.headers("intake1"),
                           json={"title": title, "description": description, "petitioner": petitioner or None})
    assert response.status_code == 200, response.json
    return response.json["items"]


def _appeal(title=NOISE["title"], **petitioner):
    return dict(NOISE, title=title, petitioner={"name": "张三", **petitioner})


def test_the_same_phone_on_a_second_call_shows_the_first_case_with_why(client, staff, deployed):
    first = register(client, staff.headers("intake1"), _appeal(phone="13812345678", notify_by="none"))["number"]
    found = _candidates(client, staff, "又来反映噪音问题", phone="138 1234 5678")
    assert [c["number"] for c in found] == [first]
    assert found[0]["score"] == 1.0 and [r["code"] for r in found[0]["reasons"]] == ["same_person"]


def test_a_similar_description_from_another_person_is_a_candidate_with_its_score(client, staff, deployed):
    first = register(client, staff.headers("intake1"), _appeal(phone="13812345678"))["number"]
    register(client, staff.headers("intake1"), dict(_appeal("小区路灯不亮", phone="13700000001"),
                                                    description="小区门口的路灯坏了一个月，晚上很黑。"))
    found = _candidates(client, staff, "幸福路工地夜间施工噪音", NOISE["description"], phone="13900000000")
    assert [c["number"] for c in found] == [first]
    [reason] = found[0]["reasons"]
    assert reason["code"] == "similar_text" and 0.6 <= reason["score"] <= 1 and found[0]["score"] == reason["score"]
    assert _candidates(client, staff, "公交站牌缺失", phone="13900000000") == []
    api_error(client.post("/api/v1/candidates", headers=staff.headers("intake1"), json={"title": ""}), 422)
    api_error(client.post("/api/v1/candidates", headers=staff.headers("handler1"), json={"title": "噪音"}), 403)


def test_the_same_topic_in_the_same_area_is_a_candidate_even_in_other_words(runner, client, staff, deployed, frozen):
    from datetime import timedelta

    from app import clock

    for kind in ("topics", "areas"):
        assert runner.invoke(args=[kind, "import"]).exit_code == 0
    place = {"topic": "URBAN.CONSTR.NIGHT", "area": "XY.HP.XF"}
    old = register(client, staff.headers("intake1"), dict(_appeal("凌晨还在打桩", phone="13700000001"),
                                                          description="打桩机凌晨两点还在响。", **place))["number"]
    clock.advance(timedelta(days=31))
    recent = register(client, staff.headers("intake1"), dict(_appeal("晚上机器轰鸣睡不着", phone="13700000002"),
                                                             description="晚上工地机器一直响。", **place))["number"]
    elsewhere = register(client, staff.headers("intake1"), dict(_appeal("晚上机器轰鸣睡不着", phone="13700000003"),
                                                                description="晚上工地机器一直响。", topic=place["topic"],
                                                                area="XY.HP.RM"))["number"]
    clock.advance(timedelta(days=2))
    response = client.post("/api/v1/candidates", headers=staff.headers("intake1"),
                           json={"title": "工地夜里施工", "petitioner": {"phone": "13900000000"}, **place})
    found = {c["number"]: c for c in response.json["items"]}
    assert recent in found and old not in found and elsewhere not in found  # 30 days, the same area only
    [reason] = found[recent]["reasons"]
    assert reason["code"] == "same_place" and "2" in reason["text"] and 0.5 <= found[recent]["score"] <= 0.9
    bad = client.post("/api/v1/candidates", headers=staff.headers("intake1"), json={"title": "噪音", "topic": "NOPE"})
    assert api_error(bad, 422)["details"]["topic"] == ["No topic NOPE."]


def test_linking_as_a_repeat_adds_no_process_tells_the_petitioner_and_shows_on_the_original(app, client, staff,
                                                                                            deployed, tmp_path):
    app.config["MINYI_MAIL_DIR"] = str(tmp_path / "mail")
    clerk = staff.headers("intake1")
    original = register(client, clerk, _appeal(phone="13812345678"))["number"]
    instances = db.session.scalar(select(func.count()).select_from(ProcessInstance))
    repeat = client.post(f"/api/v1/cases/{original}/repeats", headers=clerk,
                         json=_appeal("噪音又来了", email="li@example.org"))
    assert repeat.status_code == 201, repeat.json
    assert repeat.json["status"] == "closed" and repeat.json["repeat_of"] == original and repeat.json["access_code"]
    assert db.session.scalar(select(func.count()).select_from(ProcessInstance)) == instances  # no new process
    runner = app.test_cli_runner()
    assert runner.invoke(args=["messages", "deliver"]).exit_code == 0
    told = [m for m in mailbox.Maildir(app.config["MINYI_MAIL_DIR"], create=False) if m["X-Minyi-Kind"] == "repeat"]
    assert len(told) == 1 and original in told[0].get_payload(decode=True).decode()
    timeline = client.get(f"/api/v1/cases/{original}/timeline", headers=staff.headers("super1")).json["items"]
    assert [e["details"]["number"] for e in timeline if e["action"] == "case.repeat_received"] == [repeat.json["number"]]
    page = staff_page(app, original)
    assert f"收到重复件：{repeat.json['number']}" in page and "噪音又来了" in page
    public = client.get(f"/api/v1/public/cases/{repeat.json['number']}?access_code={repeat.json['access_code']}")
    assert public.status_code == 200 and public.json["status"] == "closed" and public.json["handled_with"] == original
    no_review = api_error(client.post(f"/api/v1/public/cases/{repeat.json['number']}/review", json={
        "access_code": repeat.json["access_code"], "reason": "不服"}), 409)
    assert "repeat" in no_review["message"]
    # a closed case takes no repeat; a repeat is no original
    complete(client, clerk, original, {"triage_decision": "reject", "reject_reason": "不属于受理范围"})
    refused = api_error(client.post(f"/api/v1/cases/{original}/repeats", headers=clerk, json=_appeal()), 409)
    assert "is closed" in refused["message"]
    api_error(client.post(f"/api/v1/cases/{repeat.json['number']}/repeats", headers=clerk, json=_appeal()), 409)
    api_error(client.post("/api/v1/cases/20990101000001/repeats", headers=clerk, json=_appeal()), 404)


def staff_page(app, number):
    from app.cases.people.users import create_user
    from tests.helpers import csrf_token, fresh_context_client

    create_user("page_super", ["supervisor"], password="a-long-enough-pass")
    page = fresh_context_client(app)
    page.post("/login", data={"username": "page_super", "password": "a-long-enough-pass", "csrf_token": csrf_token(page)})
    return page.get(f"/cases/{number}").get_data(as_text=True)


@pytest.fixture
def re_reviewed(client, staff, deployed, complaint, frozen):
    """A complaint answered, reviewed (复查) and re-reviewed (复核): the claim's last word."""
    deploy_bpmn(minimal_review(), "review.bpmn", "test", new_version=True)
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner={"name": "张三", "phone": "13812345678"}))
    drive_to_answer(client, staff, case["number"])
    review = client.post(f"/api/v1/public/cases/{case['number']}/review",
                         json={"access_code": case["access_code"], "reason": "处理结果不公"}).json
    complete(client, staff.headers("leader1"), review["number"], ANSWER)
    again = client.post(f"/api/v1/public/cases/{review['number']}/review",
                        json={"access_code": review["access_code"], "reason": "复查结论仍不公"}).json
    complete(client, staff.headers("leader1"), again["number"], ANSWER)
    return case["number"], again["number"]


def test_a_claim_decided_on_re_review_is_flagged_and_refused_with_the_reason(client, staff, re_reviewed, complaint):
    claim, decided = re_reviewed
    found = {c["number"]: c for c in _candidates(client, staff, "同一事项再次反映", phone="13812345678")}
    assert found[claim]["re_reviewed_in"] == decided
    assert "re_reviewed" in [r["code"] for r in found[claim]["reasons"]]
    refused = client.post(f"/api/v1/cases/{claim}/refusals", headers=staff.headers("intake1"),
                          json=dict(complaint, petitioner={"name": "张三", "phone": "13812345678"}))
    assert refused.status_code == 201, refused.json
    assert refused.json["status"] == "rejected" and refused.json["re_reviewed_in"] == claim
    public = client.get(f"/api/v1/public/cases/{refused.json['number']}?access_code={refused.json['access_code']}").json
    assert "第三十六条" in public["answer"] and decided in public["answer"]
    other = register(client, staff.headers("intake1"), complaint)["number"]
    assert "not been through re-review" in api_error(client.post(
        f"/api/v1/cases/{other}/refusals", headers=staff.headers("intake1"), json=complaint), 409)["message"]
