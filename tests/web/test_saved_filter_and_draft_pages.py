"""The inbox's saved filters and the task page's draft through the test client: CSRF, groups, owners, access."""

from __future__ import annotations

import pytest

from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"



@pytest.fixture
def desk(staff):
    for name, department in (("env_a", "ENV"), ("env_b", "ENV"), ("housing_a", "HOUSING")):
        create_user(name, ["handler"], department, password=PASSWORD)
    return staff


def signed_in(app, username):
    client = fresh_context_client(app)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})
    return client


def test_a_filter_saved_on_the_page_shows_to_the_group_and_only_its_owner_deletes_it(app, desk):
    a, b, h = signed_in(app, "env_a"), signed_in(app, "env_b"), signed_in(app, "housing_a")
    form = {"name": "本科投诉", "shared_with": "handler@ENV", "category": "complaint", "page": "3"}
    assert a.post("/inbox/filters", data=form).status_code == 400  # no CSRF token
    saved = a.post("/inbox/filters", data=dict(form, csrf_token=csrf_token(a, "/inbox")))
    assert saved.status_code == 302 and saved.headers["Location"] == "/inbox?scope=group&category=complaint"
    assert "本科投诉" in b.get("/inbox").get_data(as_text=True)
    assert "本科投诉" not in h.get("/inbox").get_data(as_text=True)

    foreign = a.post("/inbox/filters", data=dict(form, name="别组", shared_with="handler@HOUSING", csrf_token=csrf_token(a, "/inbox")))
    assert foreign.status_code == 302 and "别组" not in b.get("/inbox").get_data(as_text=True)

    listed = b.get("/api/v1/filters", headers=desk.headers("handler1")).json
    (shared,) = listed["items"]
    assert b.post(f"/inbox/filters/{shared['id']}/delete", data={"csrf_token": csrf_token(b, "/inbox")}).status_code == 302
    assert "本科投诉" in b.get("/inbox").get_data(as_text=True)  # still there: env_b is not its owner
    assert a.post(f"/inbox/filters/{shared['id']}/delete", data={"csrf_token": csrf_token(a, "/inbox")}).status_code == 302
    assert "本科投诉" not in b.get("/inbox").get_data(as_text=True)


def test_a_draft_is_saved_from_the_task_page_by_who_may_complete_it_only(app, client, desk, deployed, complaint):
    number = register(client, desk.headers("intake1"), complaint)["number"]
    complete(client, desk.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, desk.headers("handler1"), number)
    a, h = signed_in(app, "env_a"), signed_in(app, "housing_a")
    draft = {"facts": "草稿内容"}
    assert h.post(f"/tasks/{task['id']}/draft", data=dict(draft, csrf_token=csrf_token(h, "/inbox"))).status_code == 403
    assert "草稿内容" not in h.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert a.post(f"/tasks/{task['id']}/draft", data=dict(draft, csrf_token=csrf_token(a, "/inbox"))).status_code == 302
    page = a.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "草稿内容" in page and 'id="draft-note"' in page
