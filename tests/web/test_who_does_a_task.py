"""Who does a task (issue 23, item 1): a diagram's candidate groups (mapped through the lane map or naming a group),
its assignee (an expression in the task's data) and the process's default group decide the inbox, as lanes do."""

import io
import re

from tests.helpers import COMPLAINT, open_task
from tests.unit.bpmn_factory import process

PASSWORD = "a-long-enough-pass"
CAMUNDA_HELP = process(
    '<bpmn:startEvent id="start"/>'
    '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
    '<bpmn:userTask id="check" name="Check the request" camunda:candidateGroups="Finance"/>'
    '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="choose"/>'
    '<bpmn:scriptTask id="choose" name="Choose the reviewer"><bpmn:script>reviewer = "head1"</bpmn:script></bpmn:scriptTask>'
    '<bpmn:sequenceFlow id="f3" sourceRef="choose" targetRef="sign"/>'
    '<bpmn:userTask id="sign" name="Sign it off" camunda:assignee="${reviewer}"/>'
    '<bpmn:sequenceFlow id="f4" sourceRef="sign" targetRef="file"/>'
    '<bpmn:userTask id="file" name="File it"/>'
    '<bpmn:sequenceFlow id="f5" sourceRef="file" targetRef="end"/>'
    '<bpmn:endEvent id="end"/>', process_id="help")


def _deploy(client, headers, xml, name="help.bpmn"):  # in place of the shipped help process: confirmed
    return client.post("/api/v1/processes?new_version=true", data={"file": (io.BytesIO(xml), name)}, headers=headers,
                       content_type="multipart/form-data")


def _offered_to(users: str, name: str) -> bytes:
    """A help process whose one task names several candidate users."""
    return process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
                   f'<bpmn:userTask id="check" name="{name}" camunda:candidateUsers="{users}"/>'
                   '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/><bpmn:endEvent id="end"/>',
                   process_id="help")


def _tasks(client, headers, scope="group"):
    return client.get(f"/api/v1/tasks?scope={scope}&per_page=200", headers=headers).json["items"]


def test_candidate_groups_the_assignee_and_the_default_group_decide_the_inbox(app, client, staff, deployed):
    staff.add("admin1", "admin")
    runner = app.test_cli_runner()
    mapped = runner.invoke(args=["lanes", "map", "Finance", "handler@HOUSING"])
    assert mapped.exit_code == 0 and "Finance -> handler@HOUSING" in mapped.output
    owner = staff.headers("owner1")
    assert _deploy(client, owner, CAMUNDA_HELP).status_code == 201
    set_default = client.put("/api/v1/processes/help/default-group", json={"default_group": "leader"}, headers=owner)
    assert set_default.status_code == 200 and set_default.json == {"process": "help", "default_group": "leader", "set": True}

    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=staff.headers("intake1")).json["number"]
    check = open_task(client, staff.headers("housing1"), number)  # Finance -> handler@HOUSING
    assert check["name"] == "check" and check["group"] == "handler@HOUSING"
    assert not [t for t in _tasks(client, staff.headers("handler1")) if t["case_number"] == number]  # ENV's handler: no
    done = client.post(f"/api/v1/tasks/{check['id']}/complete", json={}, headers=staff.headers("housing1"))
    assert done.status_code == 200, done.json

    sign = [t for t in _tasks(client, staff.headers("head1"), "mine") if t["case_number"] == number]
    assert [(t["name"], t["state"], t["assignee"]) for t in sign] == [("sign", "claimed", "head1")]  # ${reviewer}
    assert client.post(f"/api/v1/tasks/{sign[0]['id']}/complete", json={}, headers=staff.headers("head1")).status_code == 200

    file_it = open_task(client, staff.headers("leader1"), number)  # no lane, no candidate: the default group
    assert file_it["name"] == "file" and file_it["group"] == "leader"
    assert client.post(f"/api/v1/tasks/{file_it['id']}/complete", json={}, headers=staff.headers("leader1")).status_code == 200
    case = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert case["open_tasks"] == [] and case["status"] == "closed"  # the process ended without a status: closed
    timeline = [e["action"] for e in client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]]
    assert "task.assigned" in timeline


