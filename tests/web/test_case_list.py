"""The cases list read in keyset order: stable pages while cases arrive, every filter it offers, two-character
searches, and (on PostgreSQL) an index under every combination of filters."""

from __future__ import annotations

import itertools
import os
from datetime import timedelta

import pytest
from sqlalchemy import text

from app import clock
from app.cases.lists.case_list import MAX_PAGE, Filters, _columns, _filtered, _order
from app.cases.policy import Principal
from app.extensions import db
from tests.helpers import TRIAGE_ACCEPT, complete, register
from tests.helpers import api_error as _error


def listed(client, staff, who="analyst1", **args):
    response = client.get("/api/v1/cases", query_string=args, headers=staff.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_keyset_pages_neither_repeat_nor_skip_while_cases_arrive(client, staff, deployed, complaint):
    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, complaint)["number"] for _ in range(7)]
    first = listed(client, staff, per_page=3)
    assert [c["number"] for c in first["items"]] == numbers[::-1][:3] and first["next"]
    newer = register(client, clerk, complaint)["number"]  # arrives between two page reads
    seen, cursor = [c["number"] for c in first["items"]], first["next"]
    while cursor:
        page = listed(client, staff, per_page=3, after=cursor)
        seen += [c["number"] for c in page["items"]]
        cursor = page["next"]
    assert seen == numbers[::-1] and newer not in seen  # every older case once, in order; the new one on page 1 next
    assert listed(client, staff, per_page=3)["items"][0]["number"] == newer


def test_a_search_with_few_matches_pages_newest_first_and_counts_them(client, staff, deployed, complaint):
    """Few matches are read by their ids (case_list.FEW): the same order, cursor and count as any other page."""
    clerk = staff.headers("intake1")
    numbers = [register(client, clerk, dict(complaint, title=f"路灯不亮 {i}"))["number"] for i in range(5)]
    register(client, clerk, dict(complaint, title="垃圾清运"))
    first = listed(client, staff, q="路灯", per_page=2)
    assert first["total"] == 5 and [c["number"] for c in first["items"]] == numbers[::-1][:2]
    second = listed(client, staff, q="路灯", per_page=2, after=first["next"])
    third = listed(client, staff, q="路灯", per_page=2, after=second["next"])
    assert [c["number"] for c in second["items"] + third["items"]] == numbers[::-1][2:] and third["next"] is None
    assert listed(client, staff, q="张三")["items"] == [] and listed(client, staff, q="张三")["total"] == 0
    assert listed(client, staff, "handler1", q="路灯")["total"] == 0  # their department has none of them yet


@pytest.mark.parametrize("q", ["路灯不亮", "路灯"])  # a trigram search and a two-character one
def test_a_search_with_many_matches_pages_from_the_newest_window_and_falls_back_past_it(client, staff, deployed, complaint,
                                                                                       monkeypatch, q):
    """Many matches (more than FEW) are looked for among the newest WINDOW cases first; a page the window cannot fill
    comes from the whole search. Either way the pages follow one another without a repeat or a gap."""
    from app.cases.lists import case_list

    monkeypatch.setattr(case_list, "FEW", 2)  # the thresholds of a city, scaled to a test
    monkeypatch.setattr(case_list, "WINDOW", 6)
    clerk = staff.headers("intake1")
    matches = []
    for i in range(9):  # older matches spread thinly, newer ones dense
        matches.append(register(client, clerk, dict(complaint, title=f"路灯不亮 {i}"))["number"])
        for _ in range(3 if i < 4 else 0):
            register(client, clerk, dict(complaint, title="垃圾清运不及时"))
    first = listed(client, staff, q=q, per_page=2)
    assert first["total"] == 9
    seen, cursor = [c["number"] for c in first["items"]], first["next"]
    while cursor:
        page = listed(client, staff, q=q, per_page=2, after=cursor)
        seen += [c["number"] for c in page["items"]]
        cursor = page["next"]
    assert seen == matches[::-1]
    assert [c["number"] for c in listed(client, staff, q=q, per_page=2, page=3)["items"]] == matches[::-1][4:6]


