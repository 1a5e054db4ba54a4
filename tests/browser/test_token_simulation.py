"""The token simulation in the workbench's modeler (bpmn-js-token-simulation), clicked through in a real
browser the way a process owner tries a diagram: switch it on (by keyboard too), start a token, pick a
gateway's way, read the log — in Chinese on a Chinese page, and nothing in the diagram changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import shot

pytestmark = pytest.mark.browser

# what the package writes in English, which a Chinese page must not show
ENGLISH = ("Token Simulation", "Simulation Log", "No Entries", "Process started", "Process finished",
           "Finished", "Trigger Event", "Set Sequence Flow", "pause point", "Reset Simulation",
           "Play/Pause", "animation speed")


def controls_text(page) -> str:
    """Every text, title and label of the simulation's own controls (not the diagram's names)."""
    return page.evaluate("""() => [...document.querySelectorAll('#canvas [class*="bts-"]')]
        .filter((e) => !e.closest('.bts-log .bts-content'))
        .flatMap((e) => [e.getAttribute('title') || '', e.getAttribute('aria-label') || '',
            ...[...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.nodeValue.trim())])
        .filter(Boolean).join(' | ')""")


def start_a_token(page, element_id: str = "start") -> None:
    """Hover the start event (its button shows on hover) and press ▶."""
    page.locator(f".djs-element[data-element-id='{element_id}']").hover()
    button = page.locator(f".djs-overlays[data-container-id='{element_id}'] .bts-context-pad")
    assert button.get_attribute("title") == "触发此事件"
    button.click()


def log_entries(page) -> list[str]:
    return [text.strip() for text in page.locator(".bts-log .bts-content .bts-text").all_inner_texts()]


def wait_for_entry(page, text: str) -> list[str]:
    page.wait_for_function(
        """(text) => [...document.querySelectorAll('.bts-log .bts-content .bts-text')]
            .some((e) => e.textContent.includes(text))""", arg=text, timeout=20000)
    return log_entries(page)


def test_an_owner_switches_the_simulation_on_by_keyboard_and_runs_a_token_to_the_end_in_chinese(modeler, tmp_path):
    page = modeler()
    switch = page.locator(".bts-toggle-mode")
    assert switch.get_attribute("role") == "button"
    assert switch.get_attribute("aria-pressed") == "false"
    assert switch.inner_text().strip() == "模拟运行"
    expect(page.locator(".djs-palette")).to_be_visible()

    switch.focus()
    page.keyboard.press("Enter")
    assert switch.get_attribute("aria-pressed") == "true"
    expect(page.locator(".djs-palette")).to_be_hidden()  # no modeling while simulating
    assert page.evaluate("window.editor.modeler.get('canvas').zoom()") >= 0.5  # its buttons are shown
    page.locator(".bts-animation-speed-button").nth(2).click()  # fast
    start_a_token(page)
    entries = wait_for_entry(page, "流程结束")
    assert entries[0] == "流程开始"
    assert "Triage 受理分流" in entries and "Reject 不予受理" in entries  # the gateway's first way

    page.locator(".bts-palette .bts-entry").nth(2).click()  # the log
    assert page.locator(".bts-log .bts-header").inner_text().strip() == "模拟记录"
    assert page.locator(".bts-element-notification").filter(has_text="模拟结束").count() >= 1
    text = controls_text(page)
    for english in ENGLISH:
        assert english not in text, f"{english!r} on a Chinese page: {text}"
    shot(page, tmp_path, "token-simulation-zh")
    assert page.evaluate("window.editor.isDirty()") is False  # simulating changed nothing

    switch.click()
    assert switch.get_attribute("aria-pressed") == "false"
    expect(page.locator(".djs-palette")).to_be_visible()


def test_the_owner_picks_the_other_way_at_a_gateway_and_the_token_follows_it(modeler):
    page = modeler()
    page.locator(".bts-toggle-mode").click()
    page.locator(".bts-animation-speed-button").nth(2).click()
    page.locator(".djs-element[data-element-id='gw_triage']").hover()
    # from the first outgoing flow (reject) to the next (accept)
    page.locator(".djs-overlays[data-container-id='gw_triage'] .bts-context-pad[title='选择走哪条连线']").click()
    start_a_token(page)
    entries = wait_for_entry(page, "转办")
    assert not any("不予受理" in entry for entry in entries)

    page.locator(".bts-palette .bts-entry").nth(1).click()  # reset
    page.wait_for_function("() => !document.querySelector('.bts-log .bts-content .bts-text')")


def test_an_english_page_keeps_the_packages_own_words_and_stays_accessible(modeler, tmp_path):
    page = modeler(locale="en")
    page.locator(".bts-toggle-mode").click()
    assert page.locator(".bts-toggle-mode").inner_text().strip() == "Token Simulation"
    page.locator(".bts-animation-speed-button").nth(2).click()
    start_a_token_en(page)
    entries = wait_for_entry(page, "Process finished")
    assert entries[0] == "Process started"
    page.locator(".bts-palette .bts-entry").nth(2).click()
    text = controls_text(page)
    assert "Simulation Log" in text and "Set Sequence Flow" in text
    shot(page, tmp_path, "token-simulation-en")


def start_a_token_en(page) -> None:
    page.locator(".djs-element[data-element-id='start']").hover()
    button = page.locator(".djs-overlays[data-container-id='start'] .bts-context-pad")
    assert button.get_attribute("title") == "Trigger Event"
    button.click()