def test_a_process_drawn_without_lanes_or_candidates_goes_to_the_intake_group_until_its_owner_sets_another(
        client, staff, deployed):
    plain = process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>'
                    '<bpmn:userTask id="t" name="Answer"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>'
                    '<bpmn:endEvent id="end"/>', process_id="help")
    assert _deploy(client, staff.headers("owner1"), plain).status_code == 201
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=staff.headers("intake1")).json["number"]
    assert open_task(client, staff.headers("intake1"), number)["group"] == "intake"


def test_a_candidate_group_that_reaches_nobody_is_refused_at_upload_until_it_is_mapped(app, client, staff, deployed):
    owner = staff.headers("owner1")
    refused = _deploy(client, owner, CAMUNDA_HELP)
    assert refused.status_code == 422
    problems = refused.json["error"]["details"]["problems"]
    assert [(p["element"], p["message"][:40]) for p in problems] == [("check", "candidate group 'Finance' maps to no gro")]
    assert app.test_cli_runner().invoke(args=["lanes", "map", "Finance", "handler@*"]).exit_code == 0
    assert _deploy(client, owner, CAMUNDA_HELP).status_code == 201


def test_the_lane_map_through_the_api_refuses_bad_groups_and_keeps_a_used_lane(client, staff, deployed):
    staff.add("admin1", "admin")
    admin = staff.headers("admin1")
    listed = {row["lane"]: row for row in client.get("/api/v1/lanes", headers=admin).json["items"]}
    assert listed["Department"]["group"] == "handler@*" and "complaint" in listed["Department"]["used_by"]
    for body, field, words in (({"group": "wizard"}, "group", "no role 'wizard'"),
                               ({"group": "handler@NOPE"}, "group", "no department 'NOPE'"),
                               ({"group": "handler@"}, "group", "name a department after @"),
                               ({"group": ""}, "group", None), ({}, "group", None), ({"group": "intake", "x": 1}, "x", None)):
        response = client.put("/api/v1/lanes/Finance", json=body, headers=admin)
        assert response.status_code == 422 and field in response.json["error"]["details"], (body, response.json)
        if words:
            assert response.json["error"]["message"] == words
    assert client.put("/api/v1/lanes/Finance", json={"group": "head@ENV"}, headers=staff.headers("owner1")).status_code == 403
    assert "Finance" not in {row["lane"] for row in client.get("/api/v1/lanes", headers=admin).json["items"]}
    put = client.put("/api/v1/lanes/Finance", json={"group": "Head@env"}, headers=admin)
    assert put.status_code == 200 and put.json["group"] == "head@ENV"
    used = client.delete("/api/v1/lanes/Department", headers=admin)
    assert used.status_code == 409 and "complaint" in used.json["error"]["message"]
    assert client.delete("/api/v1/lanes/Finance", headers=admin).status_code == 204
    assert client.delete("/api/v1/lanes/Finance", headers=admin).status_code == 404
    default = client.put("/api/v1/processes/nothing/default-group", json={"default_group": "intake"},
                         headers=staff.headers("owner1"))
    assert default.status_code == 404


def test_the_cli_names_what_is_wrong_and_lists_the_map(app, staff, deployed):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["lanes", "map", "Finance", "wizard@*"])
    assert bad.exit_code == 1 and "no role 'wizard'" in bad.output
    listed = runner.invoke(args=["lanes", "list"])
    assert listed.exit_code == 0 and "Department\thandler@*\t" in listed.output and "Finance" not in listed.output
    assert runner.invoke(args=["lanes", "default", "complaint", "supervisor"]).output.strip() == "complaint: supervisor"
    assert runner.invoke(args=["lanes", "default", "complaint"]).output.strip() == "complaint: intake"


def test_the_lanes_page_maps_a_name_and_says_in_chinese_what_is_wrong(app, staff, deployed):
    from app.cases.people.users import create_user
    from tests.helpers import csrf_token, fresh_context_client

    create_user("pageadmin", ["admin"], None, password=PASSWORD)
    client = fresh_context_client(app)
    client.post("/login", data={"username": "pageadmin", "password": PASSWORD, "csrf_token": csrf_token(client)})
    page = client.get("/lanes")
    assert page.status_code == 200 and "泳道对应表" in page.get_data(as_text=True)
    token = csrf_token(client, "/lanes")
    done = client.post("/lanes", data={"csrf_token": token, "lane": "Finance", "role": "handler", "where": "HOUSING"},
                       follow_redirects=True)
    alerts = re.findall(r'class="error".*?</div>', done.get_data(as_text=True), re.S)
    assert done.status_code == 200 and "Finance" in done.get_data(as_text=True) and not alerts, alerts
    bad = client.post("/lanes", data={"csrf_token": token, "lane": "", "role": "handler", "where": ""})
    assert bad.status_code == 422 and "请填写泳道名称" in bad.get_data(as_text=True)


