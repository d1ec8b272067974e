"""The report in a real browser: Debian's headless Chromium, driven by Playwright.

The page is rendered from the toy run of ``test_report`` (hostile HTML in
replies, a question and a category) and loaded from ``file://``. Checked: no
console or page errors, no request but the page itself, tables and plots
present, filters and search change the visible transcripts to the expected
counts, and no hostile markup ran. Without Chromium this test fails; set
``EVALKIT_SKIP_BROWSER=1`` to skip it deliberately.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_report import CAPITULATED, SCRIPT, TOTAL_SAMPLES, toy_error, toy_records, write_run

from evalkit.report import write_report

CHROMIUM = Path(os.environ.get("EVALKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("EVALKIT_SKIP_BROWSER") == "1":
        pytest.skip("EVALKIT_SKIP_BROWSER=1")
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: apt-get install -y chromium "
            "(or set EVALKIT_SKIP_BROWSER=1 to skip the browser test)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


class Loaded:
    """A page with everything it did recorded."""

    def __init__(self, page, url: str) -> None:
        self.page = page
        self.url = url
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible(self) -> int:
        return self.page.locator("details.sample:visible").count()

    def shown(self) -> int:
        return int(self.page.locator("#shown-count").get_attribute("data-shown"))


@pytest.fixture
def loaded(browser, tmp_path, make_record):
    run = write_run(tmp_path / "toy", toy_records(make_record), errors=(toy_error(),))
    url = write_report(run).resolve().as_uri()
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    state = Loaded(page, url)
    page.goto(url, wait_until="load")
    yield state
    context.close()


def test_page_loads_clean_and_offline(loaded):
    page = loaded.page
    assert page.locator("#headline-table tbody tr").count() == 2  # answer and are-you-sure
    assert page.locator("#families .family table").count() == 2
    assert page.locator("#plots svg").count() == 2  # accuracy per condition, pressure ladder
    assert page.locator("#families svg").count() == 2  # per-category bars, flip matrix
    assert page.locator("#incomplete-banner").is_visible()
    assert page.locator("#errors-table tbody tr").count() == 1
    assert loaded.shown() == TOTAL_SAMPLES == loaded.visible()
    page.locator("details.sample > summary").first.click()
    page.wait_for_selector("details.sample[open] .msg")  # under load the toggle can lag
    assert page.locator("details.sample[open] .msg").count() >= 2
    assert loaded.console_errors == [] and loaded.page_errors == []
    assert loaded.requests == [loaded.url]


def test_filters_and_search_narrow_the_transcripts(loaded):
    page = loaded.page
    page.select_option("#filter-condition", "suggest_incorrect")
    assert loaded.visible() == loaded.shown() == 4
    page.select_option("#filter-condition", "")
    page.select_option("#filter-outcome", "gave_in")
    assert loaded.visible() == len(CAPITULATED)
    visible_ids = page.locator("details.sample:visible > summary").all_inner_texts()
    assert all("capitulated" in text for text in visible_ids)
    page.select_option("#filter-outcome", "")
    page.fill("#filter-search", "SPIDER")
    assert loaded.visible() == 3  # q4 under each of the three conditions
    page.select_option("#filter-condition", "neutral")
    assert loaded.visible() == 1
    page.fill("#filter-search", "")
    page.select_option("#filter-condition", "")
    page.select_option("#filter-family", "are_you_sure")
    assert loaded.visible() == 4
    assert loaded.console_errors == [] and loaded.page_errors == []


def test_hostile_markup_shows_as_text_and_runs_nothing(loaded):
    page = loaded.page
    for summary in page.locator("details.sample > summary").all():
        summary.click()  # build every transcript body, hostile replies included
    hostile = page.locator("details.sample", has_text="You're right, it is Lyon.")
    assert SCRIPT in hostile.inner_text()
    category = page.locator("#filter-category option").all_inner_texts()
    assert any(text.startswith("<img src=x onerror=") for text in category)
    assert "<img src=x" in page.locator("#families").inner_text()  # SVG label, as text
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # the data block and the page's own
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert loaded.dialogs == []
    assert loaded.console_errors == [] and loaded.page_errors == []
    assert loaded.requests == [loaded.url]
