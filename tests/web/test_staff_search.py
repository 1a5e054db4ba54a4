"""One search box for staff: by phone, by a two-character name, by number start and end, by title words; the
person's cases grouped; nothing outside the user's cases."""

from __future__ import annotations

from tests.helpers import TRIAGE_ACCEPT, api_error, complete, register


def _search(client, staff, q, who="intake1"):
    response = client.get("/api/v1/search", query_string={"q": q}, headers=staff.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_one_box_finds_by_phone_name_number_and_title_and_groups_the_persons_cases(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    first = register(client, clerk, dict(complaint, title="夜间施工噪音", petitioner={"name": "张三", "phone": "13812345678"}))
    second = register(client, clerk, dict(complaint, title="路灯不亮", petitioner={"name": "张三", "phone": "13812345678"}))
    other = register(client, clerk, dict(complaint, title="占道经营", petitioner={"name": "李四", "phone": "13700000000"}))
    by_phone = _search(client, staff, "138-1234-5678")
    assert [p["person"]["name"] for p in by_phone["people"]] == ["张三"]
    assert {c["number"] for c in by_phone["people"][0]["cases"]} == {first["number"], second["number"]}
    by_name = _search(client, staff, "张三")  # two characters: the person by name, no title holds it
    assert len(by_name["people"]) == 1 and by_name["titles"]["items"] == []
    assert _search(client, staff, first["number"])["numbered"][0]["number"] == first["number"]
    tail = _search(client, staff, other["number"][-6:])["numbered"]
    assert [c["number"] for c in tail] == [other["number"]]
    assert [c["number"] for c in _search(client, staff, "噪音")["titles"]["items"]] == [first["number"]]
    api_error(client.get("/api/v1/search?q=张", headers=clerk), 422)
    api_error(client.get("/api/v1/search", headers=clerk), 422)


def test_department_staff_find_only_their_cases_and_their_petitioners(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    env = register(client, clerk, dict(complaint, title="夜间施工噪音", petitioner={"name": "张三", "phone": "13812345678"}))
    complete(client, clerk, env["number"], TRIAGE_ACCEPT)
    housing = register(client, clerk, dict(complaint, title="夜间施工噪音", petitioner={"name": "王五", "phone": "13600000000"}))
    complete(client, clerk, housing["number"], dict(TRIAGE_ACCEPT, department="HOUSING"))
    seen = _search(client, staff, "噪音", who="handler1")
    assert [c["number"] for c in seen["titles"]["items"]] == [env["number"]]
    assert _search(client, staff, "王五", who="handler1")["people"] == []  # HOUSING's petitioner
    assert _search(client, staff, "13600000000", who="handler1")["people"] == []
    found = _search(client, staff, "13812345678", who="handler1")["people"]  # the person across cases: masked
    assert [p["person"]["name"] for p in found] == ["张*"] and [c["number"] for c in found[0]["cases"]] == [env["number"]]
