"""In a real browser: a handler attaches a file on the case page and downloads it; a screenshot of the section."""

from __future__ import annotations

import pytest

from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, register

pytestmark = pytest.mark.browser

PASSWORD = "env-handler-pass"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def test_a_handler_uploads_a_file_on_the_case_page_and_downloads_it(live_server, page, staff, deployed, client, complaint,
                                                                     app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    create_user("env_handler", ["handler"], "ENV", password=PASSWORD, display_name="李承办")
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    source = tmp_path / "现场照片说明.pdf"
    source.write_bytes(PDF)

    page.goto(live_server + "/login")
    page.get_by_label("用户名").fill("env_handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/cases/{number}")
    assert page.locator("#attachments-title").inner_text() == "附件"
    page.get_by_label("上传附件").set_input_files(str(source))
    page.get_by_role("button", name="上传", exact=True).click()
    assert page.get_by_role("status").inner_text() == "已上传附件：现场照片说明.pdf。"
    row = page.locator("#attachments tbody tr")
    assert row.count() == 1 and "env_handler" in row.inner_text()

    with page.expect_download() as info:
        row.get_by_role("link", name="现场照片说明.pdf").click()
    download = info.value
    assert download.suggested_filename == "现场照片说明.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF

    page.set_viewport_size({"width": 1100, "height": 900})
    section = page.locator("section[aria-labelledby='attachments-title']")
    section.screenshot(path=tmp_path / "case-attachments.png")
    print("screenshot:", tmp_path / "case-attachments.png")