def test_every_filter_narrows_the_list(client, staff, deployed, complaint, frozen):
    clerk = staff.headers("intake1")
    letter = register(client, clerk, dict(complaint, channel="letter", title="来信反映张三家门前积水"))["number"]
    clock.advance(timedelta(days=3))
    routed = register(client, clerk, dict(complaint, title="夜间施工噪音扰民"))["number"]
    complete(client, clerk, routed, TRIAGE_ACCEPT)
    day = clock.now().date()
    assert [c["number"] for c in listed(client, staff, channel="letter")["items"]] == [letter]
    assert [c["number"] for c in listed(client, staff, status="handling")["items"]] == [routed]
    assert [c["number"] for c in listed(client, staff, department="env")["items"]] == [routed]
    assert [c["number"] for c in listed(client, staff, category="complaint", status="registered")["items"]] == [letter]
    assert [c["number"] for c in listed(client, staff, received_from=f"{day}T00:00:00+08:00")["items"]] == [routed]
    assert [c["number"] for c in listed(client, staff, received_to=f"{day}T00:00:00+08:00")["items"]] == [letter]
    assert [c["number"] for c in listed(client, staff, q="张三")["items"]] == [letter]  # a two-character name
    assert [c["number"] for c in listed(client, staff, q="噪音")["items"]] == [routed]  # a two-character word
    assert listed(client, staff, q="积噪")["items"] == []
    _error(client.get("/api/v1/cases?status=open", headers=staff.headers("analyst1")), 422)
    _error(client.get("/api/v1/cases?channel=fax", headers=staff.headers("analyst1")), 422)
    _error(client.get("/api/v1/cases?q=张", headers=staff.headers("analyst1")), 422)


def test_dated_and_overdue_lists_page_by_their_own_order(client, staff, deployed, complaint, frozen):
    clerk = staff.headers("intake1")
    numbers = []
    for _ in range(5):
        numbers.append(register(client, clerk, complaint)["number"])
        clock.advance(timedelta(hours=1))
    since = (clock.now() - timedelta(days=1)).isoformat()
    pages, cursor = [], None
    while True:
        page = listed(client, staff, per_page=2, received_from=since, **({"after": cursor} if cursor else {}))
        pages += [c["number"] for c in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert pages == numbers[::-1]  # newest received first
    clock.advance(timedelta(days=30))
    overdue = listed(client, staff, per_page=2, overdue="true")
    rest = listed(client, staff, per_page=10, overdue="true", after=overdue["next"])
    assert [c["number"] for c in overdue["items"] + rest["items"]] == numbers  # most overdue first
    mixed = _error(client.get(f"/api/v1/cases?after={overdue['next']}", headers=staff.headers("analyst1")), 422)
    assert "after" in mixed["details"]  # an overdue list's cursor is not the newest list's


def test_deep_offset_pages_are_refused_in_favour_of_the_cursor(client, staff):
    refused = _error(client.get(f"/api/v1/cases?page={MAX_PAGE + 1}", headers=staff.headers("analyst1")), 422)
    assert "page" in refused["details"]
    assert listed(client, staff, page=MAX_PAGE)["items"] == []


FILTERS = {"status": "closed", "category": "consultation", "channel": "letter", "department": "ENV",
           "overdue": True, "q": "夜间施工", "q2": "噪音", "received_from": "2026-01-01T00:00:00+00:00"}


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="PostgreSQL's planner")
def test_every_combination_of_filters_has_an_index_path_on_postgresql(app, staff):
    """With sequential scans priced out, a plan that still reads "case" in full has no index to use; and a filtered
    list must read an index *by* a filter (an index condition), not the whole primary key with the filter applied."""
    from datetime import datetime

    users = {"analyst": Principal(1, "analyst1", frozenset({"analyst"}), None, None),
             "handler": Principal(2, "handler1", frozenset({"handler"}), 1, "ENV")}
    checked = 0
    names = [n for n in FILTERS if n != "q2"]
    for size in range(len(names) + 1):
        for chosen in itertools.combinations(names, size):
            for q_key in (("q",), ("q2",)) if "q" in chosen else ((),):
                values = {n: FILTERS[n] for n in chosen if n != "q"}
                if q_key:
                    values["q"] = FILTERS[q_key[0]]
                if "received_from" in values:
                    values["received_from"] = datetime.fromisoformat(values["received_from"])
                for who in ("analyst", "handler") if size <= 2 else ("analyst",):
                    filters = Filters(**values)
                    stmt = _filtered(users[who], filters).order_by(*_columns(_order(filters))).limit(21)
                    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
                    with db.engine.connect() as connection:
                        connection.execute(text("SET enable_seqscan = off"))
                        plan = "\n".join(r[0] for r in connection.execute(text("EXPLAIN " + sql)))
                    assert 'Seq Scan on "case"' not in plan and "Seq Scan on case " not in plan, (who, values, plan)
                    if values or who == "handler":  # a filter narrows the index read, not only the rows kept
                        assert "Index Cond" in plan or "Bitmap Index Scan" in plan, (who, values, plan)
                    checked += 1
    assert checked > 200
