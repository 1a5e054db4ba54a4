"""Hostile input never makes a 500: each fault found by hand answers 400/404/413/422 naming what is
wrong, and changes nothing (run on SQLite and PostgreSQL, where NUL and 32-bit ids differ)."""

import io
import json
from pathlib import Path

from app.extensions import db
from app.models import Case
from tests.helpers import TRIAGE_ACCEPT, open_task, register
from tests.helpers import api_error as _error

ROOT = Path(__file__).resolve().parents[2]


def _raw(client, url, text, headers=None):
    return client.post(url, data=text.encode("utf-8"), content_type="application/json", headers=headers or {})


def _no_case_was_registered():
    db.session.expire_all()
    assert db.session.query(Case).count() == 0


def test_json_nested_five_thousand_deep_is_a_400_also_on_the_public_rating(client, staff, deployed):
    deep = "[" * 5000 + "]" * 5000
    _error(_raw(client, "/api/v1/cases", deep, staff.headers("intake1")), 400, "malformed")
    _error(_raw(client, "/api/v1/public/cases/1/rating", deep), 400, "malformed")
    forty = json.dumps({"title": json.loads("[" * 40 + "]" * 40)})
    assert "deeper than 32" in _error(_raw(client, "/api/v1/cases", forty, staff.headers("intake1")), 400)["message"]
    _no_case_was_registered()


def test_a_lone_surrogate_or_a_nul_in_a_field_is_a_422_naming_the_field(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    body = json.dumps(dict(complaint, title="噪音"), ensure_ascii=True).replace("\\u566a", "\\ud800")
    assert _error(_raw(client, "/api/v1/cases", body, h), 422, "validation_failed")["details"] == {
        "title": ["Not valid text: contains an unpaired surrogate (not valid Unicode text)."]}
    error = _error(client.post("/api/v1/cases", json=dict(complaint, petitioner={"name": "a\x00b"}), headers=h), 422)
    assert list(error["details"]) == ["petitioner.name"]
    _no_case_was_registered()


def test_a_nul_in_a_path_or_query_string_is_a_400_on_the_api_and_the_track_page(client, staff, deployed):
    _error(client.get("/api/v1/public/cases/a%00b?access_code=x"), 400)
    _error(client.get("/api/v1/cases?q=a%00b", headers=staff.headers("intake1")), 400)
    page = client.get("/track?number=a%00b&access_code=x")
    assert page.status_code == 400 and "NUL" in page.get_data(as_text=True)


def test_ids_past_the_id_columns_are_404_not_an_overflow(client, staff, deployed):
    owner, intake = staff.headers("owner1"), staff.headers("intake1")
    for big in ("99999999999999999999", str(2**31), "0"):
        _error(client.get(f"/api/v1/processes/complaint/versions/{big}/bpmn", headers=owner), 404)
        _error(client.post(f"/api/v1/notifications/{big}/read", headers=intake), 404)
        _error(client.post(f"/api/v1/notices/{big}/reply", json={"reply": "x"}, headers=intake), 404)
    _error(client.get(f"/api/v1/tasks/{'9' * 40}", headers=intake), 404)


def test_dates_out_of_range_are_a_422_naming_the_field(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    error = _error(client.get("/api/v1/tasks?due_before=9999-12-31T23:59:59.999999-23:59", headers=h), 422)
    assert list(error["details"]) == ["due_before"]
    error = _error(client.post("/api/v1/cases", json=dict(complaint, received_at="1900-01-01T00:00:00+08:00"), headers=h), 422)
    assert list(error["details"]) == ["received_at"]
    _no_case_was_registered()


def test_flags_are_true_or_false_and_nothing_else(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    number = register(client, h, complaint)["number"]
    task = open_task(client, h, number)
    error = _error(client.post(f"/api/v1/tasks/{task['id']}/complete", json=dict(TRIAGE_ACCEPT, major="yes"), headers=h), 422)
    assert list(error["details"]) == ["major"]
    _error(client.post("/api/v1/cases", json=dict(complaint, petitioner={"name": "x", "anonymous": "yes"}), headers=h), 422)
    _error(client.get("/api/v1/cases?overdue=yes", headers=h), 422)
    assert client.get("/api/v1/cases?overdue=true", headers=h).status_code == 200
    assert open_task(client, h, number)["id"] == task["id"]  # still open


def test_numbers_json_cannot_carry_are_a_400(client, staff, deployed, complaint):
    h = staff.headers("intake1")
    huge = '{"category": "complaint", "n": ' + "9" * 5000 + "}"
    _error(_raw(client, "/api/v1/cases", huge, h), 400, "malformed")
    _error(_raw(client, "/api/v1/cases", json.dumps(complaint)[:-1] + ', "location": {"lat": NaN}}', h), 400, "malformed")
    _no_case_was_registered()


def test_a_body_over_the_size_limit_is_a_413(client, app, staff, deployed, complaint):
    big = dict(complaint, description="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    _error(client.post("/api/v1/cases", json=big, headers=staff.headers("intake1")), 413)
    _no_case_was_registered()


def test_a_utf8_bpmn_upload_labelled_another_encoding_is_a_422_on_deploy_and_dry_run_alike(client, staff):
    xml = (ROOT / "processes" / "complaint.bpmn").read_bytes().replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)
    owner = staff.headers("owner1")
    for query in ("", "?dry_run=true"):
        response = client.post(f"/api/v1/processes{query}", data={"file": (io.BytesIO(xml), "complaint.bpmn")},
                               headers=owner, content_type="multipart/form-data")
        assert _error(response, 422, "process_rejected")["details"]["problems"][0]["message"] == (
            "the file declares encoding ISO-8859-1 but its bytes are UTF-8; change its declaration to UTF-8")


def test_every_numeric_path_parameter_is_bounded_to_the_id_columns(app):
    from werkzeug.routing import IntegerConverter

    from app.web.gate import IdConverter

    unbounded = [rule.rule for rule in app.url_map.iter_rules()
                 for converter in rule._converters.values()
                 if isinstance(converter, IntegerConverter) and not isinstance(converter, IdConverter)]
    assert unbounded == [], "use <id:name>, not <int:name>"
