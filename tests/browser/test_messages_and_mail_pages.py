"""The pages of the messages and the e-mail queue in a real browser, in Chinese and English, on a desktop and a
phone: an administrator reads what left and rewords a message, a clerk registers a mail from the queue, a
petitioner rates through the link in the answer's message and sees the messages on /track."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect

from app.cases.people.users import create_user
from tests.browser import pages
from tests.browser.pages import DESKTOP, PHONE, in_english, shot
from tests.helpers import drive_to_answer, register
from tests.servers.imap import ImapServer

pytestmark = pytest.mark.browser



def _deliver(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["messages", "deliver"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def mail_dir(app, tmp_path):
    saved = app.config["MINYI_MAIL_DIR"]
    app.config["MINYI_MAIL_DIR"] = str(tmp_path / "mail")
    yield
    app.config["MINYI_MAIL_DIR"] = saved


def test_an_administrator_reads_the_messages_and_rewords_one(browser, live_server, app, client, staff, deployed,
                                                              complaint, tmp_path, mail_dir):
    create_user("boss", ["admin"], password="admin-demo-pass", display_name="管理员")
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner={"name": "张三", "email": "zs@example.org"}))
    drive_to_answer(client, staff, case["number"])
    _deliver(app)
    for locale, size, label in (("zh-CN", DESKTOP, "zh-desktop"), ("zh-CN", PHONE, "zh-phone")):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "boss", "admin-demo-pass")
        page.get_by_role("link", name="消息").click()
        expect(page.locator("#messages tr[data-status=sent]")).to_have_count(4)
        page.locator("#messages summary").first.click()
        shot(page, tmp_path, f"messages-{label}")
        page.get_by_role("link", name="消息措辞").click()
        expect(page).to_have_url(re.compile(r"/messages/templates$"))
        shot(page, tmp_path, f"templates-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "boss", "admin-demo-pass")
    page.goto(live_server + "/messages/templates/answered/email/zh")
    page.get_by_label("正文").fill("{{ nothing_like_this }}")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#body-error")).to_be_visible()
    shot(page, tmp_path, "template-refused-zh")
    in_english(page)
    page.goto(live_server + "/messages")
    shot(page, tmp_path, "messages-en-desktop")
    context.close()


def test_the_petitioner_rates_from_the_link_and_sees_the_messages(browser, live_server, app, client, staff, deployed,
                                                                   complaint, tmp_path, mail_dir):
    case = register(client, staff.headers("intake1"), dict(complaint, petitioner={"name": "张三", "email": "zs@example.org"}))
    drive_to_answer(client, staff, case["number"])
    _deliver(app)
    import mailbox

    [answer] = [m for m in mailbox.Maildir(app.config["MINYI_MAIL_DIR"], create=False) if m["X-Minyi-Kind"] == "answered"]
    link = re.search(r"/rate/[\w-]+", answer.get_payload(decode=True).decode()).group(0)  # as the petitioner got it
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(live_server + link)
    shot(page, tmp_path, "rate-phone-zh")
    page.get_by_label("4 满意").check()
    page.get_by_label("已解决", exact=True).check()  # their own word on the resolution: counted in the figures
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#done")).to_be_visible()
    figures = client.get("/api/v1/stats/summary", query_string={"from": "2026-01-01", "to": "2026-12-31"},
                         headers=staff.headers("analyst1")).json
    assert figures["rates"]["resolution"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    shot(page, tmp_path, "rated-phone-zh")
    page.goto(f"{live_server}/track")
    page.get_by_label("诉求编号").fill(case["number"])
    page.get_by_label("查询码").fill(case["access_code"])
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator("#messages li").first).to_be_visible()
    assert page.locator("#messages li").count() >= 4
    page.locator("#messages summary").first.click()
    shot(page, tmp_path, "track-messages-phone-zh")
    context.close()


def test_a_clerk_registers_a_mail_from_the_queue(browser, live_server, app, staff, deployed, tmp_path):
    create_user("clerk", ["intake"], password="clerk-demo-pass", display_name="王受理")
    with ImapServer() as mailbox:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "王五 <wangwu@example.org>", "12345@city.example", "楼下餐馆油烟扰民"
        mail["Message-ID"] = "<browser-1@example.org>"
        mail.set_content("解放大街12号楼下餐馆油烟很大，已持续一个月，请有关部门处理。")
        mailbox.deliver(mail)
        assert app.test_cli_runner().invoke(args=["mail", "fetch", "--url", mailbox.url]).exit_code == 0
    for locale, size, label in (("zh-CN", DESKTOP, "zh-desktop"), ("zh-CN", PHONE, "zh-phone")):
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        pages.sign_in(page, live_server, "clerk", "clerk-demo-pass")
        page.get_by_role("link", name="来信处理").click()
        expect(page).to_have_url(re.compile(r"/incoming$"))
        shot(page, tmp_path, f"incoming-{label}")
        page.get_by_role("link", name="楼下餐馆油烟扰民").click()
        expect(page).to_have_url(re.compile(r"/incoming/[^/?]+$"))
        shot(page, tmp_path, f"incoming-item-{label}")
        context.close()
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    pages.sign_in(page, live_server, "clerk", "clerk-demo-pass")
    page.goto(live_server + "/incoming")
    page.get_by_role("link", name="楼下餐馆油烟扰民").click()
    page.get_by_label("类别").select_option("complaint")
    page.get_by_role("button", name="登记", exact=True).click()
    assert re.fullmatch(r"\d{14}", page.locator("#new-number").inner_text())
    shot(page, tmp_path, "incoming-registered-zh")
    context.close()
