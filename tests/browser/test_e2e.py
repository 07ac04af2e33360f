"""End-to-end tests in Debian's headless Chromium, driven by Playwright (no browser download).

Screenshots of every page visited go to tests/browser/screenshots/ (git-ignored).
Without /usr/bin/chromium the tests are skipped locally with the reason; in CI (CI=true)
they fail instead, because CI installs Chromium.
"""

import datetime

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from django.utils import timezone
from personas import PASSWORD, build_world

from jalin.agreements.models import Agreement, Kind
from jalin.documents.models import Document

pytestmark = browser_marks

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class BrowserTests(BrowserTestCase):
    def setUp(self):
        self.world = build_world()
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 900})
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
        self.snap("login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit] >> nth=-1")
        self.page.wait_for_url(f"{self.live_server_url}/app/")
        self.snap("dashboard")

    def test_an_opd_officer_finds_an_agreement_and_uploads_a_document(self):
        self.login("oscar")
        self.page.goto(f"{self.live_server_url}/app/agreements/")
        self.page.fill("input[name=q]", "keliling")
        self.page.click("form[role=search] button[type=submit]")
        self.snap("search-results")
        rows = self.page.locator("table tbody tr")
        self.assertEqual(rows.count(), 1)
        self.page.click("text=PKS layanan kesehatan keliling")
        self.page.wait_for_url(f"{self.live_server_url}/app/agreements/{self.world.pks.pk}/")
        self.snap("detail")

        scan = self.files / "naskah-pks.pdf"
        scan.write_bytes(PDF)
        self.page.click("#documents summary")
        self.page.select_option("#documents select[name=kind]", "signed")
        self.page.fill("#documents input[name=title]", "Naskah PKS bertanda tangan")
        self.page.set_input_files("#documents input[name=file]", str(scan))
        self.page.click("#documents form button[type=submit]")
        self.page.wait_for_selector(".messages .success")
        self.snap("uploaded")
        document = Document.objects.get(agreement=self.world.pks)
        self.assertEqual(document.original_name, "naskah-pks.pdf")
        self.assertEqual(document.uploaded_by, self.world.oscar)
        self.assertTrue(self.page.locator(f"a[href='/app/documents/{document.pk}/download/']").is_visible())

    def test_an_admin_creates_a_pks_under_a_ksb(self):
        self.login("alice")
        self.page.goto(f"{self.live_server_url}/app/agreements/{self.world.ksb.pk}/")
        self.snap("ksb")
        self.page.click(f"a[href='/app/agreements/new/?parent={self.world.ksb.pk}&kind=pks']")
        self.snap("new-pks-form")
        today = timezone.localdate()
        self.page.fill("input[name=title]", "PKS pemeriksaan kesehatan ibu hamil")
        self.page.fill("input[name=number]", "180/9/PKS/2026")
        self.page.fill("input[name=signed_on]", (today - datetime.timedelta(days=10)).isoformat())
        self.page.fill("input[name=effective_on]", (today - datetime.timedelta(days=10)).isoformat())
        self.page.fill("input[name=ends_on]", (today + datetime.timedelta(days=730)).isoformat())
        self.page.fill("input[name=party-0-party_number]", "UNILA/77/2026")
        self.page.click("form button[type=submit] >> text=/Simpan|Save/")
        self.page.wait_for_selector(".messages .success")
        self.snap("pks-created")
        pks = Agreement.objects.get(number="180/9/PKS/2026")
        self.assertEqual(pks.parent, self.world.ksb)
        self.assertEqual(pks.kind, Kind.PKS)
        self.assertEqual(list(pks.partners.all()), [self.world.unila])
        self.assertEqual(self.page.url, f"{self.live_server_url}/app/agreements/{pks.pk}/")
        # The KSB's family tree now shows the new PKS.
        self.page.goto(f"{self.live_server_url}/app/agreements/{self.world.ksb.pk}/")
        self.assertTrue(self.page.locator(".tree >> text=PKS pemeriksaan kesehatan ibu hamil").is_visible())
        self.snap("ksb-family")

    def test_the_staff_area_works_on_a_phone(self):
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.login("oscar")
        self.page.goto(f"{self.live_server_url}/app/agreements/{self.world.pks.pk}/")
        self.snap("phone-detail")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 390, "the detail page must not scroll sideways on a phone")
