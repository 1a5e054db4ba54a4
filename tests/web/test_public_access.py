"""What anyone may do without logging in: a throttle per address, wrong access codes counted per case number and
per address in the database, access codes compared exactly, one message for one conflict."""

import hashlib

from sqlalchemy import update

from app.cases.people.attempts import failure_count
from app.extensions import db
from app.models import Case
from tests.helpers import csrf_token, drive_to_answer, fresh_context_client, register


def lookup(client, number, code, address="203.0.113.7"):
    return client.get(f"/api/v1/public/cases/{number}", query_string={"access_code": code},
                      environ_base={"REMOTE_ADDR": address})


def test_the_31st_lookup_in_a_minute_from_one_address_gets_429_with_retry_after(client, app):
    for i in range(30):
        assert lookup(client, f"2026030200{i:04d}", "ABCDEFGH").status_code == 404
    limited = lookup(client, "20260302009999", "ABCDEFGH")
    assert limited.status_code == 429
    assert limited.json == {"error": {"code": "rate_limited", "message": limited.json["error"]["message"], "details": {}}}
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert lookup(client, "20260302009999", "ABCDEFGH", address="198.51.100.1").status_code == 404


def test_lookups_of_one_case_number_from_many_addresses_are_limited_too(client, app):
    for i in range(10):
        assert lookup(client, "20260302000001", "ABCDEFGH", address=f"198.51.100.{i}").status_code == 404
    limited = lookup(client, "20260302000001", "ABCDEFGH", address="198.51.100.200")
    assert limited.status_code == 429 and 3500 <= int(limited.headers["Retry-After"]) <= 3601  # the hour's window
    assert lookup(client, "20260302000002", "ABCDEFGH", address="198.51.100.200").status_code == 404


def test_a_guesser_gets_ten_tries_per_case_and_the_petitioner_who_tracked_before_still_gets_in(
        app, client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number, code = case["number"], case["access_code"]
    petitioner = fresh_context_client(app)
    seen = petitioner.post("/track", data={"number": number, "access_code": code,
                                           "csrf_token": csrf_token(petitioner, "/track")},
                           environ_base={"REMOTE_ADDR": "192.0.2.50"})
    assert seen.status_code == 200 and "minyi_cases=" in seen.headers.get("Set-Cookie", "")
    guesses = [lookup(client, number, f"GUESS{i:03d}", address=f"203.0.113.{i}").status_code for i in range(24)]
    assert guesses == [404] * 10 + [429] * 14  # whatever addresses they use
    assert lookup(client, number, code, address="203.0.113.99").status_code == 429  # the right code, unproved: later
    again = petitioner.post("/track", data={"number": number, "access_code": code,
                                            "csrf_token": csrf_token(petitioner, "/track")},
                            environ_base={"REMOTE_ADDR": "192.0.2.50"})
    assert again.status_code == 200 and 'id="status"' in again.get_data(as_text=True)
    forged = fresh_context_client(app)
    forged.set_cookie("minyi_cases", "not-a-signed-list")
    assert forged.get(f"/api/v1/public/cases/{number}", query_string={"access_code": code},
                      environ_base={"REMOTE_ADDR": "192.0.2.51"}).status_code == 429


def test_a_second_number_in_the_query_string_does_not_move_the_count(client, app):
    token = csrf_token(client, "/track")
    for i in range(12):
        client.post(f"/track?number=2026030200{i:04d}", data={
            "number": "20260302000001", "access_code": "ABCDEFGH", "csrf_token": token},
            environ_base={"REMOTE_ADDR": f"192.0.2.{i}"})
    counted = failure_count("lookup", "20260302000001")
    assert counted == 10 and failure_count("lookup", "20260302000000") == 0
    page = client.post("/track?number=20260302009999", data={
        "number": "20260302000001", "access_code": "ABCDEFGH", "csrf_token": token}, environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert page.status_code == 429


def test_a_small_configured_limit_applies(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MINYI_RATELIMIT_PER_ADDRESS", "2/minute")
    assert [lookup(client, f"2026030200000{i}", "X").status_code for i in range(3)] == [404, 404, 429]


def test_the_access_code_opens_the_case_in_any_letter_case_and_grouping_and_nothing_else_does(client, staff, deployed,
                                                                                            complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number, code = case["number"], case["access_code"]
    for typed in (code.lower(), f" {code}", f"{code} ", f"{code[:4]} {code[4:]}", f"{code[:4]}-{code[4:].lower()}"):
        assert lookup(client, number, typed, address=f"192.0.2.{len(typed)}").status_code == 200, typed
    other = "".join("A" if ch != "A" else "B" for ch in code[:1]) + code[1:]
    for near_miss in (code + "é", code[:-1], code + "2", other):
        response = lookup(client, number, near_miss, address=f"192.0.2.{len(near_miss) + 20}")
        assert response.status_code == 404, near_miss
    wrong_number = lookup(client, "19990101000001", code)
    assert wrong_number.json == lookup(client, number, code + "2").json  # a wrong number reads as a wrong code


def test_access_codes_are_stored_with_argon2(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    stored = db.session.scalar(db.select(Case.access_code_hash).where(Case.number == number))
    assert stored.startswith("$argon2id$") and "m=2048,t=1,p=1" in stored


def test_a_legacy_sha256_access_code_still_matches_as_typed_by_people(client, staff, deployed, complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    legacy = hashlib.sha256(b"K7QPW2XM").hexdigest()  # how cases were stored before migration 0008
    db.session.execute(update(Case).where(Case.number == number).values(access_code_hash=legacy))
    db.session.commit()
    for typed in ("K7QPW2XM", "k7qpw2xm", " K7QP-W2XM"):
        assert lookup(client, number, typed).status_code == 200, typed
    for near_miss in ("K7QPW2XMé", "K7QPW2X"):
        assert lookup(client, number, near_miss).status_code == 404, near_miss


def test_the_rating_conflict_has_one_message_before_the_answer_and_after_closing(client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    url, body = f"/api/v1/public/cases/{case['number']}/rating", {"access_code": case["access_code"], "score": 5}
    early = client.post(url, json=body)  # the process runs but waits for no rating
    drive_to_answer(client, staff, case["number"])
    assert client.post(url, json=body).json["status"] == "closed"
    late = client.post(url, json=body)  # no process runs any more
    assert early.status_code == late.status_code == 409
    assert early.json == late.json and early.json["error"]["code"] == "nothing_waiting"
