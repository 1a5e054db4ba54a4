"""What the browser tests do on every page: sign in through the form, save a screenshot to look at, and check the
page with axe-core (WCAG 2 A and AA): no violation, but the bpmn-js canvas's own (its SVG shapes carry no roles)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# the two screens every page is looked at on
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
# (browser locale, screen, screenshot label): a page is looked at in Chinese on both screens and in English
SCREENS = (("zh-CN", DESKTOP, "zh-desktop"), ("zh-CN", PHONE, "zh-phone"), ("en-US", DESKTOP, "en-desktop"))
AXE_EXCLUDED = ["#diagram .djs-container", ".diagram .djs-container", "#canvas .djs-container", ".bjs-container"]


def sign_in(page, base: str, username: str, password: str, landed: bool = True) -> None:
    """Sign in through the form; with `landed`, wait until the signed-in page is there (its header names the user),
    so that what the test does next is not done to the login page or cut short by the redirect."""
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if landed:
        expect(page.locator("#user-name")).to_be_visible()


def in_english(page) -> None:
    """Switch the page to English with its header's button and wait until the English page has loaded (the switch
    is a form post and a redirect: anything read before that would still be the Chinese page)."""
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    page.wait_for_load_state()


def shot(page, tmp_path, name: str, accessible: bool = True):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print("screenshot:", path)
    assert_no_csp_violation(page, name)
    if accessible:
        assert_accessible(page, name)
    return path


def assert_no_csp_violation(page, name: str = "page") -> None:
    """Nothing on the page was refused by its Content-Security-Policy (the browser buffers the reports)."""
    found = page.evaluate("""() => new Promise((resolve) => {
        if (typeof ReportingObserver === 'undefined') { resolve(null); return; }
        const seen = [];
        const observer = new ReportingObserver((reports) => seen.push(...reports), {types: ['csp-violation'], buffered: true});
        observer.observe();
        setTimeout(() => { seen.push(...observer.takeRecords()); observer.disconnect();
            resolve(seen.map((r) => `${r.body.effectiveDirective} ${r.body.blockedURL}`)); }, 50);
    })""")
    assert found in ([], None), f"{name}: refused by the Content-Security-Policy: {found}"


def assert_accessible(page, name: str = "page") -> None:
    """No WCAG 2 A/AA violation axe-core finds on the page as it stands (the diagram canvases excepted)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluated by the browser's debugging protocol, which the pages' Content-Security-Policy does not govern
        # (a <script> tag with the code inline would be refused, as it should be)
        page.evaluate("() => {" + AXE.read_text() + "\n}")
    found = page.evaluate("""async (excluded) => {
        const present = excluded.filter(s => document.querySelector(s));
        const context = present.length ? {exclude: present.map(s => [s])} : document;
        const result = await axe.run(context, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", AXE_EXCLUDED)
    assert found == [], f"{name}: accessibility violations: {found}"
