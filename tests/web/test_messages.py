"""Messages to petitioners, delivered from the outbox to a real SMTP server (aiosmtpd) and a real HTTP SMS gateway
on loopback, or to the local mail folder when neither is configured: one at each legal moment, never twice,
retried, dead-lettered visibly and sent again by an administrator."""

from __future__ import annotations

import mailbox
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.cases.messages.delivery_states import claim_due
from app.cases.people.users import create_user
from app.extensions import db
from app.models import OutboxMessage
from tests.helpers import TRIAGE_ACCEPT, complete, csrf_token, fresh_context_client, register
from tests.servers.sms_gateway import SmsGateway
from tests.servers.smtp import SmtpServer

BY_EMAIL = {"name": "张三", "email": "zhangsan@example.org", "phone": "13812345678", "notify_by": "email"}


@pytest.fixture
def configured(app, tmp_path):
    """Restores the message settings a test changes; a mail folder of the test's own."""
    keys = ("MINYI_SMTP_URL", "MINYI_SMS_URL", "MINYI_MESSAGE_ATTEMPTS", "MINYI_MESSAGE_RETRY_SECONDS", "MINYI_MAIL_DIR")
    saved = {k: app.config[k] for k in keys}
    app.config["MINYI_MAIL_DIR"] = str(tmp_path / "mail")
    yield app.config
    app.config.update(saved)


@pytest.fixture(autouse=True)
def _admin(staff):
    staff.add("admin1", "admin")


def _admin_page(app):
    create_user("admin2", ["admin"], None, password="a-long-enough-pass")
    page = fresh_context_client(app)
    page.post("/login", data={"username": "admin2", "password": "a-long-enough-pass", "csrf_token": csrf_token(page)})
    return page


@pytest.fixture
def smtp(configured):
    with SmtpServer() as server:
        configured["MINYI_SMTP_URL"] = server.url
        yield server


def deliver(runner) -> str:
    result = runner.invoke(args=["messages", "deliver"])
    assert result.exit_code == 0, result.output
    return result.output


def _kinds(received) -> list[str]:
    return [m["X-Minyi-Kind"] for m in received]


def _body(message) -> str:
    return message.get_content()


def _timeline(client, staff, number) -> list[dict]:
    return client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]


def test_the_petitioner_is_told_at_each_moment_by_email_once_each(client, runner, staff, deployed, complaint, smtp):
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))
    number = case["number"]
    assert "1 sent" in deliver(runner)
    [receipt] = smtp.received
    assert receipt["To"] == "zhangsan@example.org" and number in receipt["Subject"]
    assert case["access_code"] in _body(receipt) and "登记" in _body(receipt)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日前书面告知是否受理", _body(receipt))
    stored = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "receipt"))
    assert case["access_code"] not in stored.body and stored.secret is None  # the code does not stay in the database

    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    deliver(runner)
    assert _kinds(smtp.received) == ["receipt", "accepted", "routed"]
    assert "生态环境科" in _body(smtp.received[2])

    drive_to_answer_from_investigation(client, staff, number)
    deliver(runner)
    assert _kinds(smtp.received)[-1] == "answered"
    answer = _body(smtp.received[-1])
    assert "已责令施工单位停止夜间施工" in answer and "复查" in answer
    link = re.search(r"http://127\.0\.0\.1:5000(/rate/[\w-]+)", answer).group(1)

    assert "0 sent" in deliver(runner)  # nothing is sent twice
    assert len(smtp.received) == 4

    page = fresh_context_client(client.application)
    shown = page.get(link)  # following the link (a mail scanner does) records nothing
    assert shown.status_code == 200 and "已责令施工单位停止夜间施工" in shown.get_data(as_text=True)
    assert client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json["status"] == "answered"
    token = csrf_token(page, link)
    assert page.post(link, data={"score": "9", "csrf_token": token}).status_code == 422
    rated = page.post(link, data={"score": "4", "comment": "还算及时", "csrf_token": token})
    assert rated.status_code == 200 and 'id="done"' in rated.get_data(as_text=True)
    again = page.post(link, data={"score": "1", "csrf_token": token})
    assert again.status_code == 410
    detail = client.get(f"/api/v1/cases/{number}", headers=staff.headers("super1")).json
    assert detail["status"] == "closed" and detail["satisfaction"] == 4

    deliver(runner)
    assert _kinds(smtp.received)[-1] == "closed"
    sent = [e for e in _timeline(client, staff, number) if e["action"] == "message.sent"]
    assert [e["details"]["kind"] for e in sent] == ["receipt", "accepted", "routed", "answered", "closed"]

    tracked = page.post("/track", data={"number": number, "access_code": case["access_code"],
                                        "csrf_token": csrf_token(page, "/track")}).get_data(as_text=True)
    assert 'id="messages"' in tracked and tracked.count("<li><details>") == 5


