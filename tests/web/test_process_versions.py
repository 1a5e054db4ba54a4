"""A deployed version is a bundle (BPMN + forms) with a lifecycle; activating an older one rolls back."""

import io
import shutil
from pathlib import Path

import pytest

from tests.helpers import TRIAGE_ACCEPT, complete, open_task, register

ROOT = Path(__file__).resolve().parents[2]
COMPLAINT_XML = (ROOT / "processes" / "complaint.bpmn").read_bytes()
MOVED = COMPLAINT_XML.replace(b'<dc:Bounds x="150" y="80" width="3070"', b'<dc:Bounds x="160" y="80" width="3070"', 1)


def _upload(client, headers, xml, query=""):
    return client.post(f"/api/v1/processes{query}", data={"file": (io.BytesIO(xml), "complaint.bpmn")}, headers=headers,
                       content_type="multipart/form-data")


def _listed(client, headers):
    return [(p["version"], p["state"], p["active"]) for p in client.get("/api/v1/processes", headers=headers).json["items"]]


@pytest.fixture
def forms_dir(app, tmp_path, monkeypatch):
    """A copy of forms/ that a test may edit, used as the app's forms folder."""
    folder = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", folder)
    monkeypatch.setitem(app.config, "MINYI_FORMS_DIR", str(folder))
    return folder


def test_a_layout_only_change_makes_no_new_version_but_updates_the_stored_diagram(client, staff):
    owner = staff.headers("owner1")
    assert MOVED != COMPLAINT_XML
    assert _upload(client, owner, COMPLAINT_XML).status_code == 201
    moved = _upload(client, owner, MOVED)
    assert moved.status_code == 200
    assert (moved.json["version"], moved.json["created"], moved.json["diagram_updated"]) == (1, False, True)
    assert _listed(client, owner) == [(1, "published", True)]
    stored = client.get("/api/v1/processes/complaint/versions/1/bpmn", headers=owner).data
    assert b'<dc:Bounds x="160" y="80" width="3070"' in stored


def test_a_changed_form_makes_a_new_version(client, staff, forms_dir):
    owner = staff.headers("owner1")
    _upload(client, owner, COMPLAINT_XML)
    triage = forms_dir / "complaint_triage.yaml"
    triage.write_text(triage.read_text(encoding="utf-8").replace("en: Triage}", "en: Triage and route}"), encoding="utf-8")
    changed = _upload(client, owner, COMPLAINT_XML)
    assert changed.status_code == 201 and changed.json["version"] == 2
    assert _listed(client, owner) == [(2, "published", True), (1, "published", False)]


def test_activating_the_old_version_rolls_back_a_broken_upload(client, staff, complaint):
    owner, intake = staff.headers("owner1"), staff.headers("intake1")
    _upload(client, owner, COMPLAINT_XML)
    broken = COMPLAINT_XML.replace(b"triage_decision == 'reject'", b"triage_decision == 'accept'")
    assert _upload(client, owner, broken).json["version"] == 2
    on_broken = register(client, intake, complaint)["number"]
    activated = client.post("/api/v1/processes/complaint/versions/1/activate", headers=owner)
    assert activated.status_code == 200
    assert (activated.json["version"], activated.json["state"], activated.json["active"]) == (1, "published", True)
    assert _listed(client, owner) == [(2, "published", False), (1, "published", True)]
    rolled_back = register(client, intake, complaint)["number"]
    assert client.get(f"/api/v1/cases/{rolled_back}", headers=intake).json["process"]["version"] == 1
    assert client.get(f"/api/v1/cases/{on_broken}", headers=intake).json["process"]["version"] == 2


def test_redeploying_the_good_file_makes_its_version_active_again_unchanged(client, staff):
    owner = staff.headers("owner1")
    _upload(client, owner, COMPLAINT_XML)
    _upload(client, owner, COMPLAINT_XML.replace("Triage 受理分流".encode(), b"Triage v2"))
    again = _upload(client, owner, COMPLAINT_XML)
    assert again.status_code == 200 and again.json["created"] is False and again.json["version"] == 1
    assert _listed(client, owner) == [(2, "published", False), (1, "published", True)]


