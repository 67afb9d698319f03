"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls
# are still synchronous and safe, so tell Django not to refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    # bypass_csp only so the test can inject axe-core; the app's own pages run under the CSP.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 360, "height": 780}
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """WCAG 2.2 A/AA violations that axe-core finds on the current page.

    axe is added once to each document (a second width checks the same one), and asked for
    violations only: it still runs every rule, but does not describe the elements that pass,
    which is most of its time on a long page (axe-core's API, "resultTypes").
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations",
        WCAG_TAGS,
    )
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


DESKTOP = {"width": 1280, "height": 800}


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe finds nothing (WCAG 2.2 A/AA) at the page's width and on a 1280 px desktop, every id
    is used once, and nothing scrolls sideways at either width."""
    viewport = page.viewport_size
    widths = [viewport] if viewport and viewport["width"] >= DESKTOP["width"] else [viewport, DESKTOP]
    for size in widths:
        if size != page.viewport_size:
            page.set_viewport_size(size)
        _assert_accessible_at_this_width(page)
    if page.viewport_size != viewport:
        page.set_viewport_size(viewport)


def _assert_accessible_at_this_width(page) -> None:  # type: ignore[no-untyped-def]
    width = page.viewport_size["width"]
    violations = axe_violations(page)
    assert not violations, f"{page.url} at {width}px: {violations}"
    # Every id once: a label, an error link or aria-describedby pointing at a shared id
    # reaches the wrong box (WCAG 4.1.1 is gone from axe's rules, the harm is not).
    duplicates = page.evaluate(
        "() => { const seen = new Set(), twice = new Set();"
        " for (const e of document.querySelectorAll('[id]')) { (seen.has(e.id) ? twice : seen).add(e.id) }"
        " return [...twice] }"
    )
    assert not duplicates, f"{page.url}: ids used more than once: {duplicates}"
    # Usable at every width: nothing wider than the screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}px wide"
