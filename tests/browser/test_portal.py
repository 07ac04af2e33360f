"""A citizen on a phone finds an agreement, reads its progress and sends feedback; the admin
moderates and answers; the answer appears publicly. Headless Chromium via Playwright,
following tests/browser/test_e2e.py."""

import io

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from django.core.cache import cache
from personas import PASSWORD, build_world
from PIL import Image

from jalin.agreements.models import Agreement
from jalin.portal.models import Feedback, FeedbackStatus

pytestmark = browser_marks

PHONE = {"width": 390, "height": 844}


class PortalBrowserTests(BrowserTestCase):
    def setUp(self):
        cache.clear()
        self.world = build_world()
        Agreement.objects.filter(pk=self.world.published.pk).update(
            intended_benefits="Kunjungan wisatawan ke Pulau Pahawang meningkat"
        )
        self.shot = 0

    def snap(self, page, name: str) -> None:
        self.shot += 1
        page.screenshot(path=str(SCREENSHOTS / f"{self._testMethodName}-{self.shot:02d}-{name}.png"), full_page=True)

    def assert_fits_phone(self, page) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, PHONE["width"], f"{page.url} scrolls sideways on a phone")

    def test_a_citizen_sends_feedback_and_reads_the_admins_answer(self):
        citizen = self.browser.new_page(viewport=PHONE)
        citizen.goto(f"{self.live_server_url}/")
        # Keyboard: the first Tab reaches the skip link, which leads to the content.
        citizen.keyboard.press("Tab")
        self.assertEqual(citizen.evaluate("document.activeElement.className"), "skip-link")
        self.assert_fits_phone(citizen)
        self.snap(citizen, "home")
        citizen.fill("main form[role=search] input[name=q]", "pahawang")
        citizen.click("main form[role=search] button[type=submit]")
        citizen.wait_for_url("**/agreements/?q=pahawang")
        self.snap(citizen, "search")
        citizen.click("text=PKS desa wisata Pahawang")
        citizen.wait_for_url(f"**/agreements/{self.world.published.pk}/")
        self.assertTrue(citizen.locator("text=Kunjungan wisatawan ke Pulau Pahawang meningkat").is_visible())
        self.assert_fits_phone(citizen)
        self.snap(citizen, "detail")

        photo = self.files / "jalan.jpg"
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), "orange").save(buffer, format="JPEG")
        photo.write_bytes(buffer.getvalue())
        citizen.click("details.feedback-form summary")
        citizen.select_option("select[name=kind]", "benefit_not_seen")
        citizen.fill("textarea[name=message]", "Dermaga di Pahawang belum diperbaiki sejak tahun lalu.")
        citizen.set_input_files("input[name=photo]", str(photo))
        citizen.fill("input[name=contact_email]", "warga@example.com")
        self.snap(citizen, "feedback-form")
        citizen.click("details.feedback-form button[type=submit]")
        citizen.wait_for_selector("a.follow-link")
        follow_url = citizen.locator("a.follow-link").get_attribute("href")
        self.snap(citizen, "sent")
        feedback = Feedback.objects.get()
        self.assertEqual(feedback.status, FeedbackStatus.PENDING)
        self.assertTrue(feedback.photo)

        admin = self.browser.new_page(viewport={"width": 1280, "height": 900})
        admin.goto(f"{self.live_server_url}/app/login/")
        admin.fill("input[name=username]", "alice")
        admin.fill("input[name=password]", PASSWORD)
        admin.click("form button[type=submit] >> nth=-1")
        admin.wait_for_url(f"{self.live_server_url}/app/")
        admin.goto(f"{self.live_server_url}/app/feedback/")
        self.snap(admin, "moderation-list")
        admin.click("text=Dermaga di Pahawang")
        self.assertTrue(admin.locator("text=warga@example.com").is_visible())
        admin.check("input[name=decision][value=published]")
        admin.click("input[value=moderate] ~ button[type=submit]")
        admin.wait_for_selector(".messages .success")
        admin.fill("textarea[name=answer]", "Perbaikan dermaga dijadwalkan bulan Maret.")
        admin.click("input[value=answer] ~ button[type=submit]")
        admin.wait_for_selector(".messages .success")
        self.snap(admin, "answered")

        citizen.goto(f"{self.live_server_url}/agreements/{self.world.published.pk}/")
        self.assertTrue(citizen.locator("text=Dermaga di Pahawang belum diperbaiki").is_visible())
        self.assertTrue(citizen.locator("text=Perbaikan dermaga dijadwalkan bulan Maret.").is_visible())
        self.assertFalse(citizen.locator("text=warga@example.com").count())
        # The photo is lazy-loaded: bring it into view and let the browser finish with it (a
        # broken image is "complete" too, with no width) before checking that it decoded.
        citizen.locator("img.feedback-photo").first.scroll_into_view_if_needed()
        citizen.wait_for_function("Array.from(document.querySelectorAll('img.feedback-photo')).every(i => i.complete)")
        photo_ok = citizen.evaluate(
            "Array.from(document.querySelectorAll('img.feedback-photo')).every(i => i.naturalWidth > 0)"
        )
        self.assertTrue(photo_ok)
        self.snap(citizen, "answer-public")
        citizen.goto(follow_url)
        self.assertTrue(citizen.locator("text=Perbaikan dermaga dijadwalkan bulan Maret.").is_visible())
        citizen.close()
        admin.close()

    def test_the_portal_switches_to_english_and_the_api_docs_load(self):
        page = self.browser.new_page(viewport=PHONE)
        page.goto(f"{self.live_server_url}/")
        self.assertEqual(page.get_attribute("html", "lang"), "id")
        page.click("nav.site-nav .menu-button")  # on a phone the menu (and the language switch) is folded
        page.select_option("#lang-select", "en")
        page.click(".lang-form button")
        page.wait_for_selector("html[lang=en]")
        self.assertTrue(page.locator("h1 >> text=Regional cooperation").is_visible())
        page.goto(f"{self.live_server_url}/api/v1/docs")
        page.wait_for_selector(".swagger-ui .information-container", timeout=15000)
        self.snap(page, "api-docs")
        page.close()
