"""Petitioner records: the caller on the line is found by what they say (a phone number typed any way, an e-mail
address, a resident ID number), with their history; records of one person merge, audited; repeated callers."""

from __future__ import annotations

from sqlalchemy import select, text

from app.extensions import db
from app.models import Person, PersonMerge
from tests.helpers import TRIAGE_ACCEPT, api_error, complete, register

ID_NUMBER = "11010519491231002X"


def _appeal(complaint, title="夜间施工噪音", **petitioner):
    return dict(complaint, title=title, petitioner={"name": "张三", **petitioner})


def _lookup(client, staff, who="intake1", **query):
    response = client.get("/api/v1/people/lookup", query_string=query, headers=staff.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_the_same_phone_typed_another_way_finds_the_caller_and_their_history(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    first = register(client, clerk, _appeal(complaint, phone="138-1234-5678"))["number"]
    assert _lookup(client, staff, phone="+86 13812345678")["cases"][0]["number"] == first  # before the second call
    second = register(client, clerk, _appeal(complaint, "噪音又来了", phone="008613812345678"))["number"]
    found = _lookup(client, staff, phone="13812345678")
    assert found["person"]["name"] == "张三" and found["person"]["cases"] == 2 and found["person"]["open"] == 2
    assert [c["number"] for c in found["cases"]] == [second, first]  # open ones first, newest first
    history = client.get(f"/api/v1/cases/{second}/petitioner/history", headers=clerk).json
    assert history["person"]["id"] == found["person"]["id"] and {c["number"] for c in history["cases"]} == {first, second}
    assert _lookup(client, staff, phone="13900000000") == {"person": None, "cases": [], "total": 0}
    # the database holds keys, never the number itself, in the record
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM person")).mappings().one()
    assert "13812345678" not in " ".join(str(v) for v in row.values()) and len(row["phone_key"]) == 32


def test_an_id_number_names_one_person_across_phones_and_a_wrong_one_is_refused(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    register(client, clerk, _appeal(complaint, phone="13812345678", id_number=ID_NUMBER.lower()))
    register(client, clerk, _appeal(complaint, phone="13700000000", id_number=ID_NUMBER))
    assert _lookup(client, staff, id_number=ID_NUMBER)["person"]["cases"] == 2
    bad = api_error(client.post("/api/v1/cases", headers=clerk, json=_appeal(
        complaint, phone="13812345678", id_number="110105194912310021")), 422, "validation_failed")
    assert "check digit" in bad["details"]["petitioner"]["id_number"][0]
    assert db.session.scalar(select(Person.id).where(Person.merged_into_id.is_(None)).limit(2).offset(1)) is None
    nothing = api_error(client.get("/api/v1/people/lookup", headers=clerk), 422)
    assert nothing["details"]["phone"] == ["Give a phone number, an e-mail address or a resident ID number."]


def test_an_anonymous_appeal_names_nobody(client, staff, deployed, complaint):
    register(client, staff.headers("intake1"), dict(complaint, petitioner={"anonymous": True, "phone": "13812345678"}))
    assert _lookup(client, staff, phone="13812345678")["person"] is None


def test_two_records_of_one_person_merge_with_who_and_why(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    one = register(client, clerk, _appeal(complaint, phone="13812345678"))["number"]
    other = register(client, clerk, _appeal(complaint, email="zhangsan@example.cn"))["number"]
    a = _lookup(client, staff, phone="13812345678")["person"]["id"]
    b = _lookup(client, staff, email="ZhangSan@Example.cn")["person"]["id"]
    assert a != b
    api_error(client.post(f"/api/v1/people/{b}/merge", headers=clerk, json={"into": a, "reason": " "}), 422)
    api_error(client.post(f"/api/v1/people/{b}/merge", headers=staff.headers("handler1"),
                          json={"into": a, "reason": "同一人"}), 403)
    merged = client.post(f"/api/v1/people/{b}/merge", headers=clerk, json={"into": a, "reason": "同一人，两次来电留了不同联系方式"})
    assert merged.status_code == 200, merged.json
    assert merged.json["person"]["id"] == a and {c["number"] for c in merged.json["cases"]} == {one, other}
    assert _lookup(client, staff, email="zhangsan@example.cn")["person"]["id"] == a  # the old identifier leads here
    api_error(client.post(f"/api/v1/people/{b}/merge", headers=clerk, json={"into": a, "reason": "再次"}), 409)
    audit = db.session.scalars(select(PersonMerge)).one()
    assert (audit.person_id, audit.into_id, audit.actor) == (b, a, "intake1") and "不同联系方式" in audit.reason
    # a later call from the merged record's address is that person's too
    third = register(client, clerk, _appeal(complaint, email="zhangsan@example.cn"))["number"]
    assert third in {c["number"] for c in _lookup(client, staff, phone="13812345678")["cases"]}


def test_department_staff_see_the_history_of_their_cases_only_and_the_name_masked(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    env = register(client, clerk, _appeal(complaint, phone="13812345678"))["number"]
    complete(client, clerk, env, TRIAGE_ACCEPT)
    housing = register(client, clerk, _appeal(complaint, phone="13812345678"))["number"]
    complete(client, clerk, housing, dict(TRIAGE_ACCEPT, department="HOUSING"))
    seen = client.get(f"/api/v1/cases/{env}/petitioner/history", headers=staff.headers("handler1")).json
    assert [c["number"] for c in seen["cases"]] == [env] and seen["person"]["cases"] == 2
    assert seen["person"]["name"] == "张三"  # their own department's case: the petitioner unmasked, as on the page
    other = client.get(f"/api/v1/cases/{housing}/petitioner/history", headers=staff.headers("housing1")).json
    assert [c["number"] for c in other["cases"]] == [housing]
    api_error(client.get(f"/api/v1/cases/{housing}/petitioner/history", headers=staff.headers("handler1")), 403)
    api_error(client.get("/api/v1/people/lookup?phone=13812345678", headers=staff.headers("handler1")), 403)


def test_repeated_callers_of_a_period_most_first(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    for _ in range(3):
        register(client, clerk, _appeal(complaint, phone="13812345678"))
    register(client, clerk, _appeal(complaint, phone="13700000000"))
    listed = client.get("/api/v1/people/repeated?days=30", headers=staff.headers("analyst1"))
    assert listed.status_code == 200, listed.json
    person = _lookup(client, staff, phone="13812345678")["person"]["id"]
    assert listed.json["items"] == [{"person": person, "cases": 3}]
    api_error(client.get("/api/v1/people/repeated?days=0", headers=staff.headers("analyst1")), 422)
    api_error(client.get("/api/v1/people/repeated", headers=staff.headers("handler1")), 403)


def test_cases_registered_before_records_are_linked_by_the_command(client, staff, deployed, complaint, runner):
    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, _appeal(complaint, phone="13812345678"))["number"] for _ in range(2)]
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE petitioner SET person_id = NULL"))
        conn.execute(text("DELETE FROM person"))
    assert _lookup(client, staff, phone="13812345678")["person"] is None
    result = runner.invoke(args=["people", "link"])
    assert result.exit_code == 0 and "2 petitioners linked" in result.output, result.output
    assert {c["number"] for c in _lookup(client, staff, phone="13812345678")["cases"]} == set(numbers)
    rekeyed = runner.invoke(args=["people", "link", "--rekey"])
    assert rekeyed.exit_code == 0 and "0 petitioners linked" in rekeyed.output
    assert _lookup(client, staff, phone="13812345678")["person"]["cases"] == 2
