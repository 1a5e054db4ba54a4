"""Sign-in guards shared by every worker (counted in the database) and sessions kept on the server: a guesser
elsewhere never locks the rightful user out at their own desk; logging out, deactivation and a new password end
every session, and a cookie copied before opens nothing."""

from __future__ import annotations

import pytest

from app.cases.errors import ValidationFailedError
from app.cases.people.accounts import deactivate_user, set_password
from app.cases.people.sessions import open_sessions
from app.cases.people.users import create_user
from app.extensions import db
from app.models import User
from tests.helpers import csrf_token, fresh_context_client

PASSWORD = "a-long-enough-pass"
DESK, ELSEWHERE = "192.0.2.10", "203.0.113.66"


@pytest.fixture
def clerk(app):
    create_user("clerk", ["intake"], password=PASSWORD, display_name="王受理")
    return db.session.query(User).filter_by(username="clerk").one()


def sign_in(client, password=PASSWORD, address=DESK, username="clerk"):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)},
                       environ_base={"REMOTE_ADDR": address})


def test_failures_from_another_address_do_not_lock_the_rightful_user_out(app, clerk):
    guesser = fresh_context_client(app)
    answers = [sign_in(guesser, f"guess-{i}-wrong", ELSEWHERE).status_code for i in range(8)]
    assert answers == [401] * 5 + [429] * 3  # that name, from that address, is refused for 15 minutes
    refused = sign_in(guesser, PASSWORD, ELSEWHERE)
    assert refused.status_code == 429 and "登录失败次数过多" in refused.get_data(as_text=True)
    assert 800 <= int(refused.headers["Retry-After"]) <= 901
    desk = fresh_context_client(app)
    assert sign_in(desk).status_code == 302 and desk.get("/inbox").status_code == 200


def test_a_guesser_spread_over_many_addresses_is_refused_but_the_users_own_device_signs_in(app, clerk, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_LOGIN_FAILURES_PER_USER", 6)
    desk = fresh_context_client(app)
    assert sign_in(desk).status_code == 302  # this browser is now a known device for clerk
    desk.post("/logout", data={"csrf_token": csrf_token(desk, "/inbox")})
    botnet = fresh_context_client(app)
    answers = [sign_in(botnet, "wrong-password-x", f"198.51.100.{i}").status_code for i in range(8)]
    assert answers == [401] * 6 + [429] * 2
    assert sign_in(fresh_context_client(app), PASSWORD, "198.51.100.200").status_code == 429  # an unknown device
    assert sign_in(desk).status_code == 302  # the user's own browser


def test_a_success_forgets_the_addresss_earlier_mistakes(app, clerk):
    client = fresh_context_client(app)
    for _ in range(4):
        assert sign_in(client, "mistyped-password").status_code == 401
    assert sign_in(client).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    assert [sign_in(client, "mistyped-again!").status_code for _ in range(4)] == [401] * 4  # counted afresh


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, clerk):
    client = fresh_context_client(app)
    sign_in(client)
    copied = client.get_cookie("session").value
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")}).status_code == 302
    replay = fresh_context_client(app)
    replay.set_cookie("session", copied)
    response = replay.get("/inbox")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("ending", ["deactivation", "new password"])
def test_deactivation_and_a_new_password_end_every_session_of_the_user(app, clerk, ending):
    browsers = [fresh_context_client(app) for _ in range(2)]
    for browser in browsers:
        sign_in(browser)
        assert browser.get("/inbox").status_code == 200
    assert open_sessions(clerk.id) == 2
    if ending == "deactivation":
        deactivate_user(None, "clerk")
    else:
        set_password(None, "clerk", "another-long-passphrase")
    for browser in browsers:
        assert browser.get("/inbox").status_code == 302
    assert open_sessions(clerk.id) == 0
    if ending == "new password":
        assert sign_in(fresh_context_client(app), "another-long-passphrase").status_code == 302


def test_a_weak_new_password_is_refused_and_nothing_ends(app, clerk):
    browser = fresh_context_client(app)
    sign_in(browser)
    with pytest.raises(ValidationFailedError) as refused:
        set_password(None, "clerk", "12345678")
    assert "password" in getattr(refused.value, "details", {})
    assert browser.get("/inbox").status_code == 200
