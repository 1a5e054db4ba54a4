"""The next person sees the work before theirs: the case page's work record and the task page's, each step with who,
when and every value it submitted, labelled as its form labels them (choices by their labels); personal fields are
masked for those who may not see the petitioner."""

from __future__ import annotations

import re

from app.cases.people.users import create_user
from tests.helpers import INVESTIGATION, TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"


def _page_client(app, username, role, department=None):
    create_user(username, [role], department, password=PASSWORD, display_name=f"{username}名")
    client = fresh_context_client(app)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)})
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_heads_task_page_shows_the_investigation_and_the_triage_with_their_labels(app, client, staff, deployed,
                                                                                     complaint):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, major=True))
    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    review = open_task(client, staff.headers("head1"), number)
    head = _page_client(app, "head_page", "head", "ENV")
    html = head.get(f"/tasks/{review['id']}").get_data(as_text=True)
    record = _text(html[html.index('id="work-record"'):])
    # the investigation, latest, open: its three values under the form's labels
    for label, value in (("查明事实", INVESTIGATION["facts"]), ("责任认定", INVESTIGATION["responsibility"]),
                         ("处理措施", INVESTIGATION["measures"])):
        assert f"{label} {value}" in record
    # the triage: a choice by its label, a department by its name, a flag as a word
    assert "受理意见 受理" in record and "生态环境科" in record and "是" in record
    assert "accept" not in record and "ENV" not in record
    assert html.count("<details") == 2 and html.count("<details open") == 1  # folded, but for the latest


def test_the_case_page_record_masks_personal_fields_for_who_may_not_see_the_petitioner(app, client, staff, deployed):
    dispute = {"category": "dispute", "channel": "visit", "title": "邻里漏水纠纷", "description": "楼上漏水，协商未果。",
               "petitioner": {"name": "王芳", "phone": "13800000001"}}
    number = register(client, staff.headers("intake1"), dispute)["number"]
    complete(client, staff.headers("intake1"), number, {"triage_decision": "accept", "party_a_name": "周某某",
                                                         "party_b_name": "吴某某"})
    analyst = _page_client(app, "ana_page", "analyst")
    seen_by_analyst = _text(analyst.get(f"/cases/{number}").get_data(as_text=True))
    assert "周某某" not in seen_by_analyst and "***" in seen_by_analyst
    supervisor = _page_client(app, "sup_page", "supervisor")
    assert "周某某" in _text(supervisor.get(f"/cases/{number}").get_data(as_text=True))
