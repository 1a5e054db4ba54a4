"""schemathesis against /api/v1/openapi.json, every phase, a bounded number of examples: no input it
makes may be answered with a 5xx. It drives a real server on loopback, as an integration would.

The routes that manage accounts (revoke a token, deactivate a user) run apart, with a token of their own: run with
the rest, the fuzzer would revoke its own token and see only 401 afterwards."""

import os
import subprocess
import sys
from pathlib import Path

from app.cases.people.tokens import issue_token
from app.cases.people.users import create_user
from tests.helpers import register

ST = Path(sys.executable).with_name("st")
MAX_EXAMPLES = int(os.environ.get("MINYI_SCHEMATHESIS_EXAMPLES", "15"))


ACCOUNTS = "^/(tokens|users)/"  # what could disarm the fuzzer's own token


def _fuzz(live_server, tmp_path, token: str, *selection: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ST), "run", f"{live_server}/api/v1/openapi.json", "--url", f"{live_server}/api/v1",
         "--header", f"Authorization: Bearer {token}", "--checks", "not_a_server_error",
         "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", str(MAX_EXAMPLES), "--seed", "7",
         "--workers", "1", "--request-timeout", "20", "--max-failures", "20", "--no-color",
         "--report-dir", str(tmp_path), *selection],
        capture_output=True, text=True, timeout=900, env={**os.environ, "SCHEMATHESIS_HOOKS": ""}, cwd=tmp_path.parent,
    )


def test_schemathesis_finds_no_server_error(client, staff, deployed, complaint, live_server, tmp_path):
    assert ST.exists(), "schemathesis is not installed: run scripts/setup --test"
    register(client, staff.headers("intake1"), complaint)  # something to find behind the ids
    create_user("fuzz", ["admin", "intake", "supervisor", "owner", "leader"], None, password=None)
    create_user("fuzz_accounts", ["admin"], None, password=None)
    token, accounts_token = issue_token("fuzz"), issue_token("fuzz_accounts")
    run = _fuzz(live_server, tmp_path / "main", token, "--exclude-path-regex", ACCOUNTS)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    apart = _fuzz(live_server, tmp_path / "accounts", accounts_token, "--include-path-regex", ACCOUNTS)
    assert apart.returncode == 0, apart.stdout[-8000:] + apart.stderr[-2000:]
