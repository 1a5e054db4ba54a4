"""The lists that must cost the same at a million cases, through the API and pages: the console's keyset
pages, capped counts, text search of cases on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.cases.lists import task_lists
from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, register
from tests.helpers import api_error as _error

PASSWORD = "a-long-enough-pass"


def console(client, headers, **args):
    query = "&".join(f"{k}={v}" for k, v in {"view": "all", "per_page": 3, **args}.items())
    response = client.get(f"/api/v1/supervision/tasks?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_console_keyset_pages_are_stable_while_tasks_are_added_and_removed(client, staff, deployed, complaint, frozen):
    clerk, sup = staff.headers("intake1"), staff.headers("super1")
    numbers = []
    for _ in range(8):
        numbers.append(register(client, clerk, complaint)["number"])
        clock.advance(timedelta(minutes=5))  # triage is due 5 minutes later for each: a strict order
    first = console(client, sup)
    assert [t["case_number"] for t in first["items"]] == numbers[:3] and first["total"] == 8
    # meanwhile: a new case arrives, and one task of the first page and one of the next are done
    numbers.append(register(client, clerk, complaint)["number"])
    complete(client, clerk, numbers[1], TRIAGE_ACCEPT)
    complete(client, clerk, numbers[4], TRIAGE_ACCEPT)  # their next tasks are due before the cursor: not read on
    seen, cursor = [t["case_number"] for t in first["items"]], first["next"]
    while cursor:
        more = console(client, sup, after=cursor)
        seen += [t["case_number"] for t in more["items"]]
        cursor = more.get("next")
    later = [n for n in numbers[3:] if n != numbers[4]]
    assert seen == numbers[:3] + later  # nothing twice, nothing skipped; the finished one gone, the new one last
    _error(client.get("/api/v1/supervision/tasks?view=all&after=nonsense", headers=sup), 422)


def test_stalled_work_reads_on_by_cursor(client, staff, deployed, complaint, frozen):
    clerk, sup = staff.headers("intake1"), staff.headers("super1")
    numbers = [register(client, clerk, complaint)["number"] for _ in range(4)]
    clock.advance(timedelta(days=10))
    first = console(client, sup, view="stalled", per_page=3)
    rest = console(client, sup, view="stalled", per_page=3, after=first["next"])
    assert sorted(t["case_number"] for t in first["items"] + rest["items"]) == sorted(numbers)
    assert "next" not in rest and first["total"] == 4


def test_capped_counts_read_1000_plus_in_the_console_and_its_workload(client, app, staff, deployed, complaint, frozen,
                                                                      monkeypatch):
    monkeypatch.setattr(task_lists, "COUNT_CAP", 2)
    clerk, sup = staff.headers("intake1"), staff.headers("super1")
    for _ in range(4):
        register(client, clerk, complaint)
    clock.advance(timedelta(days=40))
    listed = console(client, sup, view="overdue", per_page=2)
    assert listed["total"] == 3 and listed["counts"]["overdue"] == 3 and listed["counts"]["all"] == 3 and listed["next"]
    departments = client.get("/api/v1/supervision/workload?by=department", headers=sup).json["items"]
    assert departments == [dict(departments[0], name="-", open=3, overdue=3)]
    page = fresh_context_client(app)
    create_user("boss", ["supervisor"], password=PASSWORD)
    page.post("/login", data={"username": "boss", "password": PASSWORD, "csrf_token": csrf_token(page)})
    html = page.get("/supervision?view=overdue").get_data(as_text=True)
    assert '<span class="count">2+</span>' in html and "(2+)" in html


@pytest.fixture
def titled(client, staff, deployed, complaint):
    """Three cases with distinct titles; their numbers."""
    clerk = staff.headers("intake1")
    return [register(client, clerk, dict(complaint, title=title))["number"]
            for title in ("幸福路17号夜间施工噪音", "人民路路灯损坏", "Broken STREETLIGHT on Main Street")]


def cases(client, staff, q):
    response = client.get("/api/v1/cases", query_string={"q": q}, headers=staff.headers("analyst1"))
    assert response.status_code == 200, response.json
    return [c["number"] for c in response.json["items"]]


def test_search_finds_a_case_by_a_substring_of_its_title_and_by_its_number(client, staff, titled):
    assert cases(client, staff, "夜间施工") == [titled[0]]
    assert cases(client, staff, "路灯损") == [titled[1]]
    assert cases(client, staff, "streetlight") == [titled[2]]  # case-insensitive
    assert cases(client, staff, titled[1]) == [titled[1]]  # a whole number: its unique index
    assert cases(client, staff, titled[2][-7:]) == [titled[2]]  # the end of a number
    assert cases(client, staff, "没有这样的标题") == []


def test_digits_find_the_numbers_they_start_or_end_and_the_titles_holding_them(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, dict(complaint, title=title))["number"]
               for title in ("幸福路17号夜间施工噪音", "人民路路灯损坏", "和平路903号垃圾清运不及时")]
    day = numbers[0][:8]  # the date of receipt: every number here starts with it
    assert sorted(cases(client, staff, day)) == sorted(numbers)
    assert cases(client, staff, numbers[1][-4:]) == [numbers[1]]  # the tail of the sequence
    assert cases(client, staff, numbers[2][-12:]) == [numbers[2]]
    assert cases(client, staff, "903") == [numbers[2]]  # in a title, not at either end of a number
    middle = numbers[0][6:11]  # across the date and the sequence: not a start or an end
    assert not any(n.startswith(middle) or n.endswith(middle) for n in numbers)
    assert cases(client, staff, middle) == []
    assert cases(client, staff, "9" + numbers[0][-5:]) == []  # one digit too many is another number


def test_search_follows_a_changed_title_and_refuses_text_too_short_to_search(client, app, staff, titled):
    from app.extensions import db
    from app.models import Case

    case = db.session.scalar(db.select(Case).where(Case.number == titled[1]))
    case.title = "人民路井盖缺失"
    db.session.commit()
    assert cases(client, staff, "井盖缺") == [titled[1]] and cases(client, staff, "路灯损") == []
    assert cases(client, staff, "井盖") == [titled[1]] and cases(client, staff, "路灯") == []  # two characters too
    refused = _error(client.get("/api/v1/cases?q=路", headers=staff.headers("analyst1")), 422)
    assert "q" in refused["details"]
