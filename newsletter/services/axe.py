"""axe-core on a mail's HTML, in Debian's Chromium through Playwright, for the pre-send check.

The HTML is loaded with ``set_content`` in a page that may fetch nothing
(every request is aborted: the mail's images and links point at the site and
the world, and a check must not call either; axe needs JavaScript, so the
page has it, but the mail's own markup comes from Wagtail's sanitised rich
text and templates), then axe runs the WCAG 2.x A/AA
rules, as the browser tests do. Playwright's sync API runs an event loop in
its thread and gives that thread a fresh context, so it runs in a thread of
its own: the caller's database connections stay untouched.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Chromium's start plus axe on a mail take a few seconds; a hung browser must not hold the admin.
TIMEOUT_SECONDS = 60
VIEWPORT = {"width": 700, "height": 900}


class AxeUnavailable(Exception):
    """Chromium, axe-core or Playwright is missing or failed: the check did not run (Dutch message)."""


@dataclass(frozen=True)
class Violation:
    id: str
    help: str
    impact: str
    count: int


def unavailable_reason():
    """Why axe cannot run here (Dutch), or "" when Chromium and axe-core are both in place."""
    chromium = settings.CHROMIUM_PATH
    if not os.access(chromium, os.X_OK):
        return f"Chromium is niet gevonden op {chromium} (installeer het pakket chromium of zet CHROMIUM_PATH)."
    if not Path(settings.AXE_SCRIPT).is_file():
        return f"axe-core is niet gevonden op {settings.AXE_SCRIPT} (voer npm ci uit of zet AXE_SCRIPT)."
    return ""


def run_axe(html):
    """The axe-core violations in ``html``; raises AxeUnavailable when the check cannot run."""
    reason = unavailable_reason()
    if reason:
        raise AxeUnavailable(reason)
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(run_in_chromium, html, Path(settings.AXE_SCRIPT).read_text(encoding="utf-8"))
    try:
        return future.result(timeout=TIMEOUT_SECONDS)
    except AxeUnavailable:
        raise
    except TimeoutError as error:
        raise AxeUnavailable(f"Chromium gaf na {TIMEOUT_SECONDS} seconden geen antwoord.") from error
    except Exception as error:  # whatever else went wrong in the browser: the check did not run
        raise AxeUnavailable(f"Chromium kon de mail niet controleren: {type(error).__name__}: {error}") from error
    finally:
        pool.shutdown(wait=False)


def run_in_chromium(html, axe_script):
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=settings.CHROMIUM_PATH, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport=VIEWPORT, locale="nl-NL")
                context.route("**/*", lambda route: route.abort())
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_SECONDS * 1000 // 2)
                page.set_content(html, wait_until="load")
                page.evaluate(axe_script)
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                    WCAG_TAGS,
                )
            finally:
                browser.close()
    except Error as error:
        raise AxeUnavailable(f"Chromium kon de mail niet controleren: {error.message}") from error
    return [
        Violation(id=item["id"], help=item["help"], impact=item.get("impact") or "", count=len(item["nodes"]))
        for item in result["violations"]
    ]
