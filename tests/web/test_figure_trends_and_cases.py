"""Trends bucket by bucket and the cases behind every figure (docs/statistics.md, "Trends", "Drilling down"), on the
known scenario of test_figures.py (tests/web/conftest.py): the buckets add up to the period's figures, and every
figure's list holds exactly as many cases as the figure -- the very cases."""

from __future__ import annotations

import pytest

from tests.helpers import api_error

PERIOD = {"from": "2026-03-01", "to": "2026-06-30"}
COUNTS = ("received", "accepted", "not_accepted", "answered", "closed", "withdrawn", "repeats", "reviews",
          "extensions", "breaches", "notices", "escalations", "rehandled", "open_at_end", "overdue_at_end")


def _get(client, headers, path, **query):
    response = client.get(f"/api/v1/stats/{path}", query_string={**PERIOD, **query}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _listed(client, headers, figure, part=None, **query) -> list[str]:
    """Every case listed for the figure, page after page (two a page)."""
    numbers, after = [], None
    while True:
        page = _get(client, headers, "cases", figure=figure, limit=2, **({"part": part} if part else {}),
                    **({"after": after} if after else {}), **query)
        numbers += [c["number"] for c in page["items"]]
        after = page["next"]
        if after is None:
            return numbers


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_the_buckets_of_a_trend_add_up_to_the_figures_of_the_period(client, staff, scenario, grain):
    analyst = staff.headers("analyst1")
    summary = _get(client, analyst, "summary")
    trend = _get(client, analyst, "trend", grain=grain)
    assert trend["grain"] == grain and trend["period"] == PERIOD
    items = trend["items"]
    assert len(items) == {"day": 122, "week": 19, "month": 4}[grain]
    assert items[0]["from"] == "2026-03-01" and items[-1]["to"] == "2026-06-30"
    for name in ("received", "answered", "closed"):
        assert sum(b["counts"][name] for b in items) == summary["counts"][name]
    for name, rate in summary["rates"].items():
        assert sum(b["rates"][name]["numerator"] for b in items) == rate["numerator"]
        assert sum(b["rates"][name]["denominator"] for b in items) == rate["denominator"]
    assert trend["previous"]["to"] == "2026-02-28" and len(trend["previous"]["items"]) >= 1
    assert all(b["counts"]["received"] == 0 for b in trend["previous"]["items"])
    if grain == "month":  # received on 2 March; four answered that day, two on 11 May (day 70)
        assert [b["counts"]["answered"] for b in items] == [4, 0, 2, 0]
        assert items[0]["counts"]["received"] == 11
        assert items[2]["rates"]["on_time"] == {"numerator": 1, "denominator": 2, "rate": 0.5}  # H late, I on time


def test_a_trend_under_a_handler_is_recounted_and_the_grain_defaults_to_the_length(client, staff, scenario):
    supervisor = staff.headers("super1")
    mine = _get(client, supervisor, "trend", handler="handler1", grain="month")
    assert sum(b["counts"]["answered"] for b in mine["items"]) == 6
    assert _get(client, supervisor, "trend")["grain"] == "week"  # 122 days
    assert _get(client, supervisor, "trend", **{"from": "2026-03-01", "to": "2026-03-31"})["grain"] == "day"
    error = api_error(client.get("/api/v1/stats/trend", query_string={**PERIOD, "grain": "hour"}, headers=supervisor),
                      422)
    assert "grain" in error["details"]


def test_every_figure_lists_exactly_its_cases(client, staff, scenario):
    analyst = staff.headers("analyst1")
    summary = _get(client, analyst, "summary")
    for name in COUNTS:
        listed = _listed(client, analyst, name)
        assert len(listed) == len(set(listed)) == summary["counts"][name], name
    for name, rate in summary["rates"].items():
        numerator, denominator = _listed(client, analyst, name, "numerator"), _listed(client, analyst, name, "denominator")
        assert (len(numerator), len(denominator)) == (rate["numerator"], rate["denominator"]), name
        assert set(_listed(client, analyst, name, "missed")) == set(denominator) - set(numerator)
    n = scenario
    assert _listed(client, analyst, "on_time", "missed") == [n["H"]]  # answered late
    assert _listed(client, analyst, "response", "missed") == [n["J"]]  # triaged late
    assert _listed(client, analyst, "satisfaction", "missed") == [n["B"]]  # rated 2
    assert _listed(client, analyst, "overdue_at_end") == [n["G"]]
    assert _listed(client, analyst, "withdrawn") == [n["E"]]
    received = _listed(client, analyst, "received")
    assert received == sorted(received, reverse=True)  # newest first


def test_the_lists_keep_to_the_filters_and_to_what_the_user_may_see(client, staff, scenario):
    staff.add("env_head", "head", department="ENV")
    n = scenario
    assert _listed(client, staff.headers("analyst1"), "received", department="HOUSING") == [n["G"]]
    assert _listed(client, staff.headers("housing_head"), "received") == [n["G"]]  # a head: their department's
    api_error(client.get("/api/v1/stats/cases", query_string={**PERIOD, "figure": "received", "department": "ENV"},
                         headers=staff.headers("housing_head")), 403)
    assert set(_listed(client, staff.headers("super1"), "answered", handler="handler1")) == {
        n[k] for k in "ABCDHI"}
    staff.add("super_c", "supervisor", "confidential")
    assert client.post(f"/api/v1/cases/{n['A']}/confidentiality", json={"confidential": True, "reason": "涉及个人隐私"},
                       headers=staff.headers("super_c")).status_code == 200
    analyst_sees = _listed(client, staff.headers("analyst1"), "received")
    assert n["A"] not in analyst_sees and len(analyst_sees) == 10  # counted in the figure, not listed to the uncleared
    assert n["A"] in _listed(client, staff.headers("super_c"), "received")
    api_error(client.get("/api/v1/stats/cases", query_string=PERIOD, headers=staff.headers("handler1")), 403)


@pytest.mark.parametrize("query, field", [
    ({"figure": "nope"}, "figure"),
    ({"figure": "received", "part": "numerator"}, "part"),
    ({"figure": "on_time"}, "part"),
    ({"figure": "on_time", "part": "most"}, "part"),
    ({"figure": "received", "limit": 0}, "limit"),
    ({"figure": "received", "after": "x"}, "after"),
])
def test_a_bad_question_for_the_cases_behind_a_figure_is_refused_saying_which_part(client, staff, scenario, query,
                                                                                 field):
    error = api_error(client.get("/api/v1/stats/cases", query_string={**PERIOD, **query},
                                 headers=staff.headers("analyst1")), 422)
    assert field in error["details"]
