"""schemathesis against /api/v1/openapi.json, every phase, a bounded number of examples: no input it
makes may be answered with a 5xx. It drives a real server on loopback, as an integration would."""

import os
import subprocess
import sys
from pathlib import Path

from app.cases.people.tokens import issue_token
from app.cases.people.users import create_user
from tests.helpers import register

ST = Path(sys.executable).with_name("st")
MAX_EXAMPLES = int(os.environ.get("MINYI_SCHEMATHESIS_EXAMPLES", "15"))


def test_schemathesis_finds_no_server_error(client, staff, deployed, complaint, live_server, tmp_path):
    assert ST.exists(), "schemathesis is not installed: run scripts/setup --test"
    register(client, staff.headers("intake1"), complaint)  # something to find behind the ids
    create_user("fuzz", ["admin", "intake", "supervisor", "owner", "leader"], None, password=None)
    token = issue_token("fuzz")
    run = subprocess.run(
        [str(ST), "run", f"{live_server}/api/v1/openapi.json", "--url", f"{live_server}/api/v1",
         "--header", f"Authorization: Bearer {token}", "--checks", "not_a_server_error",
         "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", str(MAX_EXAMPLES), "--seed", "7",
         "--workers", "1", "--request-timeout", "20", "--max-failures", "20", "--no-color",
         "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=900, env={**os.environ, "SCHEMATHESIS_HOOKS": ""}, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