def test_spiff_lane_owners_name_the_one_who_does_a_lanes_task(client, staff, deployed):
    """spiff-arena's way: the lane says the group, `lane_owners` in the data names its people (one: assigned)."""
    xml = process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="owners"/>'
                  '<bpmn:scriptTask id="owners" name="Owners"><bpmn:script>lane_owners = {"Leadership": ["leader1"]}'
                  '</bpmn:script></bpmn:scriptTask><bpmn:sequenceFlow id="f2" sourceRef="owners" targetRef="decide"/>'
                  '<bpmn:userTask id="decide" name="Decide"/><bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>'
                  '<bpmn:endEvent id="end"/>', process_id="help",
                  lanes={"Intake": ["start", "owners", "end"], "Leadership": ["decide"]})
    assert _deploy(client, staff.headers("owner1"), xml).status_code == 201
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=staff.headers("intake1")).json["number"]
    mine = [t for t in _tasks(client, staff.headers("leader1"), "mine") if t["case_number"] == number]
    assert [(t["name"], t["group"], t["assignee"]) for t in mine] == [("decide", "leader", "leader1")]


def test_several_candidate_users_are_each_offered_the_task_and_one_of_them_does_it(app, client, staff, deployed):
    from sqlalchemy import func, select

    from app.cases.work.tasks import forget_closed_offers
    from app.extensions import db
    from app.models import TaskOffer

    xml = _offered_to("handler1, housing1, nobody", "Check")
    uploaded = _deploy(client, staff.headers("owner1"), xml)
    assert uploaded.status_code == 201 and uploaded.json["warnings"] == []  # several candidate users: nothing to warn
    clerk = staff.headers("intake1")
    first, second = (client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=clerk).json["number"]
                     for _ in range(2))

    def offered_to(username):
        return sorted(t["case_number"] for t in _tasks(client, staff.headers(username)) if t["name"] == "check")

    # each named person (one of ENV, one of HOUSING) has both in their queue; another of ENV has neither
    assert offered_to("handler1") == offered_to("housing1") == sorted([first, second])
    assert offered_to("handler2") == []
    assert offered_to("intake1") == sorted([first, second])  # still in its group (the process's default), too
    assert client.get(f"/api/v1/cases/{first}", headers=staff.headers("housing1")).status_code == 200
    assert client.get(f"/api/v1/cases/{first}", headers=staff.headers("handler2")).status_code in (403, 404)
    task = open_task(client, staff.headers("housing1"), first)
    assert (task["group"], task["assignee"]) == ("intake", None)
    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=staff.headers("handler1")).json
    assert detail["offered_to"] == ["handler1", "housing1"]  # the inactive or unknown "nobody" is left out
    timeline = client.get(f"/api/v1/cases/{first}/timeline", headers=clerk).json["items"]
    assert next(e for e in timeline if e["action"] == "task.offered")["details"]["to"] == "handler1, housing1"

    # one of them takes it: the other sees who has it and may not take it too
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("housing1")).status_code == 200
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler1")).status_code == 409
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("handler2")).status_code == 403
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers=staff.headers("housing1"))
    assert done.status_code == 200, done.json
    assert offered_to("handler1") == [second]

    # the other case is withdrawn: its task is cancelled, out of every inbox, and the housekeeping forgets its offers
    assert client.post(f"/api/v1/cases/{second}/withdraw", json={"reason": "诉求人已自行解决"}, headers=clerk).status_code == 200
    assert offered_to("handler1") == offered_to("housing1") == []
    assert db.session.scalar(select(func.count()).select_from(TaskOffer)) == 2  # the completed task's went at once
    assert forget_closed_offers() == 2
    assert db.session.scalar(select(func.count()).select_from(TaskOffer)) == 0


