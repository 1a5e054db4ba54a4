"""The pages run under their Content-Security-Policy: an injected inline script does not run and is reported, the
pages' own scripts (htmx, bpmn-js, ECharts) do, and no page can be framed."""

from __future__ import annotations

import pytest

from tests.browser import pages


def test_an_injected_inline_script_is_refused_and_reported(live_server, page):
    page.goto(live_server + "/login")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("() => window.injected") is None
    with pytest.raises(AssertionError, match="script-src"):
        pages.assert_no_csp_violation(page, "login with an injected script")


def test_a_page_cannot_be_framed(live_server, page):
    page.goto(live_server + "/login")
    page.evaluate("""(url) => { const f = document.createElement('iframe'); f.src = url; f.id = 'framed';
                                document.body.appendChild(f); }""", live_server + "/track")
    page.wait_for_timeout(500)
    framed = page.frame_locator("#framed").locator("form")
    assert framed.count() == 0  # frame-ancestors 'none': the framed page does not render
