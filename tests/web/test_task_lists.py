"""Open-task lists read in keyset order: pages stay stable while tasks come and go; counts stop at a cap."""

from __future__ import annotations

import pytest

from app.cases.lists import task_lists
from tests.helpers import TRIAGE_ACCEPT, complete, register


def page(client, headers, **args):
    query = "&".join(f"{k}={v}" for k, v in {"scope": "group", "per_page": 4, **args}.items())
    response = client.get(f"/api/v1/tasks?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.parametrize("sort", ["due_at", "created_at"])
def test_keyset_pages_are_stable_while_tasks_are_added_and_removed(client, staff, deployed, complaint, sort):
    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, complaint)["number"] for _ in range(10)]
    first = page(client, clerk, sort=sort)
    assert [t["case_number"] for t in first["items"]] == numbers[:4] and first["total"] == 10
    # meanwhile: two new cases arrive, and a task on the first page and one on the next page are done
    numbers += [register(client, clerk, complaint)["number"] for _ in range(2)]
    complete(client, clerk, numbers[1], TRIAGE_ACCEPT)
    complete(client, clerk, numbers[5], TRIAGE_ACCEPT)
    seen = [t["case_number"] for t in first["items"]]
    cursor = first["next"]
    while cursor:
        more = page(client, clerk, sort=sort, after=cursor)
        seen += [t["case_number"] for t in more["items"]]
        cursor = more.get("next")
    expected = numbers[:4] + [n for n in numbers[4:] if n != numbers[5]]
    assert seen == expected  # nothing shown twice, nothing skipped; the finished one is gone, the new ones follow


def test_a_cursor_that_was_not_handed_out_is_refused(client, staff, deployed):
    response = client.get("/api/v1/tasks?after=not-a-cursor", headers=staff.headers("intake1"))
    assert response.status_code == 422 and "after" in response.json["error"]["details"]


def test_counts_stop_at_the_cap_and_the_inbox_says_so(client, app, staff, deployed, complaint, monkeypatch):
    monkeypatch.setattr(task_lists, "COUNT_CAP", 3)
    clerk = staff.headers("intake1")
    for _ in range(5):
        register(client, clerk, complaint)
    listed = page(client, clerk, per_page=2)
    assert listed["total"] == 4 and listed["next"]  # 3 + 1: "more than the cap"
    from app.web.labels import capped_count

    assert capped_count(4) == "3+" and capped_count(3) == "3"


def test_an_exact_case_number_finds_its_task_through_the_inbox_search(client, app, staff, deployed, complaint):
    from app.cases.lists.inbox import InboxFilters, inbox
    from app.cases.people.users import principal_of
    from app.extensions import db
    from app.models import User

    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, complaint)["number"] for _ in range(3)]
    user = principal_of(db.session.query(User).filter_by(username="intake1").one())
    found = inbox(user, InboxFilters(q=numbers[1]))
    assert [row.case_number for row in found.rows] == [numbers[1]]
    partial = inbox(user, InboxFilters(q=numbers[1][-6:]))
    assert numbers[1] in [row.case_number for row in partial.rows]
