"""End-to-end: an admin imports the register they keep in Excel, a leader builds the official
report, and an officer exports the filtered register, in headless Chromium (see test_e2e.py)."""

import io
import sys
from pathlib import Path

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from personas import PASSWORD, build_world

from jalin.agreements.models import Agreement
from jalin.imports.models import RegisterImport
from jalin.reports.models import ReportJob

sys.path.insert(0, str(Path(__file__).parent.parent / "imports" / "files"))
import import_workbooks as books

pytestmark = browser_marks


class ReportBrowserTests(BrowserTestCase):
    def setUp(self):
        self.world = build_world()
        # Background jobs run at once, inside the request that queues them.
        immediate = HUEY.immediate
        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.shot = 0

    def tearDown(self):
        self.page.close()

    def snap(self, name: str) -> None:
        self.shot += 1
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{self._testMethodName}-{self.shot:02d}-{name}.png"), full_page=True
        )

    def login(self, username: str) -> None:
        self.page.goto(f"{self.live_server_url}/app/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit] >> nth=-1")
        self.page.wait_for_url(f"{self.live_server_url}/app/")

    def test_an_admin_imports_the_register_kept_in_excel(self):
        from huey.contrib.djhuey import HUEY

        # The live server runs in this process: its background steps (staging, applying) run
        # as their on_commit fires, as a worker would run them.
        immediate = HUEY.immediate
        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        register = self.files / "register-2023.xlsx"
        register.write_bytes(books.xlsx(books.messy_rows()))
        self.login("alice")
        self.page.click("nav >> text=/Impor|Import/")
        self.page.set_input_files("input[name=file]", str(register))
        self.snap("upload")
        self.page.click("main form button[type=submit]")
        # The columns are recognised, so the file is read in the background straight away and
        # the preview follows; the guessed mapping can still be checked and changed.
        self.page.wait_for_url("**/preview/")
        preview = self.page.url
        self.page.goto(preview.replace("/preview/", "/mapping/"))
        self.snap("mapping")
        self.assertEqual(self.page.locator("select[name=col_1]").input_value(), "number")
        self.page.goto(preview)
        self.snap("preview")
        self.assertTrue(self.page.locator("td", has_text="PT Wisata Nusantara").first.is_visible())
        self.assertFalse(Agreement.objects.filter(number="100/1/PKS/2023").exists())
        self.page.click("main form button[type=submit]")
        self.page.wait_for_selector("#created-count")
        self.snap("imported")
        self.assertEqual(self.page.locator("#created-count").inner_text(), "3")
        self.assertEqual(RegisterImport.objects.get().created_count, 3)
        self.assertTrue(Agreement.objects.filter(number="100/1/PKS/2023").exists())

    def test_a_leader_builds_the_official_report_and_downloads_it(self):
        self.login("lena")
        self.page.click("nav >> text=/Laporan|Reports/")
        self.page.select_option("select[name=period]", str(timezone.localdate().year))
        self.page.select_option("select[name=format]", "pdf")
        self.snap("report-form")
        self.page.click("main form button[type=submit]")
        self.page.wait_for_selector("#download")
        self.snap("report-ready")
        with self.page.expect_download() as download_info:
            self.page.click("#download")
        content = Path(download_info.value.path()).read_bytes()
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertEqual(ReportJob.objects.get().status, "done")

    def test_an_officer_exports_the_filtered_register(self):
        self.login("olga")
        self.page.goto(f"{self.live_server_url}/app/agreements/?q=pahawang")
        self.snap("filtered-list")
        self.page.click("form.export-form button[value=xlsx]")
        self.page.wait_for_selector("#download")
        with self.page.expect_download() as download_info:
            self.page.click("#download")
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()), read_only=True)
        rows = list(workbook.active.iter_rows(values_only=True))
        self.assertEqual([row[0] for row in rows[1:]], ["556/4/PKS/2024"])