def drive_to_answer_from_investigation(client, staff, number):
    from tests.helpers import ANSWER, APPROVE, INVESTIGATION

    complete(client, staff.headers("handler1"), number, INVESTIGATION)
    complete(client, staff.headers("head1"), number, APPROVE)
    complete(client, staff.headers("handler1"), number, ANSWER)


def test_a_refusing_smtp_server_leaves_messages_retrying_then_dead_and_an_admin_sends_one_again(
        client, runner, staff, deployed, complaint, smtp, configured):
    configured["MINYI_MESSAGE_ATTEMPTS"], configured["MINYI_MESSAGE_RETRY_SECONDS"] = 3, 60
    smtp.collector.refuse = True
    number = register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))["number"]
    assert "1 failed" in deliver(runner)
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "pending" and row.attempts == 1 and "451" in row.last_error
    assert "0 failed" in deliver(runner)  # not before its pause (60 s, then 120 s)
    clock.advance(timedelta(seconds=70))  # the pause runs from when the attempt failed: a margin for a slow machine
    assert "1 failed" in deliver(runner)
    clock.advance(timedelta(seconds=130))
    assert "1 failed" in deliver(runner)
    db.session.refresh(row)
    assert row.status == "dead" and row.attempts == 3
    assert "message.failed" in [e["action"] for e in _timeline(client, staff, number)]
    listed = client.get("/api/v1/messages?status=dead", headers=staff.headers("admin1"))
    assert listed.status_code == 200 and [m["id"] for m in listed.json["items"]] == [row.id]
    assert client.get("/api/v1/messages", headers=staff.headers("handler1")).status_code == 403

    smtp.collector.refuse = False
    retried = client.post(f"/api/v1/messages/{row.id}/retry", headers=staff.headers("admin1"))
    assert retried.status_code == 200 and retried.json["status"] == "pending"
    again = client.post(f"/api/v1/messages/{row.id}/retry", headers=staff.headers("admin1"))
    assert again.status_code == 409
    deliver(runner)
    deliver(runner)
    assert _kinds(smtp.received) == ["receipt"]
    assert client.post(f"/api/v1/messages/{row.id}/retry", headers=staff.headers("admin1")).status_code == 409


def test_a_sender_stopped_mid_send_leaves_the_message_uncertain_never_sent_again_by_itself(
        client, runner, staff, deployed, complaint, smtp):
    register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))
    [taken] = claim_due()  # a sender takes it (committed as sending) and dies before it knows
    assert "0 sent" in deliver(runner)
    clock.advance(timedelta(hours=1))
    assert "1 uncertain" in deliver(runner)
    assert smtp.received == []
    row = db.session.get(OutboxMessage, taken.id)
    db.session.refresh(row)
    assert row.status == "uncertain"
    assert client.post(f"/api/v1/messages/{row.id}/retry", headers=staff.headers("admin1")).status_code == 200
    deliver(runner)
    assert _kinds(smtp.received) == ["receipt"]


def test_an_sms_goes_to_the_gateway_as_json(client, runner, staff, deployed, complaint, configured):
    with SmsGateway() as gateway:
        configured["MINYI_SMS_URL"] = gateway.url
        case = register(client, staff.headers("intake1"), complaint)  # a phone only: told by SMS
        deliver(runner)
        [sms] = gateway.received
        assert sms["to"] == complaint["petitioner"]["phone"] and case["access_code"] in sms["text"]
        assert sms["reference"].startswith("minyi-") and sms["language"] == "zh"
        gateway.refuse = True
        complete(client, staff.headers("intake1"), case["number"], TRIAGE_ACCEPT)
        assert "2 failed" in deliver(runner)


def test_without_transports_messages_land_in_the_mail_folder_and_on_the_admins_page(
        app, client, runner, staff, deployed, complaint, configured):
    number = register(client, staff.headers("intake1"), dict(complaint, petitioner=dict(BY_EMAIL, language="en")))["number"]
    deliver(runner)
    [mail] = list(mailbox.Maildir(app.config["MINYI_MAIL_DIR"], create=False))
    assert mail["To"] == "zhangsan@example.org" and mail["Subject"] == f"Your appeal is registered (number {number})"
    page = _admin_page(app)
    html = page.get("/messages").get_data(as_text=True)
    assert number in html and app.config["MINYI_MAIL_DIR"] in html and 'data-status="sent"' in html


def test_nobody_is_told_who_asked_for_no_messages_or_stayed_anonymous(client, runner, staff, deployed, complaint, smtp):
    register(client, staff.headers("intake1"), dict(complaint, petitioner=dict(BY_EMAIL, notify_by="none")))
    register(client, staff.headers("intake1"), dict(complaint, petitioner={"anonymous": True, "email": "a@example.org"}))
    deliver(runner)
    assert smtp.received == [] and db.session.query(OutboxMessage).count() == 0


