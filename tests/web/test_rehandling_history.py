"""A re-handled case keeps its history: the petitioner reads the first answer, their rating and comment, and then the
new answer; the handler of the re-handling is told it is one, with the rating and the earlier answer."""

from __future__ import annotations

from app.cases.people.users import create_user
from tests.helpers import ANSWER, INVESTIGATION, complete, csrf_token, drive_to_answer, fresh_context_client, open_task, register

PASSWORD = "a-long-enough-pass"
SECOND = {"answer": "已约谈施工单位负责人，夜间施工已停止，城管每晚巡查。", "feedback_channel": "phone"}


def test_the_first_answer_the_rating_and_the_new_answer_stay_visible(app, client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    number, code = case["number"], case["access_code"]
    drive_to_answer(client, staff, number)
    client.post(f"/api/v1/public/cases/{number}/rating", json={"access_code": code, "score": 1, "comment": "还在施工"})

    public = client.get(f"/api/v1/public/cases/{number}?access_code={code}").json
    assert public["status"] == "handling" and public["answer"] == ANSWER["answer"]
    assert [(h["kind"], h.get("answer"), h.get("score"), h.get("comment")) for h in public["history"]] == [
        ("answer", ANSWER["answer"], None, None), ("rating", None, 1, "还在施工")]
    page = client.post("/track", data={"number": number, "access_code": code, "csrf_token": csrf_token(client, "/track")})
    html = page.get_data(as_text=True)
    assert ANSWER["answer"] in html and "还在施工" in html and 'id="rehandling"' in html

    rework = open_task(client, staff.headers("handler1"), number)
    create_user("env_page", ["handler"], "ENV", password=PASSWORD)
    handler = fresh_context_client(app)
    handler.post("/login", data={"username": "env_page", "password": PASSWORD, "csrf_token": csrf_token(handler)})
    task_page = handler.get(f"/tasks/{rework['id']}").get_data(as_text=True)
    banner = task_page[task_page.index('id="rehandling"'):task_page.index("</div>", task_page.index('id="rehandling"'))]
    assert "本件为重新办理" in banner and "1 / 5" in banner and "还在施工" in banner and ANSWER["answer"] in banner

    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, {"head_decision": "approve"})
    complete(client, staff.headers("handler1"), number, SECOND)
    public = client.get(f"/api/v1/public/cases/{number}?access_code={code}").json
    assert public["answer"] == SECOND["answer"]
    assert [h["kind"] for h in public["history"]] == ["answer", "rating", "answer"]
    assert public["history"][2]["answer"] == SECOND["answer"]