def test_a_draft_is_stored_inactive_until_activated(client, staff, complaint):
    owner, intake = staff.headers("owner1"), staff.headers("intake1")
    _upload(client, owner, COMPLAINT_XML)
    draft = _upload(client, owner, COMPLAINT_XML.replace("Triage 受理分流".encode(), b"Triage v2"), "?draft=true")
    assert draft.status_code == 201 and (draft.json["state"], draft.json["active"]) == ("draft", False)
    assert _listed(client, owner) == [(2, "draft", False), (1, "published", True)]
    assert client.get(f"/api/v1/cases/{register(client, intake, complaint)['number']}",
                      headers=intake).json["process"]["version"] == 1
    assert client.post("/api/v1/processes/complaint/versions/2/activate", headers=owner).status_code == 200
    assert _listed(client, owner) == [(2, "published", True), (1, "published", False)]


def test_activating_an_unknown_version_or_process_is_404_and_needs_an_owner(client, staff):
    owner = staff.headers("owner1")
    _upload(client, owner, COMPLAINT_XML)
    assert client.post("/api/v1/processes/complaint/versions/9/activate", headers=owner).status_code == 404
    assert client.post("/api/v1/processes/ghost/versions/1/activate", headers=owner).status_code == 404
    assert client.post("/api/v1/processes/complaint/versions/x/activate", headers=owner).status_code == 404
    assert client.post("/api/v1/processes/complaint/versions/1/activate", headers=staff.headers("intake1")).status_code == 403


def test_a_running_case_keeps_its_versions_form_after_forms_change(client, staff, complaint, forms_dir):
    owner, intake = staff.headers("owner1"), staff.headers("intake1")
    _upload(client, owner, COMPLAINT_XML)
    number = register(client, intake, complaint)["number"]
    triage = forms_dir / "complaint_triage.yaml"
    triage.write_text(triage.read_text(encoding="utf-8").replace(
        "      - {value: reject, label: {zh: 不予受理, en: Reject}}\n",
        "      - {value: reject, label: {zh: 不予受理, en: Reject}}\n      - {value: defer, label: {zh: 暂缓, en: Defer}}\n",
    ), encoding="utf-8")
    task = open_task(client, intake, number)
    described = client.get(f"/api/v1/tasks/{task['id']}", headers=intake).json["form"]
    choices = next(f["choices"] for f in described["fields"] if f["name"] == "triage_decision")
    assert [c["value"] for c in choices] == ["accept", "reject"]
    refused = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"triage_decision": "defer"}, headers=intake)
    assert refused.status_code == 422 and "triage_decision" in refused.json["error"]["details"]
    complete(client, intake, number, TRIAGE_ACCEPT)


def test_the_cli_activates_and_fails_cleanly(runner, app):
    assert runner.invoke(args=["processes", "deploy"]).exit_code == 0
    activated = runner.invoke(args=["processes", "activate", "complaint", "1"])
    assert activated.exit_code == 0 and "complaint version 1 is active" in activated.output
    missing = runner.invoke(args=["processes", "activate", "complaint", "7"])
    assert missing.exit_code == 1 and "no version 7 of process 'complaint'" in missing.output
    assert runner.invoke(args=["processes", "activate", "complaint", "seven"]).exit_code == 2
    assert runner.invoke(args=["processes", "activate", "ghost", "1"]).exit_code == 1


def test_the_cli_deploys_a_draft_and_publishes_it(runner, app, tmp_path):
    assert runner.invoke(args=["processes", "deploy"]).exit_code == 0
    v2 = tmp_path / "complaint.bpmn"
    v2.write_bytes(COMPLAINT_XML.replace("Triage 受理分流".encode(), b"Triage v2"))
    drafted = runner.invoke(args=["processes", "deploy", "--draft", str(v2)])
    assert drafted.exit_code == 0 and "complaint version 2 (draft)" in drafted.output
    published = runner.invoke(args=["processes", "publish", "complaint", "2"])
    assert published.exit_code == 0 and "published" in published.output
    again = runner.invoke(args=["processes", "deploy", str(v2)])
    assert again.exit_code == 0 and "unchanged as complaint version 2 (active)" in again.output
    assert runner.invoke(args=["processes", "publish", "ghost", "1"]).exit_code == 1


def test_the_openapi_document_describes_activation_and_the_catalogue(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/processes/{key}/versions/{version}/activate"]
    assert paths["/catalogue/{category}"]["put"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CatalogueBindIn"}
    assert "multipart/form-data" in paths["/processes"]["post"]["requestBody"]["content"]
    assert "get" in paths["/catalogue"]
