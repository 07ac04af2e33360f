"""Every page each demo role can reach, at 390 px and at 1,280 px, in headless Chromium.

Starting from the role's home, the crawler follows the links on each page (same site, GET)
and opens one page of every URL pattern it finds (one object per pattern, forms included).
Each page is loaded on a phone-sized window, measured, then widened to a laptop and measured
again. A page fails on: a server error, sideways scrolling or an element wider than the
window outside a scrolling box, a console error, a failed request for one of its assets, or
an English word of the interface on an Indonesian page. Everything found is reported at once.

The figures of the last run (pages per role and width, the widest and the tallest page) are
written to tests/browser/screenshots/crawl.json.
"""

import io
import json
import re
from collections import defaultdict
from urllib.parse import urldefrag, urlparse

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from jalin.accounts.models import User

pytestmark = browser_marks

WIDTHS = (390, 1280)
# Words of the interface that must never show on an Indonesian page (agreement titles and
# partner names may be English: they are data, so only interface words are listed; "No" is
# left out, as Indonesian addresses write "No. 12").
ENGLISH = re.compile(
    r"\b(None|True|False|descending|ascending|created by|updated by|Submit|Save|Cancel|Delete|Search|"
    r"Next|Previous|Log out|Login|Dashboard|This field is required|Select a valid choice|Choose|"
    r"Upload|Download|Loading|Please|Enter a valid|Edit|Back to|Home|Settings|Notifications|"
    r"Agreements|Partners|Agencies|Reports|Yes)\b"
)
# Not crawled: leaving the site's pages (the Django admin and the API's interactive docs are
# their libraries' own pages), files and feeds (only their status is checked).
SKIP = re.compile(r"^/(django-admin|api/v1/docs|api/v1/redoc|i18n)/|/logout/")
NOT_HTML = re.compile(r"\.(ics|atom|csv|json|xlsx|docx|pdf|zip)$|/download/|/file/|/thumbnail/|/api/")
MAX_PAGES_PER_ROLE = 200

# Elements wider than the window and not inside a box that scrolls or clips them.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let parent = element.parentElement, contained = false;
    while (parent) {
      const overflow = getComputedStyle(parent).overflowX;
      if (overflow !== 'visible') { contained = true; break; }
      parent = parent.parentElement;
    }
    if (!contained) found.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
      (element.className && typeof element.className === 'string' ? '.' + element.className.split(' ')[0] : ''));
  }
  return [document.documentElement.scrollWidth, document.documentElement.scrollHeight, found.slice(0, 5)];
}"""


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.url_name


class CrawlTests(BrowserTestCase):
    """One test crawls every role, so the demo is built once (a minute) for all of them."""

    def setUp(self):
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
        call_command("seed_demo", force=True, stdout=io.StringIO())

    def context_for(self, user: User | None):
        context = self.browser.new_context(viewport={"width": WIDTHS[0], "height": 844})
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            host = urlparse(self.live_server_url)
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "domain": host.hostname, "path": "/"}])
        return context

    def crawl(self, label: str, user: User | None, start: str, problems: list, figures: dict) -> None:
        context = self.context_for(user)
        page = context.new_page()
        console, failed = [], []
        page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on(
            "response",
            lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None,
        )
        seen_patterns, queue, visited = set(), [start], 0
        while queue and visited < MAX_PAGES_PER_ROLE:
            path = queue.pop(0)
            pattern = pattern_of(urlparse(path).path)
            if pattern is None or pattern in seen_patterns:
                continue
            seen_patterns.add(pattern)
            if NOT_HTML.search(urlparse(path).path):
                status = context.request.get(self.live_server_url + path).status
                if status >= 500:
                    problems.append(f"{label} {path}: server error {status}")
                continue
            console.clear()
            failed.clear()
            page.set_viewport_size({"width": WIDTHS[0], "height": 844})
            response = page.goto(self.live_server_url + path)
            visited += 1
            if response is None or response.status >= 500:
                problems.append(f"{label} {path}: server error {response.status if response else '-'}")
                continue
            if response.status >= 400:
                continue  # a link to what the role may not open is answered 403/404, not crawled
            page.wait_for_load_state("networkidle")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 844})
                scroll_width, scroll_height, wide = page.evaluate(OVERFLOW_JS)
                figures[label][width]["pages"] += 1
                if scroll_width > figures[label][width]["widest"][0]:
                    figures[label][width]["widest"] = (scroll_width, path)
                if scroll_height > figures[label][width]["tallest"][0]:
                    figures[label][width]["tallest"] = (scroll_height, path)
                if scroll_width > width or wide:
                    problems.append(f"{label} {path} at {width} px: {scroll_width} px wide {wide}")
            for message in console:
                problems.append(f"{label} {path}: console error {message[:200]}")
            for request in failed:
                problems.append(f"{label} {path}: failed request {request[:200]}")
            if page.evaluate("document.documentElement.lang") == "id":
                for word in sorted(set(ENGLISH.findall(page.inner_text("body")))):
                    problems.append(f"{label} {path}: English on an Indonesian page: {word!r}")
            for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))"):
                href = urldefrag(href)[0]
                if href.startswith("/") and not href.startswith("//") and not SKIP.search(href):
                    queue.append(href)
        context.close()

    def test_every_page_of_every_role_fits_a_phone_and_a_laptop(self):
        roles = [
            (username, User.objects.get(username=username))
            for username in (
                "admin",
                "opd.dinkes",
                "opd.pariwisata",
                "tkksd",
                "pimpinan",
                "inspektorat",
                "provinsi",
                "admin.lamsel",
            )
        ]
        problems: list[str] = []
        figures: dict = defaultdict(lambda: {w: {"pages": 0, "widest": (0, ""), "tallest": (0, "")} for w in WIDTHS})
        self.crawl("anonymous", None, "/", problems, figures)
        for username, user in roles:
            self.crawl(username, user, "/app/", problems, figures)
        (SCREENSHOTS / "crawl.json").write_text(json.dumps({"figures": figures, "problems": problems}, indent=2))
        self.assertGreaterEqual(figures["admin"][390]["pages"], 25, "the crawler must reach the admin's pages")
        self.assertEqual(problems, [], "\n".join(problems))
