"""Security headers on every response: the policy on pages, API answers and attachments; caching only for the
versioned static files; HSTS once the cookies are Secure."""

from __future__ import annotations

import io

import pytest

from app import create_app
from app.web.headers import CSP
from tests.helpers import TRIAGE_ACCEPT, complete, fresh_context_client, register

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def store(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENTS_DIR", str(tmp_path / "files"))


def _closed(response):
    response.get_data()
    response.close()
    return response


def _guarded(response, cached=False):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP and "http" not in CSP
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert (headers.get("Cache-Control") == "no-store") is not cached
    assert "Strict-Transport-Security" not in headers  # the test app's cookies are not Secure


def test_a_page_an_api_answer_and_an_attachment_carry_the_headers(app, client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    _guarded(fresh_context_client(app).get("/login"))
    _guarded(client.get(f"/api/v1/cases/{number}", headers=staff.headers("handler1")))
    body = client.post(f"/api/v1/cases/{number}/attachments", headers=staff.headers("handler1"),
                       data={"file": (io.BytesIO(PDF), "report.pdf")}, content_type="multipart/form-data").json
    _guarded(_closed(client.get(body["url"], headers=staff.headers("handler1"))))
    _guarded(client.get("/api/v1/cases/nope", headers=staff.headers("handler1")))  # errors too
    _guarded(_closed(client.get("/static/minyi.css")), cached=True)


def test_hsts_once_the_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("MINYI_SECURE_COOKIES", "1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app()
    response = _closed(app.test_client().get("/static/minyi.css"))
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_public_lookup_is_not_cached(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    answer = client.get(f"/api/v1/public/cases/{case['number']}", query_string={"access_code": case["access_code"]})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
