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
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's best-practice rules hold the landmark checks (content outside a landmark, a
# duplicate region name, a footer that is no contentinfo); they fail from moderate up.
AXE_TAGS = [*WCAG_TAGS, "best-practice"]
FAILING_IMPACTS = {"moderate", "serious", "critical"}
AXE_RUN = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run 'make system-deps' (or apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh context (no cookies) per test, set up as a UK user's browser.

    The page collects what would otherwise pass unnoticed: console messages about
    the Content Security Policy, uncaught script errors, and assets (styles,
    fonts, scripts, images) that failed to load.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.problems = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            page.problems.append(f"CSP: {message.text}")

    def on_response(response):
        if response.request.resource_type != "document" and response.status >= 400:
            page.problems.append(f"{response.status} for {response.url}")

    def on_request_failed(request):
        # A load cut short by the next navigation (a font still arriving when the
        # test moves on) is not a missing asset.
        if "ERR_ABORTED" not in (request.failure or ""):
            page.problems.append(f"failed to load {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"script error on {page.url}: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'npm ci'.")
    return AXE.read_text()


def _describe(violation) -> str:
    nodes = "\n".join(f"    {node['target']}: {node.get('failureSummary', '')!r}" for node in violation["nodes"])
    return f"  {violation['id']} ({violation['impact']}): {violation['help']}\n    {violation['helpUrl']}\n{nodes}"


def _fails(violation) -> bool:
    """Every WCAG A/AA violation fails; a best-practice one fails from moderate up."""
    return any(tag in WCAG_TAGS for tag in violation["tags"]) or violation["impact"] in FAILING_IMPACTS


def _screenshot(page, name: str) -> None:
    """The screenshot is for people to look at, not a check: Chromium now and then cannot
    capture a tall page under load ("Unable to capture screenshot"), so it tries again, then
    takes the window alone rather than fail the page's checks."""
    from playwright.sync_api import Error

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENSHOTS / f"{name}.png")
    for attempt in range(2):
        try:
            page.screenshot(path=path, full_page=True)
            return
        except Error as error:
            if "Unable to capture screenshot" not in str(error):
                raise
            page.wait_for_timeout(500 * (attempt + 1))
    page.screenshot(path=path)


def check_page(page, axe_source: str, name: str) -> None:
    """Screenshot the page as test-artifacts/screenshots/<name>.png, then fail on
    any WCAG 2.2 A/AA violation axe finds (and its best-practice ones from
    moderate up), any CSP console message, script error or asset that did not
    load."""
    page.wait_for_load_state("load")
    _screenshot(page, name)
    page.evaluate(axe_source)
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    violations = [v for v in result["violations"] if _fails(v)]
    assert not violations, f"{name} ({page.url}) has accessibility violations:\n" + "\n".join(
        _describe(v) for v in violations
    )
    problems, page.problems[:] = list(page.problems), []
    assert not problems, f"{name} ({page.url}) has browser problems:\n  " + "\n  ".join(problems)
