"""Saved inbox filters and task drafts through the API: who sees, saves and deletes what."""

from tests.helpers import INVESTIGATION, TRIAGE_ACCEPT, complete, open_task, register

SHARED = {"name": "逾期投诉", "filters": {"category": "complaint", "sla": "overdue"}, "shared_with": "handler@ENV"}


def names(client, headers):
    body = client.get("/api/v1/filters", headers=headers).json
    assert body["total"] == len(body["items"])
    return [f["name"] for f in body["items"]]


def test_a_filter_shared_with_a_group_is_seen_by_its_members_only(client, staff):
    created = client.post("/api/v1/filters", json=SHARED, headers=staff.headers("handler1"))
    assert created.status_code == 201, created.json
    assert created.json["owner"] == "handler1" and created.json["filters"] == {"category": "complaint", "sla": "overdue"}
    private = {"name": "我的", "filters": {"scope": "mine", "q": "噪音"}}
    assert client.post("/api/v1/filters", json=private, headers=staff.headers("handler1")).status_code == 201

    assert names(client, staff.headers("handler1")) == ["我的", "逾期投诉"]
    assert names(client, staff.headers("handler2")) == ["逾期投诉"]
    assert names(client, staff.headers("housing1")) == []
    assert names(client, staff.headers("head1")) == []  # head@ENV is another group


def test_a_filter_is_shared_only_with_a_group_of_its_owner_and_holds_only_known_filters(client, staff):
    headers = staff.headers("handler1")
    foreign = client.post("/api/v1/filters", json=dict(SHARED, shared_with="handler@HOUSING"), headers=headers)
    assert foreign.status_code == 422 and "shared_with" in foreign.json["error"]["details"]
    unknown = client.post("/api/v1/filters", json={"name": "x", "filters": {"page": "2"}}, headers=headers)
    assert unknown.status_code == 422
    bad = client.post("/api/v1/filters", json={"name": "x", "filters": {"sla": "late"}}, headers=headers)
    assert bad.status_code == 422
    assert client.post("/api/v1/filters", json=SHARED, headers=headers).status_code == 201
    assert client.post("/api/v1/filters", json=SHARED, headers=headers).status_code == 409  # the name is taken


def test_only_the_owner_deletes_a_saved_filter(client, staff):
    saved = client.post("/api/v1/filters", json=SHARED, headers=staff.headers("handler1")).json
    assert client.delete(f"/api/v1/filters/{saved['id']}", headers=staff.headers("handler2")).status_code == 403
    assert client.delete(f"/api/v1/filters/{saved['id']}", headers=staff.headers("housing1")).status_code == 404
    deleted = client.delete(f"/api/v1/filters/{saved['id']}", headers=staff.headers("handler1"))
    assert deleted.status_code == 200 and deleted.json["name"] == SHARED["name"]
    assert names(client, staff.headers("handler2")) == []
    assert client.delete(f"/api/v1/filters/{saved['id']}", headers=staff.headers("handler1")).status_code == 404


def test_a_draft_is_kept_per_user_unvalidated_and_gone_once_the_task_is_completed(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, staff.headers("handler1"), number)
    url = f"/api/v1/tasks/{task['id']}/draft"
    assert client.get(url, headers=staff.headers("handler1")).status_code == 404
    saved = client.put(url, json={"facts": "现场查看中", "responsibility": 7}, headers=staff.headers("handler1"))
    assert saved.status_code == 200 and saved.json["data"] == {"facts": "现场查看中", "responsibility": 7}
    assert client.put(url, json={"facts": "属实"}, headers=staff.headers("handler1")).status_code == 200
    assert client.get(url, headers=staff.headers("handler1")).json["data"] == {"facts": "属实"}
    assert client.get(url, headers=staff.headers("handler2")).status_code == 404  # a draft is its writer's

    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    assert client.get(url, headers=staff.headers("handler1")).status_code == 404
    assert client.put(url, json={"facts": "late"}, headers=staff.headers("handler1")).status_code == 409


def test_only_who_may_complete_a_task_saves_or_reads_its_draft(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, staff.headers("handler1"), number)
    url = f"/api/v1/tasks/{task['id']}/draft"
    for outsider in ("housing1", "super1", "head1"):
        assert client.put(url, json={"facts": "x"}, headers=staff.headers(outsider)).status_code == 403, outsider
        assert client.get(url, headers=staff.headers(outsider)).status_code == 403, outsider
    assert client.put(url, json=["facts"], headers=staff.headers("handler1")).status_code == 400
    assert client.put("/api/v1/tasks/nope/draft", json={}, headers=staff.headers("handler1")).status_code == 404
