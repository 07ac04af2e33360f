"""End-to-end on a phone: an admin issues the semester report, the province supervisor sees
it in the overview of who has issued; neither page scrolls sideways at 390 px."""

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from django.utils import timezone
from personas import PASSWORD, build_world

from jalin.reports import selectors
from jalin.reports.models import IssuedReport

pytestmark = browser_marks


class IssueBrowserTests(BrowserTestCase):
    def setUp(self):
        self.world = build_world()
        self.page = self.browser.new_page(viewport={"width": 390, "height": 844})
        self.period = selectors.closed_periods()[0]

    def tearDown(self):
        self.page.close()

    def snap(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{self._testMethodName}-{name}.png"), full_page=True)

    def login(self, username: str) -> None:
        self.page.goto(f"{self.live_server_url}/app/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit] >> nth=-1")
        self.page.wait_for_url(f"{self.live_server_url}/app/")

    def assert_no_sideways_scroll(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 390)

    def test_an_admin_issues_the_report_and_the_supervisor_sees_it(self):
        self.login("alice")
        self.page.goto(f"{self.live_server_url}/app/reports/")
        self.page.click("#issued-link")
        self.page.select_option("select[name=period]", self.period.key)
        self.assert_no_sideways_scroll()
        self.page.click("main form button[type=submit]")
        self.page.wait_for_selector("#issued-line")
        self.snap("issued")
        self.assertIn("Alice", self.page.inner_text("#issued-line"))
        self.assert_no_sideways_scroll()
        issued = IssuedReport.objects.get()
        self.assertEqual((issued.period, issued.files.count()), (self.period.key, 3))

        self.page.context.clear_cookies()
        self.login("vera")
        self.page.goto(f"{self.live_server_url}/app/reports/issued/?period={self.period.key}")
        self.snap("overview")
        late = timezone.localdate() > selectors.issue_deadline(self.period)
        self.assertEqual(
            self.page.get_attribute("tr[data-government='18.09']", "data-state"), "issued-late" if late else "issued"
        )
        self.assertIn("1", self.page.inner_text("#issue-counts"))
        self.assert_no_sideways_scroll()