def test_the_default_group_is_set_at_upload_by_the_api_the_cli_and_the_workbench(app, client, staff, deployed,
                                                                                  owner, tmp_path):
    from app.cases.groups import default_group
    from tests.helpers import csrf_token

    xml = process('<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>'
                  '<bpmn:userTask id="t" name="Answer"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>'
                  '<bpmn:endEvent id="end"/>', process_id="help")
    headers = staff.headers("owner1")

    def versions():
        return [v["version"] for v in client.get("/api/v1/processes", headers=headers).json["items"] if v["key"] == "help"]

    before = versions()
    refused = client.post("/api/v1/processes?new_version=true&default_group=handler@NOWHERE", headers=headers,
                          content_type="multipart/form-data", data={"file": (io.BytesIO(xml), "help.bpmn")})
    assert refused.status_code == 422 and "default_group" in refused.json["error"]["details"]
    assert versions() == before and default_group("help") == "intake"  # nothing stored
    uploaded = client.post("/api/v1/processes?new_version=true&default_group=handler@*", headers=headers,
                           content_type="multipart/form-data", data={"file": (io.BytesIO(xml), "help.bpmn")})
    assert uploaded.status_code == 201 and default_group("help") == "handler@*"

    path = tmp_path / "help.bpmn"
    path.write_bytes(xml)
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["processes", "deploy", str(path), "--default-group", "painter"])
    assert bad.exit_code != 0 and "painter" in bad.output
    good = runner.invoke(args=["processes", "deploy", str(path), "--default-group", "head@ENV"])
    assert good.exit_code == 0, good.output
    assert default_group("help") == "head@ENV"

    other = xml.replace(b'id="help"', b'id="uploaded_here"')
    page = owner.post("/workbench/upload", data={"file": (io.BytesIO(other), "x.bpmn"), "role": "leader", "where": "",
                                                "csrf_token": csrf_token(owner, "/workbench")},
                      content_type="multipart/form-data")
    assert page.status_code == 302 and page.location.endswith("/workbench/processes/uploaded_here/edit")
    assert default_group("uploaded_here") == "leader"


def test_the_people_a_task_is_offered_to_see_it_on_their_inbox_task_and_case_pages(app, client, staff, deployed):
    from app.cases.people.users import create_user
    from tests.helpers import csrf_token, fresh_context_client

    create_user("wang_env", ["handler"], "ENV", password=PASSWORD, display_name="王承办")
    create_user("zhao_housing", ["handler"], "HOUSING", password=PASSWORD, display_name="赵住房")
    xml = _offered_to("wang_env,zhao_housing", "Check 核实")
    assert _deploy(client, staff.headers("owner1"), xml).status_code == 201
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=staff.headers("intake1")).json["number"]
    task = open_task(client, staff.headers("intake1"), number)
    browser = fresh_context_client(app)
    browser.post("/login", data={"username": "zhao_housing", "password": PASSWORD, "csrf_token": csrf_token(browser)})
    inbox = browser.get("/inbox").get_data(as_text=True)
    assert f"data-case='{number}'" in inbox or f'data-case="{number}"' in inbox
    page = browser.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "可领取人员：王承办、赵住房（先领取者办理）" in page  # by their names
    case_page = browser.get(f"/cases/{number}")
    assert case_page.status_code == 200
    assert re.search(r"环节交由流程图指定的几位人员领取</strong>\s*「核实」\s*→ wang_env, zhao_housing", case_page.get_data(as_text=True))


def test_a_supervisor_moving_an_offered_task_takes_it_from_those_it_was_offered_to(client, staff, deployed):
    xml = _offered_to("handler1, housing1", "Check")
    assert _deploy(client, staff.headers("owner1"), xml).status_code == 201
    number = client.post("/api/v1/cases", json=dict(COMPLAINT, category="help"), headers=staff.headers("intake1")).json["number"]
    task = open_task(client, staff.headers("housing1"), number)
    moved = client.post(f"/api/v1/tasks/{task['id']}/assign", json={"user": "intake1", "reason": "受理员直接核实"},
                        headers=staff.headers("super1"))
    assert moved.status_code == 200, moved.json
    assert [t for t in _tasks(client, staff.headers("housing1")) if t["case_number"] == number] == []
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=staff.headers("super1")).json["offered_to"] == []
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=staff.headers("housing1")).status_code == 403
