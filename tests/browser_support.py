"""What every browser test shares: Debian's Chromium driven by Playwright (no browser
download), a temporary folder for files to upload, and screenshots under
tests/browser/screenshots/ (git-ignored).

Without Chromium the browser tests are skipped locally with the reason; in CI (CI=true)
they fail instead, because CI installs Chromium.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import override_settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "browser" / "screenshots"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
if not HAVE_CHROMIUM and os.environ.get("CI"):
    raise RuntimeError(f"CI must run the browser tests, but {CHROMIUM} is missing (apt-get install chromium)")

# Each browser test module sets `pytestmark = browser_marks`.
browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"{CHROMIUM} not installed (apt-get install chromium)"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server plus one headless Chromium per test class (`cls.browser`), and a
    temporary folder `cls.files` for files the tests upload."""

    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
        # between browser steps are still plain synchronous calls.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        # The browser tests log the personas in with their password; a second factor is not
        # required of them here (tests/accounts covers it). Users with a device still get asked.
        cls._second_factor = override_settings(TWO_FACTOR_REQUIRED_ROLES=[])
        cls._second_factor.enable()
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        SCREENSHOTS.mkdir(exist_ok=True)
        cls.files = Path(tempfile.mkdtemp(prefix=f"jalin-{cls.__name__}-"))

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        shutil.rmtree(cls.files, ignore_errors=True)
        super().tearDownClass()
        cls._second_factor.disable()
