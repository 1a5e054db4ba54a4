"""Accounts and API tokens: names and expiry, revoking, deactivating, the password policy -- through
the command line (runner) and the admin API (client)."""

from datetime import timedelta

import pytest

from app import clock

ME = "/api/v1/tasks?scope=mine"


def token_of(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(staff):
    return staff.add("admin1", "admin")


def test_a_token_has_a_name_and_an_expiry_and_the_token_is_still_the_last_line(runner, client, staff):
    result = runner.invoke(args=["users", "token", "handler1", "--name", "hotline-sync", "--days", "30"])
    token = token_of(result)
    assert "(hotline-sync) expires" in result.output
    assert client.get(ME, headers=bearer(token)).status_code == 200
    listed = runner.invoke(args=["users", "tokens", "handler1"])
    assert listed.exit_code == 0 and "hotline-sync" in listed.output and "2 token(s)" in listed.output
    assert token not in listed.output


def test_an_expired_token_gets_401_once_the_clock_passes_its_expiry(runner, client, staff, frozen):
    token = token_of(runner.invoke(args=["users", "token", "handler1", "--days", "1"]))
    assert client.get(ME, headers=bearer(token)).status_code == 200
    clock.advance(timedelta(days=1, seconds=1))
    response = client.get(ME, headers=bearer(token))
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert "expired" in runner.invoke(args=["users", "tokens", "handler1"]).output


def test_tokens_last_minyi_token_days_by_default(runner, client, staff, frozen, app):
    token = token_of(runner.invoke(args=["users", "token", "handler1"]))
    clock.advance(timedelta(days=app.config["MINYI_TOKEN_DAYS"]) - timedelta(seconds=1))
    assert client.get(ME, headers=bearer(token)).status_code == 200
    clock.advance(timedelta(seconds=2))
    assert client.get(ME, headers=bearer(token)).status_code == 401


def test_a_revoked_token_gets_401_at_once_and_revoking_it_again_fails_cleanly(runner, client, staff):
    token = token_of(runner.invoke(args=["users", "token", "handler1", "--name", "laptop"]))
    listed = runner.invoke(args=["users", "tokens", "handler1"]).output.splitlines()
    token_id = next(line.split()[0] for line in listed if "laptop" in line)
    revoked = runner.invoke(args=["users", "revoke-token", token_id])
    assert revoked.exit_code == 0 and f"token {token_id} (laptop) revoked" in revoked.output
    assert client.get(ME, headers=bearer(token)).status_code == 401
    assert client.get(ME, headers=staff.headers("handler1")).status_code == 200  # the other token still works
    again = runner.invoke(args=["users", "revoke-token", token_id])
    assert again.exit_code == 1 and "revoked already" in again.output
    unknown = runner.invoke(args=["users", "revoke-token", "99999"])
    assert unknown.exit_code == 1 and "no token 99999" in unknown.output


def test_a_deactivated_users_tokens_get_401_at_once_and_activating_restores_them(runner, client, staff):
    assert client.get(ME, headers=staff.headers("handler1")).status_code == 200
    result = runner.invoke(args=["users", "deactivate", "handler1"])
    assert result.exit_code == 0 and "handler1 deactivated" in result.output
    assert client.get(ME, headers=staff.headers("handler1")).status_code == 401
    assert runner.invoke(args=["users", "token", "handler1"]).exit_code == 1
    again = runner.invoke(args=["users", "deactivate", "handler1"])
    assert again.exit_code == 1 and "deactivated already" in again.output
    assert runner.invoke(args=["users", "activate", "handler1"]).exit_code == 0
    assert client.get(ME, headers=staff.headers("handler1")).status_code == 200


def test_the_cli_fails_cleanly_on_unknown_users(runner, app):
    for args in (["users", "tokens", "nobody"], ["users", "deactivate", "nobody"], ["users", "activate", "nobody"],
                 ["users", "token", "nobody"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and "no user nobody" in result.output, args


def test_a_token_for_zero_days_is_refused_naming_days(runner, staff):
    result = runner.invoke(args=["users", "token", "handler1", "--days", "0"])
    assert result.exit_code == 1 and "days:" in result.output


@pytest.mark.parametrize("password", ["short-1", "12345678901234", "wangwu.long", "WANGWU.LONG", "password123",
                                      "Qwertyuiop"])
def test_weak_passwords_are_refused_naming_password(runner, app, password):
    result = runner.invoke(args=["users", "create", "wangwu.long", "--role", "handler", "--password", password])
    assert result.exit_code == 1 and "password:" in result.output, result.output
    assert "created" not in result.output


def test_a_good_password_and_the_demo_passwords_pass_the_policy(runner, app):
    result = runner.invoke(args=["users", "create", "wangwu", "--role", "handler", "--password", "秋天的第一杯奶茶"])
    assert result.exit_code == 1  # 8 characters: too short, whatever the script
    assert runner.invoke(args=["users", "create", "wangwu", "--role", "handler",
                               "--password", "correct horse battery"]).exit_code == 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0


def test_an_admin_lists_a_users_tokens_without_the_secrets(client, admin, staff):
    listed = client.get("/api/v1/users/handler1/tokens", headers=admin)
    assert listed.status_code == 200 and listed.json["total"] == 1
    [token] = listed.json["items"]
    assert token["user"] == "handler1" and token["state"] == "active" and token["revoked_at"] is None
    assert token["expires_at"] > token["created_at"]
    assert staff.headers("handler1")["Authorization"].split()[1] not in str(listed.json)


def test_an_admin_revokes_a_token_and_it_gets_401_at_once(client, admin, staff):
    [token] = client.get("/api/v1/users/handler1/tokens", headers=admin).json["items"]
    revoked = client.post(f"/api/v1/tokens/{token['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked"
    assert client.get(ME, headers=staff.headers("handler1")).status_code == 401
    again = client.post(f"/api/v1/tokens/{token['id']}/revoke", headers=admin)
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    assert client.post("/api/v1/tokens/99999/revoke", headers=admin).status_code == 404


def test_an_admin_deactivates_a_user_and_their_tokens_get_401_at_once(client, admin, staff):
    done = client.post("/api/v1/users/handler2/deactivate", headers=admin)
    assert done.status_code == 200 and done.json["active"] is False and done.json["deactivated_at"]
    assert client.get(ME, headers=staff.headers("handler2")).status_code == 401
    assert client.post("/api/v1/users/handler2/deactivate", headers=admin).status_code == 409
    assert client.post("/api/v1/users/nobody/deactivate", headers=admin).status_code == 404
    assert client.get("/api/v1/users/nobody/tokens", headers=admin).status_code == 404
    back = client.post("/api/v1/users/handler2/activate", headers=admin)
    assert back.status_code == 200 and back.json["active"] is True and back.json["deactivated_at"] is None
    assert client.get(ME, headers=staff.headers("handler2")).status_code == 200


def test_an_admin_cannot_deactivate_themselves(client, admin):
    assert client.post("/api/v1/users/admin1/deactivate", headers=admin).status_code == 409


def test_only_admins_manage_accounts(client, staff):
    for method, path in (("get", "/api/v1/users/handler1/tokens"), ("post", "/api/v1/tokens/1/revoke"),
                         ("post", "/api/v1/users/handler1/deactivate"), ("post", "/api/v1/users/handler1/activate")):
        response = getattr(client, method)(path, headers=staff.headers("super1"))
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden", path
    assert client.get(ME, headers=staff.headers("handler1")).status_code == 200
