"""Appeals against counting (申诉) on the pages: the head of the case's department files one from the case page, a
supervisor decides it on the figures page, and the figures follow; a bad request is refused saying why."""

from __future__ import annotations

from app.cases.people.users import create_user
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, register
from tests.web.workbench_helpers import PASSWORD, sign_in


def _page_client(app, username: str):
    client = fresh_context_client(app)
    sign_in(client, username)
    return client


def test_a_head_appeals_from_the_case_page_and_a_supervisor_upholds_it_on_the_figures_page(app, client, staff, deployed,
                                                                                           complaint, runner):
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, dict(TRIAGE_ACCEPT, department="ENV"))
    create_user("envhead", ["head"], "ENV", password=PASSWORD, display_name="孙科长")
    create_user("chief", ["supervisor"], password=PASSWORD, display_name="李督办")
    head = _page_client(app, "envhead")
    page = head.get(f"/cases/{number}").get_data(as_text=True)
    assert 'id="appeal-counting"' in page
    token = csrf_token(head, f"/cases/{number}")
    empty = head.post(f"/cases/{number}/counting-appeal", data={"reason": "  ", "csrf_token": token},
                      follow_redirects=True).get_data(as_text=True)
    assert "申诉未提交" in empty  # a reason is required: nothing filed
    filed = head.post(f"/cases/{number}/counting-appeal", data={"reason": "属住房保障科职责，派错", "csrf_token": token},
                      follow_redirects=True).get_data(as_text=True)
    assert "已转督办人员" in filed
    assert head.post(f"/cases/{number}/counting-appeal", data={"reason": "再次申诉", "csrf_token": token},
                     follow_redirects=True).status_code == 200  # a second one is refused with the reason shown

    chief = _page_client(app, "chief")
    stats = chief.get("/stats?from=2026-01-01&to=2026-12-31").get_data(as_text=True)
    assert "属住房保障科职责，派错" in stats and 'id="appeals"' in stats
    appeal_id = client.get("/api/v1/stats/appeals", headers=staff.headers("super1")).json["items"][0]["id"]
    token = csrf_token(chief, "/stats")
    assert "选择" in chief.post(f"/stats/appeals/{appeal_id}/decision", data={"decision": "同意", "csrf_token": token},
                              follow_redirects=True).get_data(as_text=True)  # neither upheld nor rejected
    decided = chief.post(f"/stats/appeals/{appeal_id}/decision",
                         data={"decision": "经核实派单有误", "upheld": "1", "csrf_token": token}, follow_redirects=True)
    assert "不再计入" in decided.get_data(as_text=True)
    assert runner.invoke(args=["stats", "fold"]).exit_code == 0
    env = client.get("/api/v1/stats/summary", query_string={"from": "2026-01-01", "to": "2026-12-31",
                                                            "department": "ENV"}, headers=staff.headers("analyst1"))
    assert env.json["counts"]["received"] == 0  # the case left ENV's figures
    other = _page_client(app, "envhead")
    assert 'id="appeal-counting"' in other.get(f"/cases/{number}").get_data(as_text=True)
    assert other.post(f"/stats/appeals/{appeal_id}/decision", data={"upheld": "0", "decision": "x",
                                                                    "csrf_token": token}).status_code in (400, 403)
