"""Topics (事项分类) and areas (属地): imported from a file (all rows or none), chosen at intake and kept on the case,
changed in the ledger; the dispatch table's suggestion for a topic in an area, and what the clerk did with it."""

from __future__ import annotations

from tests.helpers import TRIAGE_ACCEPT, api_error, complete, register

TOPICS = """code,name,parent,keywords
ENV,生态环境,,
ENV.NOISE,噪声污染,ENV,噪音 噪声 扰民
ENV.NOISE.NIGHT,夜间施工噪声,ENV.NOISE,夜间施工
TRAFFIC,交通运输,,公交 停车
"""
AREAS = """code,name,parent,keywords
XY,幸福区,,
XY.HP,和平街道,XY,和平街
XY.HP.XF,幸福社区,XY.HP,幸福路
"""


def _import(client, staff, kind, body, who="admin1"):
    return client.post(f"/api/v1/{kind}/import", data=body.encode(), content_type="text/csv",
                       headers=staff.headers(who))


def test_trees_are_imported_from_a_file_and_a_bad_file_changes_nothing(client, staff, deployed):
    staff.add("admin1", "admin")
    assert _import(client, staff, "topics", TOPICS).json == {"added": 4, "updated": 0}
    assert _import(client, staff, "areas", AREAS).json == {"added": 3, "updated": 0}
    listed = client.get("/api/v1/topics", headers=staff.headers("handler1")).json["items"]
    assert [(n["code"], n["parent"], n["level"]) for n in listed] == [
        ("ENV", None, 1), ("ENV.NOISE", "ENV", 2), ("ENV.NOISE.NIGHT", "ENV.NOISE", 3), ("TRAFFIC", None, 1)]
    deeper = TOPICS + "ENV.NOISE.NIGHT.X,太深,ENV.NOISE.NIGHT,\nNEW,新类别,,\nORPHAN,孤儿,NOPE,\n"
    bad = api_error(_import(client, staff, "topics", deeper), 422, "validation_failed")
    assert any("more than 3 levels" in p for p in bad["details"]["file"])
    assert any("the parent NOPE is not known" in p for p in bad["details"]["file"])
    assert len(client.get("/api/v1/topics", headers=staff.headers("handler1")).json["items"]) == 4  # nothing written
    api_error(_import(client, staff, "topics", "名称,编码\n"), 422)
    api_error(_import(client, staff, "topics", TOPICS, who="super1"), 403)
    renamed = TOPICS.replace("噪声污染", "噪声扰民")
    assert _import(client, staff, "topics", renamed).json == {"added": 0, "updated": 4}


def test_the_command_line_loads_the_shipped_trees(runner, client, staff, deployed):
    for kind in ("topics", "areas"):
        result = runner.invoke(args=[kind, "import"])
        assert result.exit_code == 0 and " added" in result.output, result.output
    assert any(n["code"] == "URBAN.CONSTR.NIGHT" for n in client.get("/api/v1/topics", headers=staff.headers("intake1")).json["items"])
    again = runner.invoke(args=["topics", "import"])
    assert again.exit_code == 0 and again.output.startswith("0 added")


def test_topic_and_area_chosen_at_intake_suggest_the_department_and_an_override_is_kept(client, staff, deployed,
                                                                                       complaint):
    staff.add("admin1", "admin")
    _import(client, staff, "topics", TOPICS)
    _import(client, staff, "areas", AREAS)
    loaded = client.post("/api/v1/dispatch-rules/import", data="topic,area,department\nENV.NOISE,,ENV\nENV,XY.HP,HOUSING\n",
                         content_type="text/csv", headers=staff.headers("admin1"))
    assert loaded.json == {"loaded": 2}, loaded.json
    suggested = client.get("/api/v1/suggestions", query_string={"title": "幸福路工地夜间施工噪音", "address": "幸福路8号"},
                           headers=staff.headers("intake1")).json
    assert suggested["topic"]["code"] == "ENV.NOISE.NIGHT" and suggested["area"]["code"] == "XY.HP.XF"
    assert suggested["department"]["code"] == "ENV" and suggested["department"]["rule"] == {"topic": "ENV.NOISE", "area": None}
    case = register(client, staff.headers("intake1"), dict(complaint, topic="ENV.NOISE.NIGHT", area="XY.HP.XF"))
    detail = client.get(f"/api/v1/cases/{case['number']}", headers=staff.headers("super1")).json
    assert (detail["topic"], detail["area"]) == ("ENV.NOISE.NIGHT", "XY.HP.XF")
    bad = api_error(client.post("/api/v1/cases", headers=staff.headers("intake1"), json=dict(complaint, topic="NOPE")), 422)
    assert bad["details"]["topic"] == ["No topic NOPE."]
    # the clerk routes elsewhere than suggested: the case keeps both, the override can be counted
    complete(client, staff.headers("intake1"), case["number"], dict(TRIAGE_ACCEPT, department="HOUSING"))
    from app.extensions import db
    from app.models import Case, Department

    row = db.session.query(Case).filter_by(number=case["number"]).one()
    assert db.session.get(Department, row.suggested_department_id).code == "ENV" and row.department.code == "HOUSING"


def test_a_change_of_topic_or_area_is_in_the_ledger(client, staff, deployed, complaint):
    staff.add("admin1", "admin")
    _import(client, staff, "topics", TOPICS)
    _import(client, staff, "areas", AREAS)
    number = register(client, staff.headers("intake1"), dict(complaint, topic="TRAFFIC"))["number"]
    changed = client.post(f"/api/v1/cases/{number}/classification", json={"topic": "ENV.NOISE", "area": "XY.HP"},
                          headers=staff.headers("intake1"))
    assert changed.status_code == 200 and (changed.json["topic"], changed.json["area"]) == ("ENV.NOISE", "XY.HP")
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    [entry] = [e for e in timeline if e["action"] == "case.classified"]
    assert entry["details"] == {"topic": {"from": "TRAFFIC", "to": "ENV.NOISE"}, "area": {"from": None, "to": "XY.HP"}}
    api_error(client.post(f"/api/v1/cases/{number}/classification", json={}, headers=staff.headers("intake1")), 422)
    api_error(client.post(f"/api/v1/cases/{number}/classification", json={"area": "NOPE"},
                          headers=staff.headers("intake1")), 422)
    api_error(client.post(f"/api/v1/cases/{number}/classification", json={"topic": "ENV"},
                          headers=staff.headers("analyst1")), 403)
