"""The process owners' workbench through the test client: working copies, check, publish, activate, roll back, upload."""

from __future__ import annotations

import re

from app.cases.people.users import create_user
from app.extensions import db
from app.models import ProcessDraft, ProcessInstance, ProcessVersion
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register
from tests.web.workbench_helpers import (
    COMPLAINT_XML,
    JUEL,
    PASSWORD,
    RENAMED,
    a_complaint,
    a_file,
    editor_data,
    post_json,
    sign_in,
)

CAMUNDA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="quick_answer" name="Quick answer" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="answer" name="Answer" camunda:formKey="consultation_answer" camunda:candidateGroups="Department">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="answer" />
    <bpmn:sequenceFlow id="f2" sourceRef="answer" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def versions(key="complaint"):
    return [(v.version, v.state, v.active) for v in
            db.session.query(ProcessVersion).filter_by(key=key).order_by(ProcessVersion.version)]


def test_the_workbench_lists_processes_with_versions_running_cases_and_categories(owner, staff):
    register(owner, staff.headers("intake1"), a_complaint())
    html = owner.get("/workbench").get_data(as_text=True)
    row = re.search(r'<tr data-key="complaint">(.*?)</tr>', html, re.S).group(1)
    assert "v1" in row and ">1<" in row.replace(" ", "")  # one running case
    assert "投诉" in row  # bound to the complaint category
    detail = owner.get("/workbench/processes/complaint").get_data(as_text=True)
    assert 'data-version="1"' in detail and "owner1" not in detail and 'id="diagram"' in detail
    assert owner.get("/workbench/processes/nope").status_code == 404


def test_only_owners_and_admins_open_the_workbench(app, staff, deployed):
    client = fresh_context_client(app)
    create_user("worker", ["handler"], "ENV", password=PASSWORD)
    sign_in(client, "worker")
    assert 'href="/workbench"' not in client.get("/inbox").get_data(as_text=True)
    for path in ("/workbench", "/workbench/processes/complaint", "/workbench/processes/complaint/edit", "/workbench/forms"):
        assert client.get(path).status_code == 403
    assert client.post("/workbench/processes/complaint/check", json={"xml": COMPLAINT_XML}).status_code in (400, 403)


def test_a_working_copy_is_saved_as_it_is_and_a_stale_save_is_refused(owner):
    page = owner.get("/workbench/processes/complaint/edit").get_data(as_text=True)
    assert "Investigate 调查核实" in editor_data(page)["xml"] and 'data-lock=""' in page and 'data-base="1"' in page
    assert {"id": "complaint_triage", "title": "受理分流"} in editor_data(page)["forms"]
    assert "Department" in [lane["name"] for lane in editor_data(page)["lanes"]]
    saved = post_json(owner, "/workbench/processes/complaint/draft", {"xml": JUEL, "lock_version": None, "base_version": 1})
    assert saved.status_code == 200, saved.json
    lock = saved.json["lock_version"]
    again = post_json(owner, "/workbench/processes/complaint/draft", {"xml": RENAMED, "lock_version": None})
    assert again.status_code == 409 and "po 在此期间保存了这张图" in again.json["error"]["message"]
    assert db.session.get(ProcessDraft, "complaint").bpmn_xml == JUEL  # broken, but nothing drawn is lost
    assert post_json(owner, "/workbench/processes/complaint/draft", {"xml": RENAMED, "lock_version": lock}).status_code == 200
    reopened = owner.get("/workbench/processes/complaint/edit").get_data(as_text=True)
    assert "Investigate on site" in editor_data(reopened)["xml"] and "工作稿由" in reopened
    assert "编辑中" in owner.get("/workbench").get_data(as_text=True)


def test_bad_diagrams_are_refused_with_a_reason_and_change_nothing(owner):
    cases = [
        ({}, "缺少流程图"),
        ({"xml": "<not-xml"}, "这张图不是可读的 XML"),
        ({"xml": "<a/>"}, "不是 BPMN 流程图"),
        ({"xml": CAMUNDA}, "这张图属于另一个流程"),
        ({"xml": COMPLAINT_XML, "lock_version": "one"}, "lock_version 必须是整数"),
    ]
    for body, message in cases:
        response = post_json(owner, "/workbench/processes/complaint/draft", body)
        assert response.status_code == 422 and response.json["error"]["message"] == message, (body, response.json)
    assert db.session.get(ProcessDraft, "complaint") is None


def test_check_lists_each_problem_at_its_element_and_publish_refuses_a_broken_diagram(owner):
    checked = post_json(owner, "/workbench/processes/complaint/check", {"xml": JUEL})
    assert checked.status_code == 200
    problem = [p for p in checked.json["problems"] if "是 JUEL 写法" in p["message"]]
    assert problem and problem[0]["element"].startswith("gw_")
    refused = post_json(owner, "/workbench/processes/complaint/publish", {"xml": JUEL, "activate": True})
    assert refused.status_code == 422 and refused.json["error"]["details"]["problems"]
    assert versions() == [(1, "published", True)]
    assert post_json(owner, "/workbench/processes/complaint/check", {"xml": RENAMED}).json == {"problems": [], "total": 0,
                                                                                             "warnings": []}


