"""E-mail intake against a real IMAP server (Dovecot on loopback): `minyi mail fetch` files each mail once in the
incoming queue; a clerk registers one as a case with its files, or rejects it; a mail naming a case joins it."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from app.cases.people.users import create_user
from app.extensions import db
from app.models import Attachment, Case, IncomingItem
from tests.helpers import csrf_token, fresh_context_client, register
from tests.servers.imap import ImapServer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mailbox():
    with ImapServer() as server:
        yield server


@pytest.fixture
def clerk(app, staff, deployed):
    create_user("clerk", ["intake"], None, password="a-long-enough-pass")
    page = fresh_context_client(app)
    page.post("/login", data={"username": "clerk", "password": "a-long-enough-pass", "csrf_token": csrf_token(page)})
    return page


def mail(subject: str, body: str, message_id: str, sender="王五 <wangwu@example.org>", attach: bytes | None = None,
         in_reply_to: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"], message["Message-ID"] = sender, "12345@city.example", subject, message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    if attach:
        message.add_attachment(attach, maintype="application", subtype="pdf", filename="现场照片说明.pdf")
    return message


def fetch(runner, mailbox) -> str:
    result = runner.invoke(args=["mail", "fetch", "--url", mailbox.url])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_mail_becomes_an_incoming_item_once_and_a_clerk_registers_it_with_its_file(runner, mailbox, clerk, staff):
    mailbox.deliver(mail("楼下餐馆油烟扰民", "解放大街12号楼下餐馆油烟很大，已持续一个月。", "<a1@example.org>", attach=PDF))
    assert fetch(runner, mailbox).startswith("1 new")
    mailbox.deliver(mail("楼下餐馆油烟扰民", "解放大街12号楼下餐馆油烟很大，已持续一个月。", "<a1@example.org>", attach=PDF))
    assert "1 seen before" in fetch(runner, mailbox)  # the same Message-ID again: filed once
    assert b"\\Seen" in b" ".join(mailbox.flags())
    [item] = db.session.scalars(select(IncomingItem)).all()

    queue = clerk.get("/incoming").get_data(as_text=True)
    assert "楼下餐馆油烟扰民" in queue
    page = clerk.get(f"/incoming/{item.id}").get_data(as_text=True)
    assert 'value="楼下餐馆油烟扰民"' in page and 'value="wangwu@example.org"' in page and "现场照片说明.pdf" in page
    token = csrf_token(clerk, f"/incoming/{item.id}")
    form = {"category": "complaint", "channel": "email", "title": "楼下餐馆油烟扰民", "description": item.body,
            "petitioner_name": "王五", "petitioner_email": "wangwu@example.org", "notify_by": "email", "csrf_token": token}
    done = clerk.post(f"/incoming/{item.id}/register", data=form)
    number = re.search(r'id="new-number">(\d+)<', done.get_data(as_text=True)).group(1)
    case = db.session.scalar(select(Case).where(Case.number == number))
    assert case.channel == "email" and case.petitioner.email == "wangwu@example.org"
    [pdf] = db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
    assert pdf.filename == "现场照片说明.pdf" and pdf.content_type == "application/pdf"
    db.session.refresh(item)
    assert item.state == "registered" and item.case_id == case.id and item.decided_by == "clerk"
    again = clerk.post(f"/incoming/{item.id}/register", data=form, follow_redirects=True)
    assert "已处理" in again.get_data(as_text=True) and db.session.query(Case).count() == 1


def test_a_reply_naming_the_case_joins_it_as_a_message_from_the_petitioner(client, runner, mailbox, clerk, staff, complaint):
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner={"name": "张三", "email": "zs@example.org"}))
    number = case["number"]
    mailbox.deliver(mail(f"回复：关于诉求 {number} 的补充", "施工时间改到凌晨了，情况更严重。", "<r1@example.org>",
                         sender="张三 <zs@example.org>", attach=PDF))
    case_id = db.session.scalar(select(Case.id).where(Case.number == number))
    mailbox.deliver(mail("Re: 受理告知书", "谢谢。", "<r2@example.org>", in_reply_to=f"<minyi.7.{case_id}@localhost>"))
    mailbox.deliver(mail("Re: 受理告知书", "好的。", "<r3@example.org>", sender="张三 <zs@example.org>",
                         in_reply_to=f"<minyi.8.{case_id}@localhost>"))
    out = fetch(runner, mailbox)
    assert out.startswith("1 new") and "2 joined" in out  # anyone can type a number: only the petitioner's own joins
    items = db.session.scalars(select(IncomingItem).order_by(IncomingItem.id)).all()
    assert [i.state for i in items] == ["attached", "new", "attached"]
    assert number in items[1].note and items[1].case_id is None
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=staff.headers("super1")).json["items"]
    joined = [e for e in timeline if e["action"] == "case.petitioner_message"]
    assert [e["details"]["subject"] for e in joined] == [f"回复：关于诉求 {number} 的补充", "Re: 受理告知书"]
    html = clerk.get(f"/cases/{number}").get_data(as_text=True)
    assert "施工时间改到凌晨了" in html and "信访人来信" in html


def test_a_clerk_rejects_spam_with_a_reason(runner, mailbox, clerk, staff):
    mailbox.deliver(mail("发票代开", "<b>代开发票</b>", "<s1@spam.example>", sender="spam@spam.example"))
    fetch(runner, mailbox)
    item = db.session.scalar(select(IncomingItem))
    token = csrf_token(clerk, f"/incoming/{item.id}")
    clerk.post(f"/incoming/{item.id}/reject", data={"reason": "spam", "csrf_token": token})
    db.session.refresh(item)
    assert item.state == "rejected" and item.reason == "spam"
    assert "发票代开" not in clerk.get("/incoming").get_data(as_text=True)
    assert "发票代开" in clerk.get("/incoming?state=rejected").get_data(as_text=True)


def test_the_api_lists_registers_and_refuses_a_bad_reason(client, runner, mailbox, staff, deployed):
    mailbox.deliver(mail("路灯不亮", "幸福路路灯不亮。", "<api1@example.org>"))
    fetch(runner, mailbox)
    listed = client.get("/api/v1/incoming", headers=staff.headers("intake1"))
    assert listed.status_code == 200 and [i["subject"] for i in listed.json["items"]] == ["路灯不亮"]
    item_id = listed.json["items"][0]["id"]
    assert client.get("/api/v1/incoming", headers=staff.headers("handler1")).status_code == 403
    bad = client.post(f"/api/v1/incoming/{item_id}/reject", headers=staff.headers("intake1"), json={"reason": "boring"})
    assert bad.status_code == 422
    made = client.post(f"/api/v1/incoming/{item_id}/register", headers=staff.headers("intake1"), json={
        "category": "help", "channel": "email", "title": "路灯不亮", "description": "幸福路路灯不亮。",
        "petitioner": {"name": "赵六", "email": "zl@example.org"}})
    assert made.status_code == 201 and made.json["access_code"]


def test_a_mail_the_parser_cannot_read_is_filed_and_the_next_ones_still_come(runner, mailbox, staff):
    with __import__("imaplib").IMAP4("127.0.0.1", mailbox.port) as client:
        client.login("intake@example.org", "mail-secret")
        client.append("INBOX", "", None, b"From: x@example.org\r\nMessage-ID: <>\r\nSubject: =?utf-8?q?a=00b?=\r\n\r\nh\x00i\r\n")
    mailbox.deliver(mail("路灯不亮", "幸福路路灯不亮。", "<after@example.org>"))
    assert fetch(runner, mailbox).startswith("2 new")
    subjects = [i.subject for i in db.session.scalars(select(IncomingItem).order_by(IncomingItem.id))]
    assert subjects == ["ab", "路灯不亮"]


def test_a_mailbox_that_refuses_the_login_is_a_clear_error(runner, mailbox):
    result = runner.invoke(args=["mail", "fetch", "--url", mailbox.url.replace("mail-secret", "wrong")])
    assert result.exit_code != 0 and "IMAP" in result.output
