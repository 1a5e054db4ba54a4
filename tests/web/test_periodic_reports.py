"""Periodic reports (docs/statistics.md, "Periodic reports") on the known scenario (tests/web/conftest.py; the clock
ends on 11 May 2026): made by the command line, the API and the scheduler's job, archived once per period, the same
bytes when drawn again from the same rows, read with an independent PDF reader."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.cases.reference import local_today
from app.cases.reports.periodic.archive import generate_due
from tests.helpers import api_error


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_command_line_makes_a_month_report_once_and_drawn_again_it_is_the_same(runner, client, staff, scenario):
    made = runner.invoke(args=["reports", "generate", "--period", "2026-03"])
    assert made.exit_code == 0 and made.output.startswith("2026-03: created"), made.output
    assert runner.invoke(args=["reports", "generate", "--period", "2026-03"]).output.startswith("2026-03: kept")
    again = runner.invoke(args=["reports", "generate", "--period", "2026-03", "--again"])
    assert again.output.startswith("2026-03: unchanged"), again.output  # the same bytes from the same rows
    listed = client.get("/api/v1/reports", headers=staff.headers("leader1")).json["items"]
    assert [(r["kind"], r["period"], r["from"], r["to"]) for r in listed] == [("month", "2026-03", "2026-03-01",
                                                                               "2026-03-31")]
    pdf = client.get(f"/api/v1/reports/{listed[0]['id']}.pdf", headers=staff.headers("super1"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _text(pdf.data)
    assert "2026-03" in text and "生态环境科" in text and "住房保障科" in text  # the departments ranked
    for heading in ("办理情况", "受理渠道", "诉求类别", "热点", "办理成效", "每月一题", "与上期对比"):
        assert heading in text, heading
    html = client.get(f"/api/v1/reports/{listed[0]['id']}.html", headers=staff.headers("analyst1"))
    assert html.mimetype == "text/html" and "11 件" in html.get_data(as_text=True)  # received in March


def test_the_api_makes_quarter_and_year_reports_and_refuses_a_period_not_over_or_not_one(client, staff, scenario):
    analyst = staff.headers("analyst1")
    made = client.post("/api/v1/reports", json={"period": "2026-q1"}, headers=analyst)
    assert made.status_code == 201 and made.json["state"] == "created" and made.json["period"] == "2026-Q1"
    kept = client.post("/api/v1/reports", json={"period": "2026-Q1"}, headers=analyst)
    assert kept.status_code == 200 and kept.json["state"] == "kept" and kept.json["id"] == made.json["id"]
    year = client.post("/api/v1/reports", json={"period": "2025"}, headers=analyst)
    assert year.status_code == 201 and (year.json["from"], year.json["to"]) == ("2025-01-01", "2025-12-31")
    for bad in ("2026-13", "2026-Q5", "26-03", "1999", "March"):
        error = api_error(client.post("/api/v1/reports", json={"period": bad}, headers=analyst), 422)
        assert "period" in error["details"], bad
    assert "period" in api_error(client.post("/api/v1/reports", json={"period": "2026-05"}, headers=analyst),
                                 422)["details"]  # May is not over
    api_error(client.post("/api/v1/reports", json={"period": "2026-04"}, headers=staff.headers("leader1")), 403)
    api_error(client.get("/api/v1/reports", headers=staff.headers("handler1")), 403)
    api_error(client.get("/api/v1/reports/999.pdf", headers=analyst), 404)
    assert len(client.get("/api/v1/reports", headers=analyst).json["items"]) == 2


@pytest.mark.usefixtures("scenario")
def test_the_scheduler_makes_the_reports_of_the_periods_just_over_once(app, client, staff):
    assert generate_due(local_today()) == ["2026-04", "2026-Q1", "2025"]
    assert generate_due(local_today()) == []  # made once
    listed = client.get("/api/v1/reports", headers=staff.headers("analyst1")).json["items"]
    assert {(r["kind"], r["period"], r["generated_by"]) for r in listed} == {
        ("month", "2026-04", "scheduler"), ("quarter", "2026-Q1", "scheduler"), ("year", "2025", "scheduler")}