def test_a_wish_for_messages_without_the_address_is_refused(client, staff, deployed, complaint):
    response = client.post("/api/v1/cases", headers=staff.headers("intake1"),
                           json=dict(complaint, petitioner={"name": "张三", "phone": "138", "notify_by": "email"}))
    assert response.status_code == 422
    assert "email" in response.json["error"]["details"]["petitioner"]


def test_an_admin_rewords_a_message_and_a_template_that_does_not_render_is_refused(
        app, client, runner, staff, deployed, complaint, smtp):
    page = _admin_page(app)
    url = "/messages/templates/receipt/email/zh"
    token = csrf_token(page, url)
    bad = page.post(url, data={"subject": "登记 {{ number }}", "body": "{{ no_such_fact }}", "csrf_token": token,
                               "action": "save"})
    assert bad.status_code == 422 and "no_such_fact" in bad.get_data(as_text=True)
    good = page.post(url, data={"subject": "已登记：{{ number }}", "body": "编号{{ number }}，查询码{{ access_code }}。",
                                "csrf_token": token, "action": "save"})
    assert good.status_code == 302
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))
    deliver(runner)
    [receipt] = smtp.received
    assert receipt["Subject"] == f"已登记：{case['number']}"
    assert _body(receipt).strip() == f"编号{case['number']}，查询码{case['access_code']}。"


def test_staff_who_asked_get_their_notifications_by_email_too(app, client, runner, staff, deployed, complaint, smtp):
    from tests.helpers import open_task

    result = runner.invoke(args=["users", "email", "handler1", "handler1@env.example.org"])
    assert result.exit_code == 0 and "on" in result.output
    number = register(client, staff.headers("intake1"), complaint)["number"]
    complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    task = open_task(client, staff.headers("handler1"), number)
    issued = client.post("/api/v1/notices", headers=staff.headers("super1"), json={
        "case_number": number, "task_id": task["id"], "message": "请三日内回复进展", "reply_by": "2099-01-01T00:00:00+08:00"})
    assert issued.status_code == 201, issued.json
    deliver(runner)
    staff_mail = [m for m in smtp.received if m["To"] == "handler1@env.example.org"]
    assert len(staff_mail) == 1 and "请三日内回复进展" in _body(staff_mail[0])
    assert "/notifications" in _body(staff_mail[0])
    assert all(e["action"] != "message.sent" or e["details"]["kind"] != "staff" for e in _timeline(client, staff, number))

    page = _admin_page(app)
    token = csrf_token(page, "/notifications")
    refused = page.post("/notifications/email", data={"email": "not-mail", "wanted": "yes", "csrf_token": token},
                        follow_redirects=True)
    assert 'class="error"' in refused.get_data(as_text=True)
    page.post("/notifications/email", data={"email": "admin2@example.org", "wanted": "yes", "csrf_token": token})
    assert 'value="admin2@example.org"' in page.get("/notifications").get_data(as_text=True)


def test_a_non_acceptance_and_an_extension_are_told_with_their_reasons(client, runner, staff, deployed, complaint, smtp):
    from tests.helpers import INVESTIGATION

    refused = register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))["number"]
    complete(client, staff.headers("intake1"), refused,
             {"triage_decision": "reject", "reject_reason": "不属于本单位受理范围，请向法院起诉"})
    extended = register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))["number"]
    complete(client, staff.headers("intake1"), extended, TRIAGE_ACCEPT)
    complete(client, staff.headers("handler1"), extended, INVESTIGATION)
    complete(client, staff.headers("head1"), extended,
             {"head_decision": "approve", "extension_days": 30, "extension_reason": "需现场检测，检测周期较长"})
    deliver(runner)
    by_case = {}
    for message in smtp.received:
        by_case.setdefault(re.search(r"\d{14}", message["Subject"]).group(0), []).append(message)
    assert _kinds(by_case[refused]) == ["receipt", "not_accepted"]
    assert "不属于本单位受理范围" in _body(by_case[refused][1])
    assert _kinds(by_case[extended])[-1] == "extended"
    assert "需现场检测" in _body(by_case[extended][-1]) and "延长至" in _body(by_case[extended][-1])


def test_two_senders_at_once_take_disjoint_messages(app, client, staff, deployed, complaint):
    from tests.helpers import in_threads

    for _ in range(6):
        register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))
    taken = in_threads(app, 2, lambda i: [m.id for m in claim_due(limit=6)])
    ids = [i for result in taken if isinstance(result, list) for i in result]
    assert len(ids) == len(set(ids))  # none taken twice
    # all six taken, unless SQLite told the second sender the database was busy (a conflict, retried next round)
    assert len(ids) == 6 or any(not isinstance(result, list) for result in taken), taken


def test_a_message_that_stays_unsent_keeps_its_secrets_from_staff(client, runner, staff, deployed, complaint, smtp):
    smtp.collector.refuse = True
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner=BY_EMAIL))
    deliver(runner)
    listed = client.get("/api/v1/messages", headers=staff.headers("admin1")).json["items"]
    assert listed[0]["status"] == "pending" and case["access_code"] not in listed[0]["body"]
