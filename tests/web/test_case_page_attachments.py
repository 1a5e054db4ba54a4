"""The case page: its attachments section (list, download, upload with CSRF) and the logging of unmasked views."""

from __future__ import annotations

import io

import pytest

from app.cases.people.users import create_user
from app.extensions import db
from app.models import PersonalDataAccess
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, register

PASSWORD = "a-long-enough-pass"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def client(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    return fresh_context_client(app)


@pytest.fixture
def number(client, staff, deployed, complaint):
    create_user("env_handler", ["handler"], "ENV", password=PASSWORD)
    create_user("housing_handler", ["handler"], "HOUSING", password=PASSWORD)
    create_user("numbers", ["analyst"], password=PASSWORD)
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    return number


def sign_in(client, username):
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})


def test_a_handler_attaches_a_file_on_the_case_page_and_downloads_it(client, number):
    sign_in(client, "env_handler")
    token = csrf_token(client, f"/cases/{number}")
    posted = client.post(f"/cases/{number}/attachments", data={"csrf_token": token, "file": (io.BytesIO(PDF), "回复函.pdf")},
                         content_type="multipart/form-data")
    assert posted.status_code == 302
    html = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "已上传附件：回复函.pdf。" in html and 'id="attachments"' in html
    links = {part.split('"')[0] for part in html.split('href="')[1:] if "/attachments/" in part.split('"')[0]}
    [link] = links  # the attachments table and the work record link the same file
    download = client.get(link)
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment;")
    download.close()


def test_an_upload_without_the_csrf_token_is_refused(client, number):
    sign_in(client, "env_handler")
    refused = client.post(f"/cases/{number}/attachments", data={"file": (io.BytesIO(PDF), "a.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400


def test_a_refused_file_is_explained_on_the_page(client, number):
    sign_in(client, "env_handler")
    token = csrf_token(client, f"/cases/{number}")
    client.post(f"/cases/{number}/attachments", data={"csrf_token": token, "file": (io.BytesIO(b"MZ\x90\x00"), "a.pdf")},
                content_type="multipart/form-data")
    html = client.get(f"/cases/{number}").get_data(as_text=True)
    assert "附件未上传：文件内容与文件名不符：应为“.pdf”，实际是不允许的文件类型" in html and "暂无附件。" in html


def test_another_departments_handler_cannot_attach(client, number):
    sign_in(client, "housing_handler")
    token = csrf_token(client, "/inbox")
    refused = client.post(f"/cases/{number}/attachments", data={"csrf_token": token, "file": (io.BytesIO(PDF), "a.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 403


def test_the_case_page_logs_an_unmasked_view_and_not_a_masked_one(client, number):
    sign_in(client, "numbers")  # an analyst sees the petitioner masked
    assert "张*" in client.get(f"/cases/{number}").get_data(as_text=True)
    assert db.session.query(PersonalDataAccess).count() == 0
    client.post("/logout", data={"csrf_token": csrf_token(client, "/inbox")})
    sign_in(client, "env_handler")
    assert "张三" in client.get(f"/cases/{number}").get_data(as_text=True)
    rows = db.session.query(PersonalDataAccess).all()
    assert [(r.actor, r.channel) for r in rows] == [("env_handler", "page")]
