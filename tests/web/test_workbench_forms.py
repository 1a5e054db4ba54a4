"""Forms in the workbench: checked before saving, previewed live, bundled into the next version, never into running cases."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from app.extensions import db
from app.models import FormDefinition, ProcessVersion
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, open_task, register
from tests.web.workbench_helpers import a_complaint, post_json

ROOT = Path(__file__).resolve().parents[2]
TRIAGE = (ROOT / "forms" / "complaint_investigation.yaml").read_text(encoding="utf-8")


def save(client, form_id, source, lock=""):
    token = csrf_token(client, f"/workbench/forms/{form_id}")
    return client.post(f"/workbench/forms/{form_id}", data={"csrf_token": token, "source": source, "lock_version": lock})


def preview(client, form_id, source):
    token = csrf_token(client, "/workbench/forms")
    return client.post(f"/workbench/forms/{form_id}/preview", data={"csrf_token": token, "source": source})


def test_the_forms_list_and_editor_show_every_form_with_its_definition_and_preview(owner):
    listing = owner.get("/workbench/forms").get_data(as_text=True)
    assert 'data-form="complaint_investigation"' in listing and "forms/complaint_investigation.yaml" in listing
    page = owner.get("/workbench/forms/complaint_investigation").get_data(as_text=True)
    assert "id: complaint_investigation" in page and 'id="form-preview"' in page and 'id="field-facts"' in page
    assert owner.get("/workbench/forms/no_such_form").status_code == 404
    assert owner.get("/workbench/forms/Bad-Id").status_code == 404


@pytest.mark.parametrize(("source", "where", "says"), [
    ("id: complaint_investigation\ntitle: x\nfields: [", "source", "第 3 行"),
    ("- just a list", "source", "映射"),
    ("id: complaint_investigation\ntitle: x\nfields:\n  - {name: a, type: colour, label: A}", "fields.0.type", "请从以下选项中选择"),
    ("id: complaint_investigation\ntitle: x\nfields:\n  - {name: a, type: choice, label: A}", "fields.0.choices", "字段需要选项"),
    ("id: complaint_investigation\ntitle: x\nfields:\n  - {name: a, type: text, label: A}\n  - {name: a, type: text, label: B}",
     "fields", "字段名重复"),
    ("id: complaint_investigation\ntitle: x\nfields:\n  - {name: a, type: text, label: A, required_when: {b: 1}}", "fields",
     "引用了“b”，但本表单没有这个字段"),
    ("id: complaint_investigation\ntitle: x\nfields:\n  - {name: Bad Name, type: text, label: A}", "fields.0.name", "小写字母"),
    ("id: complaint_investigation\ntitle: x\nfields:\n  - {name: a, type: text, label: A, colour: red}", "fields.0.colour",
     "表单中没有此项"),
    ("id: other_form\ntitle: x\nfields:\n  - {name: a, type: text, label: A}", "id", "标识必须是表单名“complaint_investigation”"),
])
def test_a_broken_definition_is_explained_in_the_preview_and_not_saved(owner, source, where, says):
    shown = html.unescape(preview(owner, "complaint_investigation", source).get_data(as_text=True))
    assert f"<code>{where}</code>" in shown and says in shown, shown
    response = save(owner, "complaint_investigation", source)
    assert response.status_code == 422 and says in html.unescape(response.get_data(as_text=True))
    assert db.session.get(FormDefinition, "complaint_investigation") is None


def test_a_saved_form_is_bundled_by_the_next_version_and_running_cases_keep_theirs(owner, staff):
    before = register(owner, staff.headers("intake1"), a_complaint())["number"]
    complete(owner, staff.headers("intake1"), before, TRIAGE_ACCEPT)
    edited = TRIAGE.replace("{zh: 查明事实, en: Facts established}", "{zh: 现场查明事实, en: Facts found on site}")
    assert edited != TRIAGE
    live = preview(owner, "complaint_investigation", edited).get_data(as_text=True)
    assert "现场查明事实" in live
    assert save(owner, "complaint_investigation", edited).status_code == 302
    assert db.session.get(FormDefinition, "complaint_investigation").updated_by == "po"
    assert "已在工作台修改" in owner.get("/workbench/forms").get_data(as_text=True)
    stale = save(owner, "complaint_investigation", edited, lock="")
    assert stale.status_code == 409

    complaint = (ROOT / "processes" / "complaint.bpmn").read_text(encoding="utf-8")
    published = post_json(owner, "/workbench/processes/complaint/publish", {"xml": complaint, "activate": True})
    assert published.status_code == 201 and published.json["version"] == 2  # same diagram, new form: a new version
    assert db.session.query(ProcessVersion).filter_by(key="complaint", active=True).one().version == 2

    after = register(owner, staff.headers("intake1"), a_complaint())["number"]
    complete(owner, staff.headers("intake1"), after, TRIAGE_ACCEPT)
    labels_after, labels_before = (_labels(owner, staff, number) for number in (after, before))
    assert labels_after["facts"] == "现场查明事实" and labels_before["facts"] == "查明事实"


def test_a_new_form_starts_from_a_valid_skeleton(owner):
    token = csrf_token(owner, "/workbench/forms")
    response = owner.post("/workbench/forms/new", data={"csrf_token": token, "id": "visit_record"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/workbench/forms/visit_record")
    assert "id: visit_record" in owner.get("/workbench/forms/visit_record").get_data(as_text=True)
    again = owner.post("/workbench/forms/new", data={"csrf_token": token, "id": "visit_record"}, follow_redirects=True)
    assert "已存在" in again.get_data(as_text=True)
    bad = owner.post("/workbench/forms/new", data={"csrf_token": token, "id": "Visit Record"}, follow_redirects=True)
    assert "小写字母" in bad.get_data(as_text=True)


def _labels(client, staff, number) -> dict:
    headers = staff.headers("handler1")
    task = client.get(f"/api/v1/tasks/{open_task(client, headers, number)['id']}", headers=headers).json
    return {f["name"]: f["label"] for f in task["form"]["fields"]}
