"""A petitioner looks their case up in a real browser."""

import pytest

from tests.helpers import ANSWER, drive_to_answer, register

pytestmark = pytest.mark.browser


def look_up(page, number, code):
    page.get_by_label("诉求编号").fill(number)
    page.get_by_label("查询码").fill(code)
    with page.expect_navigation():  # the answer is a new page, also when it says what the page before said
        page.get_by_role("button", name="查询", exact=True).click()


def test_a_petitioner_tracks_their_answered_case(live_server, page, client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    drive_to_answer(client, staff, case["number"])

    page.goto(live_server + "/")
    page.get_by_role("link", name="查询我的诉求").click()
    look_up(page, case["number"], case["access_code"])

    assert page.locator("#status").get_attribute("data-status") == "answered"
    assert page.locator("#status").inner_text() == "已答复"
    assert page.locator("#answer").inner_text() == ANSWER["answer"]
    assert "张三" not in page.content() and case["access_code"] not in page.url


def test_a_wrong_access_code_shows_the_same_message_as_a_wrong_number(live_server, page, client, staff, deployed, complaint):
    case = register(client, staff.headers("intake1"), complaint)
    page.goto(f"{live_server}/track")
    look_up(page, case["number"], "WRONG123")
    wrong_code = page.get_by_role("alert").inner_text()
    look_up(page, "19990101000001", case["access_code"])
    assert page.get_by_role("alert").inner_text() == wrong_code
    assert page.locator("#case").count() == 0
