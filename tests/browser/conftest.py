"""A real server on loopback and a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("MINYI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/setup --test")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def harness_base(tmp_path_factory):
    """The workbench bundles' harness pages on a static server (tests/browser/bundles.py): their base URL."""
    from tests.browser.bundles import serving_harness

    with serving_harness(tmp_path_factory) as base:
        yield base


@pytest.fixture
def modeler(page, harness_base):
    """open(xml=complaint, locale='zh') -> the modeler harness page with that diagram; fails on any page error."""
    from tests.browser.bundles import modeler_page

    with modeler_page(page, harness_base) as open_:
        yield open_
