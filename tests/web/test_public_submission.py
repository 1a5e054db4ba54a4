"""The public form (/submit): a citizen without an account sends an appeal with a photo and gets the number, the
access code and both dates; the case waits in triage like a staff intake. Bad input is refused beside its field and
registers nothing; a honeypot and submission limits (counted in the database) keep robots and floods out."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Case, OutboxMessage
from tests.helpers import csrf_token, fresh_context_client, open_task

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _form(**overrides) -> dict:
    form = {"category": "complaint", "title": "小区门口路灯不亮", "description": "幸福路1号小区门口的路灯坏了两周，晚上很黑。",
            "address": "幸福路1号", "name": "李四", "phone": "13900001111", "notify_by": "sms", "consent": "yes"}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def citizen(app, deployed):
    return fresh_context_client(app)


def _post(citizen, form, files=(), address="203.0.113.7"):
    data = dict(form, csrf_token=csrf_token(citizen, "/submit"))
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return citizen.post("/submit", data=data, content_type="multipart/form-data", environ_base={"REMOTE_ADDR": address})


def _cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def test_a_citizen_submits_with_a_photo_and_the_case_waits_in_triage(client, citizen, staff):
    page = citizen.get("/submit").get_data(as_text=True)
    assert "投诉" in page and "舆情" not in page  # incidents are identified by staff
    response = _post(citizen, _form(lat="31.230416", lon="121.473701"), files=[("路灯.png", PNG)])
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    number = re.search(r'id="number">(\d+)<', html).group(1)
    code = re.search(r'id="access-code">([^<]+)<', html).group(1)
    assert 'id="accept-by"' in html and 'id="answer-by"' in html
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert case.channel == "web" and case.location_lat == pytest.approx(31.230416)
    assert case.created_by == "petitioner" and case.petitioner.notify_by == "sms"
    [photo] = db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
    assert photo.content_type == "image/png" and photo.uploaded_by == "petitioner"
    assert open_task(client, staff.headers("intake1"), number)["name"] == "triage"
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.case_id == case.id))
    assert receipt.kind == "receipt" and receipt.channel == "sms" and code in receipt.body
    looked_up = citizen.post("/track", data={"number": number, "access_code": code, "csrf_token": csrf_token(citizen, "/track")})
    assert looked_up.status_code == 200


def test_bad_input_is_refused_beside_each_field_and_registers_nothing(citizen, staff):
    response = _post(citizen, _form(consent=None, email="not-an-address", title="  ", category="incident"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("consent", "petitioner-email", "title", "category"):
        assert f'id="err-{field}"' in html, field
    assert "请" in html and _cases() == 0


def test_a_file_of_a_refused_type_registers_nothing(citizen, staff):
    response = _post(citizen, _form(), files=[("setup.exe", b"MZ\x90\x00" + b"\0" * 64)])
    assert response.status_code == 422 and 'id="err-files"' in response.get_data(as_text=True)
    assert _cases() == 0 and db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_the_honeypot_turns_a_robot_away(citizen, staff):
    response = _post(citizen, _form(website="http://spam.example"))
    assert response.status_code == 422 and _cases() == 0


def test_submissions_per_address_are_limited_and_other_addresses_go_on(app, citizen, staff):
    app.config["MINYI_SUBMISSIONS_PER_ADDRESS_HOUR"] = 2
    try:
        assert _post(citizen, _form()).status_code == 200
        assert _post(citizen, _form()).status_code == 200
        refused = _post(citizen, _form())
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert _post(citizen, _form(), address="198.51.100.4").status_code == 200
    finally:
        app.config["MINYI_SUBMISSIONS_PER_ADDRESS_HOUR"] = 5
    assert _cases() == 3


def test_in_english_the_form_and_the_petitioners_messages_are_english(citizen, staff):
    citizen.post("/language", data={"lang": "en", "next": "/submit", "csrf_token": csrf_token(citizen, "/submit")})
    html = citizen.get("/submit").get_data(as_text=True)
    assert "Submit an appeal" in html and "Complaint" in html
    response = _post(citizen, _form(email="lisi@example.org", notify_by="email"))
    assert response.status_code == 200 and "Keep the access code" in response.get_data(as_text=True)
    receipt = db.session.scalar(select(OutboxMessage))
    assert receipt.locale == "en" and receipt.subject.startswith("Your appeal is registered")