def test_publish_makes_a_new_version_without_moving_running_cases_then_activate_and_roll_back(owner, staff):
    before = register(owner, staff.headers("intake1"), a_complaint())["number"]
    post_json(owner, "/workbench/processes/complaint/draft", {"xml": RENAMED, "lock_version": None, "base_version": 1})
    published = post_json(owner, "/workbench/processes/complaint/publish", {"xml": RENAMED, "activate": False})
    assert published.status_code == 201 and published.json["version"] == 2 and published.json["active"] is False
    assert versions() == [(1, "published", True), (2, "published", False)]
    assert db.session.get(ProcessDraft, "complaint") is None  # the working copy became the version
    assert {i.process_version.version for i in db.session.query(ProcessInstance)} == {1}

    token = csrf_token(owner, "/workbench/processes/complaint")
    assert owner.post("/workbench/processes/complaint/versions/2/activate", data={"csrf_token": token}).status_code == 302
    assert versions() == [(1, "published", False), (2, "published", True)]
    after = register(owner, staff.headers("intake1"), a_complaint())["number"]
    complete(owner, staff.headers("intake1"), after, TRIAGE_ACCEPT)
    assert open_task(owner, staff.headers("handler1"), after)["title"] == "Investigate on site 现场调查核实"
    complete(owner, staff.headers("intake1"), before, TRIAGE_ACCEPT)
    assert open_task(owner, staff.headers("handler1"), before)["title"] == "Investigate 调查核实"  # pinned to v1

    page = owner.get("/workbench/processes/complaint").get_data(as_text=True)
    assert "Roll back to this" in page or "回退到此版本" in page
    owner.post("/workbench/processes/complaint/versions/1/activate", data={"csrf_token": token})
    assert versions() == [(1, "published", True), (2, "published", False)]
    assert owner.post("/workbench/processes/complaint/versions/9/activate", data={"csrf_token": token}).status_code == 302
    assert versions() == [(1, "published", True), (2, "published", False)]


def test_publishing_the_same_content_again_makes_no_new_version(owner):
    response = post_json(owner, "/workbench/processes/complaint/publish", {"xml": COMPLAINT_XML, "activate": False})
    assert response.status_code == 200 and response.json["created"] is False and response.json["version"] == 1
    assert post_json(owner, "/workbench/processes/complaint/publish", {"xml": COMPLAINT_XML, "activate": "yes"}).status_code == 422


def test_an_uploaded_camunda_file_becomes_a_working_copy_and_publishes(owner):
    token = csrf_token(owner, "/workbench")
    response = owner.post("/workbench/upload", data={"csrf_token": token, "file": (a_file(CAMUNDA), "quick.bpmn")},
                          content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/workbench/processes/quick_answer/edit")
    assert db.session.get(ProcessDraft, "quick_answer").updated_by == "po"
    assert "quick_answer" in owner.get("/workbench").get_data(as_text=True)
    again = owner.post("/workbench/upload", data={"csrf_token": token, "file": (a_file(CAMUNDA), "quick.bpmn")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "已有 po 的工作稿" in again.get_data(as_text=True)
    published = post_json(owner, "/workbench/processes/quick_answer/publish", {"xml": CAMUNDA, "activate": True})
    assert published.status_code == 201, published.json
    assert versions("quick_answer") == [(1, "published", True)]


def test_an_upload_that_is_not_bpmn_is_refused_and_stores_nothing(owner):
    token = csrf_token(owner, "/workbench")
    response = owner.post("/workbench/upload", data={"csrf_token": token, "file": (a_file("hello"), "notes.txt")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "这张图不是可读的 XML" in response.get_data(as_text=True)
    assert db.session.query(ProcessDraft).count() == 0




def test_publishing_from_the_editor_drops_its_own_saved_copy_but_not_a_newer_one(owner):
    lock = post_json(owner, "/workbench/processes/complaint/draft", {"xml": JUEL, "lock_version": None}).json["lock_version"]
    published = post_json(owner, "/workbench/processes/complaint/publish",
                          {"xml": RENAMED, "activate": False, "lock_version": lock})
    assert published.status_code == 201 and db.session.get(ProcessDraft, "complaint") is None

    first = post_json(owner, "/workbench/processes/complaint/draft", {"xml": JUEL, "lock_version": None}).json["lock_version"]
    post_json(owner, "/workbench/processes/complaint/draft", {"xml": JUEL.replace("Triage", "Triage!"), "lock_version": first})
    post_json(owner, "/workbench/processes/complaint/publish", {"xml": COMPLAINT_XML, "activate": False, "lock_version": first})
    db.session.expire_all()
    assert db.session.get(ProcessDraft, "complaint") is not None  # saved by someone after this editor read it


def test_a_process_owner_signs_in_to_the_workbench_not_to_a_forbidden_inbox(app, staff, deployed):
    client = fresh_context_client(app)
    create_user("po", ["owner"], password=PASSWORD)
    response = client.post("/login", data={"username": "po", "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/workbench"
    assert client.get("/login").headers["Location"] == "/workbench"


def test_an_owner_tries_a_draft_on_the_running_cases_and_a_bare_migration_address_is_explained(app, staff, client):
    """Issue 23, item 6a: the dry run from the process page before the draft is published; in Chinese."""
    from app.cases.procedures.processes import deploy_bpmn
    from tests.processes import two_steps

    deploy_bpmn(two_steps(), "complaint.bpmn", "test")
    deploy_bpmn(two_steps(review_name="Final review"), "complaint.bpmn", "test", draft=True)
    number = register(client, staff.headers("intake1"), a_complaint())["number"]
    owner = fresh_context_client(app)
    create_user("tryer", ["owner"], password=PASSWORD)
    sign_in(owner, "tryer")
    detail = owner.get("/workbench/processes/complaint").get_data(as_text=True)
    assert "试着迁移在办诉求（演练）" in detail
    plan = owner.get("/workbench/processes/complaint/migrate?from=1&to=2").get_data(as_text=True)
    assert number in plan and 'id="draft-target"' in plan and 'id="migrate"' not in plan
    bare = owner.get("/workbench/processes/complaint/migrate", follow_redirects=True)
    assert bare.status_code == 200 and "“from”必须是版本号" in bare.get_data(as_text=True)
