"""Attachments of a case through the API: allowed types by content, a size limit, one file per checksum on disk,
the case's access policy, and a checksum check before every download."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.helpers import TRIAGE_ACCEPT, complete, register

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def store(app, tmp_path, monkeypatch):
    """A store of attachments of this test's own."""
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENTS_DIR", str(tmp_path / "attachments"))


@pytest.fixture
def routed(client, staff, deployed, complaint):
    """A complaint routed to ENV."""
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    return number


def upload(client, headers, number, data, name="report.pdf"):
    """POST the file as multipart field `file` (encoded here: the test client's encoder leaves a temporary file open
    for bodies over 500 kB)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post(f"/api/v1/cases/{number}/attachments", headers=headers, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def fetch(client, url, headers=None):
    """GET a file and close the response (its file handle) at once."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["MINYI_ATTACHMENTS_DIR"]).rglob("*") if p.is_file()]


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<x/>")
    return buffer.getvalue()


def test_an_uploaded_file_comes_back_byte_for_byte_with_its_checksum_and_name(client, staff, routed):
    response = upload(client, staff.headers("handler1"), routed, PDF, "现场照片说明.pdf")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["size"] == len(PDF)
    assert body["content_type"] == "application/pdf" and body["filename"] == "现场照片说明.pdf"
    assert body["uploaded_by"] == "handler1"
    listed = client.get(f"/api/v1/cases/{routed}/attachments", headers=staff.headers("handler1")).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    download = fetch(client, body["url"], staff.headers("handler1"))
    assert download.status_code == 200 and download.data == PDF
    assert hashlib.sha256(download.data).hexdigest() == body["sha256"]
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    timeline = client.get(f"/api/v1/cases/{routed}/timeline", headers=staff.headers("handler1")).json["items"]
    assert [e["details"]["sha256"] for e in timeline if e["action"] == "attachment.added"] == [body["sha256"]]


def test_each_allowed_type_is_recognised_by_its_content(client, staff, routed):
    files = {"a.png": (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"), "b.jpg": (b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
             "c.txt": ("夜间施工记录\n".encode(), "text/plain; charset=utf-8"),
             "d.docx": (office("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             "e.xlsx": (office("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    for name, (data, content_type) in files.items():
        response = upload(client, staff.headers("intake1"), routed, data, name)
        assert response.status_code == 201 and response.json["content_type"] == content_type, (name, response.json)


@pytest.mark.parametrize("name, data", [
    ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8),  # an executable dressed as a PDF
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("notes.txt", PDF),  # a PDF named as text
    ("book.xlsx", office("word/document.xml")),
    ("archive.zip", office("xl/workbook.xml")),
    ("noext", b"hello"),
])
def test_a_file_whose_content_or_name_is_not_allowed_is_refused_with_a_clear_422(client, staff, routed, app, name, data):
    response = upload(client, staff.headers("intake1"), routed, data, name)
    assert response.status_code == 422, response.json
    assert response.json["error"]["details"]["file"]
    assert stored_files(app) == []


def test_the_disguised_executable_is_named_for_what_it_is_not(client, staff, routed):
    response = upload(client, staff.headers("intake1"), routed, b"MZ\x90\x00\x03\x00\x00\x00" * 4, "invoice.pdf")
    assert response.status_code == 422
    assert response.json["error"]["message"] == "the content does not match the name: '.pdf' expected, but the file " \
                                                "is not a file of an allowed type"


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(client, staff, routed, app, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENT_MAX_BYTES", 1000)
    over = upload(client, staff.headers("intake1"), routed, PDF + b"x" * 1000)
    assert over.status_code == 413 and over.json["error"]["message"] == "the file is larger than the limit of 1000 bytes"
    far_over = upload(client, staff.headers("intake1"), routed, PDF + b"x" * 200_000)  # beyond the request limit too
    assert far_over.status_code == 413 and far_over.json["error"]["message"] == "the file is larger than the limit of 1000 bytes"
    assert upload(client, staff.headers("intake1"), routed, PDF).status_code == 201
    assert len(stored_files(app)) == 1


def test_the_default_limit_of_ten_mebibytes_admits_more_than_the_general_body_limit(client, staff, routed, app):
    assert app.config["MINYI_ATTACHMENT_MAX_BYTES"] == 10 * 1024 * 1024
    big = PDF + b"0" * (3 * 1024 * 1024)  # over MAX_CONTENT_LENGTH (2 MiB), under 10 MiB
    assert upload(client, staff.headers("intake1"), routed, big).status_code == 201
    assert client.post("/api/v1/cases", headers=staff.headers("intake1"), data=b"{" * (3 * 1024 * 1024),
                       content_type="application/json").status_code == 413


def test_another_departments_handler_may_neither_upload_nor_list_nor_download(client, staff, routed):
    url = upload(client, staff.headers("handler1"), routed, PDF).json["url"]
    housing = staff.headers("housing1")
    assert upload(client, housing, routed, PDF).status_code == 403
    assert client.get(f"/api/v1/cases/{routed}/attachments", headers=housing).status_code == 403
    assert fetch(client, url, housing).status_code == 403
    assert client.get(url).status_code == 401


def test_the_same_file_twice_is_stored_once(client, staff, routed, app):
    first = upload(client, staff.headers("intake1"), routed, PDF, "a.pdf").json
    second = upload(client, staff.headers("handler1"), routed, PDF, "b.pdf").json
    assert first["id"] != second["id"] and first["sha256"] == second["sha256"]
    files = stored_files(app)
    assert len(files) == 1 and files[0].name == first["sha256"] and files[0].read_bytes() == PDF


def test_a_file_changed_on_disk_is_not_served(client, staff, routed, app):
    body = upload(client, staff.headers("intake1"), routed, PDF).json
    [path] = stored_files(app)
    path.write_bytes(PDF.replace(b"1.4", b"1.7"))
    response = fetch(client, body["url"], staff.headers("intake1"))
    assert response.status_code == 500 and response.is_json
    assert response.json["error"]["code"] == "attachment_tampered"
    assert "checksum mismatch" in response.json["error"]["message"]
    assert upload(client, staff.headers("intake1"), routed, PDF).status_code == 201  # uploading it again repairs it
    assert fetch(client, body["url"], staff.headers("intake1")).data == PDF


def test_a_file_name_keeps_no_folders_or_control_characters(client, staff, routed):
    body = upload(client, staff.headers("intake1"), routed, PDF, "..\\..\\etc/pass\x07wd.pdf").json
    assert body["filename"] == "pass_wd.pdf"
