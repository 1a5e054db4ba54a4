"""What the browser tests do on every page: sign in through the form, save a screenshot to look at, and check the
page with axe-core (WCAG 2 A and AA): no violation, but the bpmn-js canvas's own (its SVG shapes carry no roles)."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_EXCLUDED = ["#diagram .djs-container", ".diagram .djs-container", "#canvas .djs-container", ".bjs-container"]


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def shot(page, tmp_path, name: str, accessible: bool = True):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print("screenshot:", path)
    if accessible:
        assert_accessible(page, name)
    return path


def assert_accessible(page, name: str = "page") -> None:
    """No WCAG 2 A/AA violation axe-core finds on the page as it stands (the diagram canvases excepted)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async (excluded) => {
        const present = excluded.filter(s => document.querySelector(s));
        const context = present.length ? {exclude: present.map(s => [s])} : document;
        const result = await axe.run(context, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", AXE_EXCLUDED)
    assert found == [], f"{name}: accessibility violations: {found}"
