"""The figures of a period (docs/statistics.md), on a scenario with a known answer built through the API with a frozen
clock: every count, and every rate's numerator and denominator, overall and per department; who may read them."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from tests.helpers import api_error, drive_to_answer, register


def _summary(client, headers, **query):
    response = client.get("/api/v1/stats/summary", query_string={"from": "2026-03-01", "to": "2026-06-30", **query},
                          headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_every_figure_of_a_known_scenario_with_numerators_and_denominators(client, staff, scenario):
    figures = _summary(client, staff.headers("analyst1"))
    assert figures["counts"] == {
        "received": 11, "accepted": 8, "not_accepted": 1, "answered": 6, "closed": 3, "withdrawn": 1, "repeats": 1,
        "reviews": 0, "extensions": 1, "breaches": 0, "notices": 0, "escalations": 0, "rehandled": 1,
        "open_at_end": 6, "overdue_at_end": 1,  # B D G H I J open; G unanswered past its date (J's is still ahead:
        # the period is not over, and open and overdue are counted today, day 70)
    }
    rates = figures["rates"]
    assert rates["on_time"] == {"numerator": 5, "denominator": 6, "rate": 0.8333}  # H answered late
    assert rates["response"] == {"numerator": 8, "denominator": 9, "rate": 0.8889}  # J triaged late; E, F no step
    assert rates["resolution"] == {"numerator": 1, "denominator": 2, "rate": 0.5}  # D unreachable: no verdict
    assert rates["satisfaction"] == {"numerator": 2, "denominator": 3, "rate": 0.6667}  # 5, 2 and 4
    handling = figures["handling_days"]
    assert handling["cases"] == 6 and handling["median"] == 0 and handling["p90"] > 40
    assert figures["period"] == {"from": "2026-03-01", "to": "2026-06-30"}


def test_open_and_overdue_are_counted_at_the_end_of_a_period_over_and_today_for_one_not_over(client, staff, scenario):
    analyst = staff.headers("analyst1")
    clock.advance(timedelta(days=30))  # day 100: J's date (day 85) has passed too
    assert _summary(client, analyst)["counts"]["overdue_at_end"] == 2
    ended = _summary(client, analyst, **{"from": "2026-03-01", "to": "2026-05-01"})  # day 60: G's date is that day
    assert ended["counts"]["open_at_end"] == 6 and ended["counts"]["overdue_at_end"] == 0


def test_a_department_and_a_handler_narrow_the_figures_and_a_head_sees_their_own(client, staff, scenario):
    housing = _summary(client, staff.headers("analyst1"), department="HOUSING")
    assert housing["counts"]["received"] == 1 and housing["counts"]["accepted"] == 1 and housing["counts"]["answered"] == 0
    assert housing["rates"]["response"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert housing["filters"] == {"department": "HOUSING"}
    mine = _summary(client, staff.headers("housing_head"))
    assert mine["counts"] == housing["counts"] and mine["filters"] == {"department": "HOUSING"}
    api_error(client.get("/api/v1/stats/summary?from=2026-03-01&to=2026-06-30&department=ENV",
                         headers=staff.headers("housing_head")), 403)
    handler = _summary(client, staff.headers("super1"), handler="handler1")
    assert handler["counts"]["answered"] == 6 and handler["rates"]["on_time"]["denominator"] == 6
    nobody = _summary(client, staff.headers("super1"), handler="handler2")
    assert nobody["counts"]["answered"] == 0 and nobody["rates"]["on_time"]["rate"] is None


def test_a_period_elsewhere_counts_nothing_and_bad_input_is_refused(client, staff, scenario):
    earlier = _summary(client, staff.headers("leader1"), **{"from": "2026-01-01", "to": "2026-02-28"})
    assert set(earlier["counts"].values()) == {0}
    analyst = staff.headers("analyst1")
    api_error(client.get("/api/v1/stats/summary?from=2026-03-01", headers=analyst), 422)
    error = api_error(client.get("/api/v1/stats/summary?from=2026-03-31&to=2026-03-01", headers=analyst), 422)
    assert "to" in error["details"]
    api_error(client.get("/api/v1/stats/summary?from=2020-01-01&to=2026-03-01", headers=analyst), 422)
    api_error(client.get("/api/v1/stats/summary?from=2026-03-01&to=2026-03-31&topic=NOPE", headers=analyst), 422)
    api_error(client.get("/api/v1/stats/summary?from=2026-03-01&to=2026-03-31&department=NOPE", headers=analyst), 422)
    api_error(client.get("/api/v1/stats/summary?from=2026-03-01&to=2026-03-31", headers=staff.headers("handler1")), 403)


def test_departments_are_ranked_by_their_weighted_rates(client, staff, scenario):
    response = client.get("/api/v1/stats/ranking?from=2026-03-01&to=2026-06-30", headers=staff.headers("leader1"))
    assert response.status_code == 200, response.json
    ranked = response.json
    assert ranked["previous"] == {"from": "2025-10-30", "to": "2026-02-28"}
    assert ranked["weights"] == {"on_time": 0.25, "response": 0.15, "resolution": 0.3, "satisfaction": 0.3}
    env, housing = (next(r for r in ranked["items"] if r["department"] == code) for code in ("ENV", "HOUSING"))
    # ENV: on time 5/6, response 6/7 (J late), resolution 1/2, satisfaction 2/3
    assert env["rates"]["response"] == {"numerator": 6, "denominator": 7, "rate": 0.8571}
    expected = round((0.25 * 0.8333 + 0.15 * 0.8571 + 0.3 * 0.5 + 0.3 * 0.6667) * 100, 2)
    assert abs(env["score"] - expected) < 0.01
    assert housing["score"] == 100.0 and housing["rates"]["on_time"]["rate"] is None  # only a response rate yet
    assert [r["department"] for r in ranked["items"]] == ["HOUSING", "ENV"] and env["rank"] == 2
    assert env["previous_rank"] is None and env["change"] is None
    assert ranked["of"] == "departments"


def test_a_head_ranks_the_handlers_of_their_department_over_the_cases_each_answered_first(client, staff, scenario):
    response = client.get("/api/v1/stats/ranking?from=2026-03-01&to=2026-06-30", headers=staff.headers("head1"))
    assert response.status_code == 200, response.json
    ranked = response.json
    assert ranked["of"] == "handlers" and [r["handler"] for r in ranked["items"]] == ["handler1"]  # ENV's only one
    mine = ranked["items"][0]
    assert mine["answered"] == 6 and mine["rank"] == 1 and "department" not in mine
    assert mine["rates"]["on_time"] == {"numerator": 5, "denominator": 6, "rate": 0.8333}  # H late
    assert mine["rates"]["satisfaction"] == {"numerator": 2, "denominator": 3, "rate": 0.6667}
    housing = client.get("/api/v1/stats/ranking?from=2026-03-01&to=2026-06-30", headers=staff.headers("housing_head"))
    assert housing.json["of"] == "handlers" and housing.json["items"] == []  # G: accepted, not answered yet


def test_the_published_figures_hold_no_personal_data_no_confidential_case_and_no_small_count(client, staff, scenario):
    import json

    secret = dict(SECRET_APPEAL, confidential=True)
    register(client, staff.headers("intake1"), secret)  # day 70, in May: never published
    published = client.get("/api/v1/public/stats?from=2026-03-01&to=2026-06-30")  # no login
    assert published.status_code == 200, published.json
    figures = published.json
    assert figures["counts"] == {"received": 11, "answered": 6, "closed": "<5"}
    assert figures["by_category"] == [{"key": "complaint", "count": 11}]
    assert figures["by_month"] == [{"key": "2026-03", "count": 11}]  # the confidential May case is not there
    assert figures["by_department"] == [{"key": "生态环境科", "count": 7}, {"key": "住房保障科", "count": "<5"}]
    assert figures["rates"]["on_time"] == {"numerator": 5, "denominator": 6, "rate": 0.8333}
    assert figures["rates"]["resolution"] == {"numerator": "<5", "denominator": "<5", "rate": None}
    text = json.dumps(figures, ensure_ascii=False)
    assert "张三" not in text and "13812345678" not in text and "幸福路" not in text
    page = client.get("/disclosure?from=2026-03-01&to=2026-06-30")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "生态环境科" in html and "少于 5" in html and "张三" not in html
    assert client.get("/disclosure?from=2026-03-01&to=xx").status_code == 422
    api_error(client.get("/api/v1/public/stats?from=2026-03-01"), 422)
    assert client.get("/api/v1/public/stats").status_code == 200  # the last twelve months


SECRET_APPEAL = {"category": "complaint", "channel": "hotline", "title": "举报违规收费", "description": "举报。",
                 "petitioner": {"name": "赵六", "phone": "13911112222"}}


def test_hotspots_name_the_top_and_rising_topics_and_areas_and_the_words_of_the_titles(
        runner, client, staff, deployed, complaint, frozen):
    for kind in ("topics", "areas"):
        assert runner.invoke(args=[kind, "import"]).exit_code == 0
    clerk = staff.headers("intake1")
    night, dust = {"topic": "URBAN.CONSTR.NIGHT", "area": "XY.HP.XF"}, {"topic": "URBAN.CONSTR.DUST", "area": "XY.HP.RM"}
    register(client, clerk, dict(complaint, title="工地扬尘严重", **dust))  # February (frozen: 2026-03-02)
    register(client, clerk, dict(complaint, title="渣土车扬尘", **dust))
    clock.advance(timedelta(days=5))
    for title in ("夜间施工噪音扰民", "工地夜间噪音", "凌晨施工噪音"):
        register(client, clerk, dict(complaint, title=title, **night))
    register(client, clerk, dict(complaint, title="工地扬尘", **dust))
    response = client.get("/api/v1/stats/hotspots?from=2026-03-03&to=2026-03-31", headers=staff.headers("analyst1"))
    assert response.status_code == 200, response.json
    hot = response.json
    assert [(t["code"], t["count"], t["previous"]) for t in hot["topics"]] == [
        ("URBAN.CONSTR.NIGHT", 3, 0), ("URBAN.CONSTR.DUST", 1, 2)]
    assert [t["code"] for t in hot["rising_topics"]] == ["URBAN.CONSTR.NIGHT"]  # dust fell from 2 to 1
    assert hot["areas"][0] == {"code": "XY.HP.XF", "name": "幸福社区", "count": 3, "previous": 0, "change": 3}
    words = {w["word"]: w["cases"] for w in hot["words"]}
    assert words.get("噪音") == 3 and "施工" in words
    api_error(client.get("/api/v1/stats/hotspots?from=2026-03-03&to=2026-03-31", headers=staff.headers("handler1")), 403)


def test_the_figures_export_to_csv_and_to_a_workbook_a_real_reader_opens(client, staff, scenario):
    import csv
    import io

    from openpyxl import load_workbook

    query = {"from": "2026-03-01", "to": "2026-06-30"}
    table = client.get("/api/v1/stats/export.csv", query_string=dict(query, table="rates"), headers=staff.headers("analyst1"))
    assert table.status_code == 200 and table.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(table.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["rate", "numerator", "denominator", "rate_value"] and ["on_time", "5", "6", "0.8333"] in rows
    book = client.get("/api/v1/stats/export.xlsx", query_string=query, headers=staff.headers("analyst1"))
    assert book.status_code == 200 and "minyi-2026-03-01-2026-06-30.xlsx" in book.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(book.data), read_only=True)
    assert workbook.sheetnames == ["counts", "rates", "trend", "ranking", "topics", "areas", "words"]
    by_week = list(workbook["trend"].iter_rows(min_row=2, values_only=True))  # 122 days: by week
    assert sum(row[2] for row in by_week) == 11 and by_week[0][:2] == ("2026-03-01", "2026-03-01")
    counts = {row[0]: row[1] for row in workbook["counts"].iter_rows(min_row=2, values_only=True)}
    assert counts["received"] == 11 and counts["open_at_end"] == 6
    ranked = list(workbook["ranking"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in ranked] == ["HOUSING", "ENV"]
    head = load_workbook(io.BytesIO(client.get("/api/v1/stats/export.xlsx", query_string=query,
                                               headers=staff.headers("head1")).data), read_only=True)
    assert [r[1] for r in head["ranking"].iter_rows(min_row=2, values_only=True)] == ["handler1"]  # a head: handlers
    api_error(client.get("/api/v1/stats/export.csv", query_string=dict(query, table="nope"),
                         headers=staff.headers("analyst1")), 422)


def test_the_figures_pages_refuse_a_date_that_is_not_one_or_is_out_of_range_saying_why(app, client, staff, deployed):
    from app.cases.people.users import create_user
    from tests.helpers import csrf_token, fresh_context_client

    create_user("analyst_p", ["analyst"], password="analyst-page-pass")
    page = fresh_context_client(app)
    page.post("/login", data={"username": "analyst_p", "password": "analyst-page-pass", "csrf_token": csrf_token(page)})
    for query, reason in (("from=2026-13-01", "YYYY-MM-DD"), ("from=2026-01-01&to=9999-12-31", "2000")):
        for path in ("/stats", "/disclosure"):
            response = page.get(f"{path}?{query}", headers={"Accept-Language": "en"})
            assert response.status_code == 422 and reason in response.get_data(as_text=True), (path, query)
    assert page.get("/stats/export.xlsx?from=2026-01-01&to=9999-12-31").status_code == 404
    assert page.get("/stats?from=2026-03-01&to=2026-03-31").status_code == 200


def test_the_petitioners_own_word_on_resolution_counts_in_the_resolution_rate(client, staff, deployed, complaint,
                                                                              frozen):
    created = register(client, staff.headers("intake1"), complaint)
    drive_to_answer(client, staff, created["number"])
    path = f"/api/v1/public/cases/{created['number']}/rating"
    bad = api_error(client.post(path, json={"access_code": created["access_code"], "score": 3, "resolved": "maybe"}), 422)
    assert "resolved" in bad["details"]
    rated = client.post(path, json={"access_code": created["access_code"], "score": 3, "resolved": False})
    assert rated.status_code == 200, rated.json
    figures = _summary(client, staff.headers("analyst1"))
    assert figures["rates"]["resolution"] == {"numerator": 0, "denominator": 1, "rate": 0.0}
    assert figures["rates"]["satisfaction"] == {"numerator": 0, "denominator": 1, "rate": 0.0}
    missed = client.get("/api/v1/stats/cases", query_string={"from": "2026-03-01", "to": "2026-06-30",
                                                             "figure": "resolution", "part": "missed"},
                        headers=staff.headers("analyst1")).json["items"]
    assert [c["number"] for c in missed] == [created["number"]]
