"""End to end, on a phone: an OPD officer reports progress with a photo from the field, the
Bagian Kerja Sama verifies it, and the dashboard changes. Headless Chromium via Playwright."""

import io

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from personas import PASSWORD, build_world
from PIL import Image

from jalin.monitoring import services
from jalin.monitoring.models import Evidence, ProgressReport, ReportStatus

pytestmark = browser_marks

PHONE = {"width": 390, "height": 844}


def field_photo() -> bytes:
    image = Image.new("RGB", (1200, 900), (30, 120, 90))
    exif = Image.Exif()
    exif[0x0132] = "2026:05:02 08:45:00"
    exif[0x8825] = {1: "S", 2: (5.0, 26.0, 0.0), 3: "E", 4: (105.0, 4.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


class MonitoringBrowserTests(BrowserTestCase):
    def setUp(self):
        self.world = build_world()
        self.indicator = services.indicator_create(
            actor=self.world.oscar,
            agreement=self.world.pks,
            fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 12, "unit": "desa"},
        )
        self.shot = 0
        self.errors = []

    def open_page(self, viewport):
        page = self.browser.new_page(viewport=viewport)
        # Script errors on the monitoring pages (a CSP violation, a chart that fails); the
        # missing favicon is not one, and other apps' pages are their own tests' business.
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and ("/app/monitoring/" in page.url or "/app/dashboard/" in page.url)
                and "Failed to load resource" not in message.text
                and self.errors.append(f"{page.url}: {message.text} {message.location}")
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    def snap(self, page, name: str) -> None:
        self.shot += 1
        page.screenshot(path=str(SCREENSHOTS / f"{self._testMethodName}-{self.shot:02d}-{name}.png"), full_page=True)

    def login(self, page, username: str) -> None:
        page.goto(f"{self.live_server_url}/app/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit] >> nth=-1")
        page.wait_for_url(f"{self.live_server_url}/app/")

    def beneficiaries_on_dashboard(self, page) -> int:
        page.goto(f"{self.live_server_url}/app/dashboard/")
        return int(page.locator("[data-testid=beneficiaries-total]").inner_text().replace(".", ""))

    def test_an_officer_reports_with_a_photo_on_a_phone_the_admin_verifies_and_the_dashboard_changes(self):
        w = self.world
        admin = self.open_page({"width": 1280, "height": 900})
        self.login(admin, "alice")
        self.assertEqual(self.beneficiaries_on_dashboard(admin), 0)
        self.snap(admin, "dashboard-before")

        phone = self.open_page(PHONE)
        self.login(phone, "oscar")
        phone.goto(f"{self.live_server_url}/app/agreements/{w.pks.pk}/")
        phone.click(f"#monitoring a[href='/app/monitoring/agreements/{w.pks.pk}/']")
        phone.wait_for_url(f"{self.live_server_url}/app/monitoring/agreements/{w.pks.pk}/")
        self.snap(phone, "monitoring")
        phone.click("form.start-report button[type=submit]")
        phone.wait_for_url(f"{self.live_server_url}/app/monitoring/reports/*/")
        report = ProgressReport.objects.get(agreement=w.pks)
        self.snap(phone, "report-draft")

        photo = self.files / "posyandu.jpg"
        photo.write_bytes(field_photo())
        phone.fill("textarea[name=summary]", "Layanan keliling menjangkau 5 desa pesisir.")
        phone.fill(f"input[name=ind_{self.indicator.pk}]", "5")
        phone.select_option("select[name=ben_0_group]", "patients")
        phone.fill("input[name=ben_0_count]", "245")
        phone.fill("input[name=ben_0_method]", "Register pasien posyandu")
        phone.set_input_files(".report-form input[name=photo]", str(photo))
        phone.fill(".report-form input[name=photo_caption]", "Posyandu keliling di Desa Sukajaya")
        phone.check(".report-form input[name=photo_public]")
        self.snap(phone, "filled-in")
        phone.click(".report-form button[name=submit]")
        phone.wait_for_selector(".messages .success")
        phone.locator("#report-evidence img").scroll_into_view_if_needed()
        for _attempt in range(50):  # wait_for_function needs eval, which the CSP forbids
            if phone.evaluate("document.querySelector('#report-evidence img').naturalWidth") > 0:
                break
            phone.wait_for_timeout(100)
        self.assertGreater(phone.evaluate("document.querySelector('#report-evidence img').naturalWidth"), 0)
        self.snap(phone, "submitted")
        width = phone.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, PHONE["width"], "the report page must not scroll sideways on a phone")
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        evidence = Evidence.objects.get(report=report)
        self.assertEqual((evidence.uploaded_by, evidence.content_type), (w.oscar, "image/jpeg"))
        self.assertIsNotNone(evidence.latitude)
        self.assertTrue(evidence.is_public)

        admin.goto(f"{self.live_server_url}/app/monitoring/reports/{report.pk}/")
        self.snap(admin, "to-verify")
        admin.click(f"form[action='/app/monitoring/reports/{report.pk}/verify/'] button")
        admin.wait_for_selector(".messages .success")
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.VERIFIED)
        self.assertEqual(self.beneficiaries_on_dashboard(admin), 245)
        admin.wait_for_selector("canvas[data-chart=signals]")
        drawn = admin.evaluate(
            "typeof window.Chart === 'function' && !!window.Chart.getChart(document.querySelector('canvas[data-chart=signals]'))"
        )
        self.assertTrue(drawn, "the vendored chart library draws the charts")
        self.snap(admin, "dashboard-after")

        # The verified report is locked, on the phone too.
        phone.goto(f"{self.live_server_url}/app/monitoring/reports/{report.pk}/")
        self.assertEqual(phone.locator(".report-form").count(), 0)
        self.assertEqual(self.errors, [])
        phone.close()
        admin.close()
