"""The staff pages through the test client: sessions, CSRF, lockout, permissions, and the same validation as the API."""

from __future__ import annotations

import re

import pytest

from app.cases.people.accounts import deactivate_user
from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"


@pytest.fixture
def client(app):
    return fresh_context_client(app)


@pytest.fixture
def desk(staff):
    create_user("clerk", ["intake"], password=PASSWORD, display_name="王受理")
    create_user("env_handler", ["handler"], "ENV", password=PASSWORD)
    create_user("housing_handler", ["handler"], "HOUSING", password=PASSWORD)
    return staff


def sign_in(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})


def test_pages_need_a_session_and_send_the_visitor_to_sign_in(client, desk):
    for path in ("/inbox", "/intake", "/cases/20260302000001", "/tasks/x"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_a_post_without_the_csrf_token_is_refused(client, desk, deployed, complaint):
    assert client.post("/login", data={"username": "clerk", "password": PASSWORD}).status_code == 400
    assert sign_in(client, "clerk").status_code == 302
    number = register(client, desk.headers("intake1"), complaint)["number"]
    task = open_task(client, desk.headers("intake1"), number)
    assert client.post(f"/tasks/{task['id']}/claim").status_code == 400
    assert client.post(f"/tasks/{task['id']}", data=TRIAGE_ACCEPT).status_code == 400
    assert client.post("/intake", data={"title": "x"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/inbox").status_code == 200  # still signed in


def test_the_session_cookie_is_http_only_and_same_site_lax(client, desk):
    cookie = sign_in(client, "clerk").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_a_deactivated_users_session_stops_working_at_once(client, desk):
    sign_in(client, "clerk")
    assert client.get("/inbox").status_code == 200
    deactivate_user(None, "clerk")
    response = client.get("/inbox")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_five_failed_sign_ins_lock_the_user_name_out_with_a_clear_message(client, desk):
    for _ in range(5):
        assert sign_in(client, "clerk", "wrong-password!").status_code == 401
    refused = sign_in(client, "clerk")  # even the right password, for now
    assert refused.status_code == 429 and "登录失败次数过多" in refused.get_data(as_text=True)
    assert sign_in(client, "env_handler").status_code == 302  # another user name is not affected


def test_sign_out_ends_the_session(client, desk):
    sign_in(client, "clerk")
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")}).status_code == 302
    assert client.get("/inbox").status_code == 302


def test_the_header_shows_name_roles_and_department_and_the_language_is_kept(client, desk):
    sign_in(client, "env_handler")
    html = client.get("/inbox").get_data(as_text=True)
    assert "承办人" in html and "生态环境科" in html and 'lang="zh-CN"' in html
    client.post("/language", data={"lang": "en", "next": "/inbox", "csrf_token": csrf_token(client, "/inbox")})
    html = client.get("/inbox").get_data(as_text=True)
    assert "Handler" in html and ">Inbox<" in html and 'lang="en"' in html


def test_a_handler_of_another_department_gets_403_on_the_case_page_and_a_masked_petitioner_nowhere(client, desk, deployed,
                                                                                                      complaint):
    number = register(client, desk.headers("intake1"), complaint)["number"]
    complete(client, desk.headers("intake1"), number, TRIAGE_ACCEPT)
    sign_in(client, "housing_handler")
    assert client.get(f"/cases/{number}").status_code == 403
    assert client.get(f"/api/v1/cases/{number}", headers=desk.headers("housing1")).status_code == 403
    task = open_task(client, desk.headers("handler1"), number)
    assert client.get(f"/tasks/{task['id']}").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    sign_in(client, "env_handler")
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "张三" in page and "13812345678" in page


def test_a_task_form_with_an_error_is_shown_again_with_the_message_beside_the_field(client, desk, deployed, complaint):
    number = register(client, desk.headers("intake1"), complaint)["number"]
    task = open_task(client, desk.headers("intake1"), number)
    sign_in(client, "clerk")
    token = csrf_token(client, f"/tasks/{task['id']}")
    refused = client.post(f"/tasks/{task['id']}", data={"triage_decision": "accept", "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="field-department-error"[^>]*>此项必填。', html)
    assert 'value="accept" selected' in html  # what was typed stays
    done = client.post(f"/tasks/{task['id']}", data={"triage_decision": "accept", "department": "ENV", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/inbox"
    assert client.get(f"/api/v1/cases/{number}", headers=desk.headers("super1")).json["status"] == "handling"


def test_the_intake_page_registers_a_case_and_shows_its_number_code_and_due_date(client, desk, deployed):
    sign_in(client, "clerk")
    token = csrf_token(client, "/intake")
    bad = client.post("/intake", data={"category": "complaint", "channel": "letter", "title": " ", "description": "x",
                                       "petitioner_name": "李四", "petitioner_phone": "12", "csrf_token": token})
    assert bad.status_code == 422
    assert 'id="err-title"' in bad.get_data(as_text=True) and 'id="err-petitioner-phone"' in bad.get_data(as_text=True)
    ok = client.post("/intake", data={"category": "complaint", "channel": "letter", "title": "来信", "description": "内容",
                                      "petitioner_name": "李四", "received_at": "2026-01-05T09:30", "csrf_token": token})
    html = ok.get_data(as_text=True)
    number = re.search(r'id="new-number">(\d+)<', html).group(1)
    assert ok.status_code == 200 and re.search(r'id="new-access-code">\w{8}<', html)
    case = client.get(f"/api/v1/cases/{number}", headers=desk.headers("super1")).json
    assert case["received_at"].startswith("2026-01-05T01:30")  # 09:30 in Shanghai


def test_handlers_may_not_register_appeals_on_the_intake_page(client, desk):
    sign_in(client, "env_handler")
    assert client.get("/intake").status_code == 403


def test_the_track_page_looks_up_by_post_only(client, desk, deployed, complaint):
    case = register(client, desk.headers("intake1"), complaint)
    # a GET shows no case (a message's link only fills the number in) and never echoes the code
    looked = client.get(f"/track?number={case['number']}&access_code={case['access_code']}").get_data(as_text=True)
    assert 'id="case"' not in looked and 'id="status"' not in looked and case["access_code"] not in looked
    token = csrf_token(client, "/track")
    found = client.post("/track", data={"number": case["number"], "access_code": case["access_code"], "csrf_token": token})
    assert found.status_code == 200 and 'data-status="registered"' in found.get_data(as_text=True)
    assert "张三" not in found.get_data(as_text=True)
    wrong = client.post("/track", data={"number": case["number"], "access_code": "WRONG123", "csrf_token": token})
    assert wrong.status_code == 404


def test_a_next_path_after_sign_in_stays_on_this_site(client, desk):
    token = csrf_token(client)
    data = {"username": "clerk", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=dict(data, next="//evil.example/")).headers["Location"] == "/inbox"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    token = csrf_token(client)
    assert client.post("/login", data=dict(data, csrf_token=token, next="/cases/1")).headers["Location"] == "/cases/1"
