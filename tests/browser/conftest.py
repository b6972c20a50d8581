"""Playwright driving Debian's chromium against the live test server.

Playwright's own browser download does not work here, so the system chromium is
used. axe-core comes from npm and is injected with page.evaluate because the
site's CSP refuses foreign script tags.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test database is
# still used synchronously from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run 'make system-deps' (or apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and page.csp_errors.append(message.text)
    )
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'npm ci'.")
    return AXE.read_text()


def check_page(page, axe_source: str, name: str) -> None:
    """Screenshot the page, then fail on any WCAG 2.2 A/AA violation or CSP error."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.evaluate(axe_source)
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not problems, f"{name} ({page.url}) has accessibility violations:\n" + "\n".join(problems)
    assert not page.csp_errors, f"{name} broke the Content Security Policy: {page.csp_errors}"
