"""The public disclosure page in a real browser: the figures of a period in tables beside their totals, Chinese and
English, a desktop and a phone; no name or phone on it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SCREENS, in_english, shot
from tests.helpers import TRIAGE_ACCEPT, complete, register

pytestmark = pytest.mark.browser


def test_the_public_reads_the_published_figures(browser, live_server, client, staff, deployed, complaint, tmp_path):
    for i in range(6):
        number = register(client, staff.headers("intake1"), dict(complaint, title=f"诉求{i}"))["number"]
        if i < 5:
            complete(client, staff.headers("intake1"), number, TRIAGE_ACCEPT)
    default = client.get("/api/v1/public/stats").json["period"]  # the last twelve whole months
    first, last = (date.fromisoformat(default[k]) for k in ("from", "to"))
    assert first.day == 1 and (last + timedelta(days=1)).day == 1 and (last - first).days in (364, 365)
    for locale, size, label in SCREENS:
        context = browser.new_context(locale=locale, **size)
        page = context.new_page()
        page.goto(live_server + "/")
        if locale.startswith("en"):
            in_english(page)
        page.get_by_role("link", name="统计数据公开" if locale.startswith("zh") else "Published figures").click()
        page.get_by_label("起始日期" if locale.startswith("zh") else "Period from").fill("2026-01-01")
        page.get_by_label("截止日期" if locale.startswith("zh") else "Period to").fill("2026-12-31")
        page.get_by_role("button", name="查询" if locale.startswith("zh") else "Show these figures").click()
        expect(page).to_have_url(re.compile(r"from=2026-01-01"))
        totals = page.locator("#totals").inner_text()
        assert "6" in totals
        body = page.locator("main").inner_text()
        assert "生态环境科" in page.locator("#by-department").inner_text() and "张三" not in body and "13812345678" not in body
        shot(page, tmp_path, f"disclosure-{label}")
        context.close()
