"""The benchmarks' cloned cases are cases like any other: a cloned closed case, whose state is a stub, opens in the
case page and the API (a stub written as raw text answered 500)."""

from __future__ import annotations

import sys
from pathlib import Path

from app.cases.people.users import create_user
from app.extensions import db
from app.models import Case
from tests.helpers import csrf_token, drive_to_answer, fresh_context_client, register

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def test_a_cloned_closed_case_opens_in_the_case_page_and_the_api(app, client, staff, deployed, complaint):
    import inbox_seed

    number = register(client, staff.headers("intake1"), complaint)["number"]
    drive_to_answer(client, staff, number)
    case = db.session.query(Case).filter_by(number=number).one()
    db.session.execute(db.text("UPDATE process_instance SET completed = :done WHERE case_id = :id"),
                       {"done": True, "id": case.id})  # as a closed case's instance is
    db.session.commit()
    db.session.remove()
    inbox_seed.clone(app, 2, compact_closed=True)
    clones = [c.number for c in db.session.query(Case).filter(Case.number != number).order_by(Case.id)]
    assert len(clones) == 2
    create_user("sv", ["supervisor"], password="a-long-enough-pass")
    page = fresh_context_client(app)
    page.post("/login", data={"username": "sv", "password": "a-long-enough-pass", "csrf_token": csrf_token(page)})
    for cloned in clones:
        assert page.get(f"/cases/{cloned}").status_code == 200
        assert client.get(f"/api/v1/cases/{cloned}", headers=staff.headers("super1")).status_code == 200
