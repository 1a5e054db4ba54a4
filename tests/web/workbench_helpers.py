"""Shared by the workbench tests: diagrams, signing in as a process owner, JSON posts with the page's CSRF token."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from tests.helpers import COMPLAINT as PAYLOAD
from tests.helpers import csrf_token

ROOT = Path(__file__).resolve().parents[2]
COMPLAINT_XML = (ROOT / "processes" / "complaint.bpmn").read_text(encoding="utf-8")
RENAMED = COMPLAINT_XML.replace('name="Investigate 调查核实"', 'name="Investigate on site 现场调查核实"')
JUEL = RENAMED.replace("<bpmn:conditionExpression>major</bpmn:conditionExpression>",
                       "<bpmn:conditionExpression>${case.major}</bpmn:conditionExpression>")
PASSWORD = "a-long-enough-pass"



def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})


def editor_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="editor-data">(.*?)</script>', page, re.S).group(1))


def post_json(client, path, body):
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/workbench").get_data(as_text=True)).group(1)
    return client.post(path, json=body, headers={"X-CSRFToken": token})


def a_file(text: str):
    return io.BytesIO(text.encode("utf-8"))


def a_complaint() -> dict:
    return dict(PAYLOAD, petitioner=dict(PAYLOAD["petitioner"]))
