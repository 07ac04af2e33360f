"""The workflow end to end in headless Chromium: an OPD officer proposes, the TKKSD reviewer
sends it back, the officer revises, the admin moves it to signed, and the PKS appears under
its KSB. Follows tests/browser/test_e2e.py (screenshots in tests/browser/screenshots/)."""

import datetime

from browser_support import SCREENSHOTS, BrowserTestCase, browser_marks
from django.utils import timezone
from personas import PASSWORD, build_world

from jalin.agreements.models import Kind
from jalin.workflow.models import Process, Stage

pytestmark = browser_marks

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class WorkflowBrowserTests(BrowserTestCase):
    def setUp(self):
        self.world = build_world()
        self.shot = 0
        self.pages = []

    def tearDown(self):
        for page in self.pages:
            page.close()

    def snap(self, page, name: str) -> None:
        self.shot += 1
        page.screenshot(path=str(SCREENSHOTS / f"{self._testMethodName}-{self.shot:02d}-{name}.png"), full_page=True)

    def as_user(self, username: str):
        """A fresh browser context logged in as `username`."""
        page = self.browser.new_page(viewport={"width": 1280, "height": 900})
        self.pages.append(page)
        page.goto(f"{self.live_server_url}/app/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit] >> nth=-1")
        page.wait_for_url(f"{self.live_server_url}/app/")
        return page

    def open_panel(self, page, agreement_id: int, stage: str) -> None:
        page.goto(f"{self.live_server_url}/app/agreements/{agreement_id}/")
        page.wait_for_selector(f'#workflow [data-stage="{stage}"]')

    def act(self, page, transition: str, stage_after: str, **fields) -> None:
        form = f'form[data-transition="{transition}"]'
        for name, value in fields.items():
            selector = f"{form} [name={name}]"
            if page.locator(selector).evaluate("element => element.tagName") == "SELECT":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        page.click(f"{form} button[type=submit]")
        page.wait_for_selector(f'#workflow [data-stage="{stage_after}"]')

    def file(self, name: str) -> str:
        path = self.files / name
        path.write_bytes(PDF)
        return str(path)

    def test_a_proposal_goes_from_the_agency_through_the_tkksd_to_a_signed_pks_under_its_ksb(self):
        today = timezone.localdate()
        # The OPD officer proposes, with the feasibility study and the KAK.
        oscar = self.as_user("oscar")
        oscar.goto(f"{self.live_server_url}/app/inbox/")
        oscar.click("a[href='/app/workflow/propose/']")
        oscar.select_option("select[name=category]", "ksdpk")
        oscar.fill("input[name=title]", "Telemedisin puskesmas pesisir")
        oscar.select_option("select[name=partners]", str(self.world.unila.pk))
        oscar.fill("textarea[name=object]", "Konsultasi dokter spesialis jarak jauh")
        oscar.fill("textarea[name=intended_benefits]", "Warga pesisir tidak perlu ke kota untuk konsultasi")
        oscar.select_option("select[name=financing]", "apbd")
        oscar.select_option("select[name=burdens_citizens]", "no")
        oscar.select_option("select[name=funding_in_current_apbd]", "yes")
        oscar.set_input_files("input[name=feasibility]", self.file("kajian-kelayakan.pdf"))
        oscar.set_input_files("input[name=terms_of_reference]", self.file("kak.pdf"))
        self.snap(oscar, "proposal-form")
        oscar.click("main form button[type=submit]")
        oscar.wait_for_selector('#workflow [data-stage="initiation"]')
        process = Process.objects.get(agreement__title="Telemedisin puskesmas pesisir")
        ksb = process.agreement
        self.snap(oscar, "proposed")
        self.act(oscar, "submit", "tkksd_assessment")

        # The TKKSD reviewer sends it back with a reason.
        tara = self.as_user("tara")
        tara.goto(f"{self.live_server_url}/app/inbox/")
        tara.wait_for_selector("#proposals >> text=Telemedisin puskesmas pesisir")
        self.snap(tara, "reviewer-inbox")
        self.open_panel(tara, ksb.pk, "tkksd_assessment")
        self.act(tara, "send_back", "initiation", reason="Lengkapi rincian biaya dalam KAK")
        self.snap(tara, "sent-back")

        # The officer sees why, revises the KAK and submits again.
        self.open_panel(oscar, ksb.pk, "initiation")
        self.assertIn("Lengkapi rincian biaya dalam KAK", oscar.locator("#workflow .sent-back").inner_text())
        oscar.set_input_files("#workflow input[aria-label] >> nth=1", self.file("kak-revisi.pdf"))
        oscar.click("#workflow form.inline-form >> nth=1 >> button")
        oscar.wait_for_selector('#workflow [data-stage="initiation"]')
        self.act(oscar, "submit", "tkksd_assessment")
        self.snap(oscar, "resubmitted")

        # The admin records the recommendation and takes it to signing.
        alice = self.as_user("alice")
        self.open_panel(alice, ksb.pk, "tkksd_assessment")
        self.act(alice, "recommend", "offer", recommendation="recommended")
        self.act(alice, "accept_offer", "umbrella_drafting")
        alice.click('#workflow button[data-draft="umbrella"]')
        alice.wait_for_selector("#workflow .drafts")
        self.snap(alice, "ksb-draft")
        self.act(alice, "sign", "umbrella_signed", number="180/77/KSB/2026", signed_on=today.isoformat())
        self.act(alice, "start_implementing_draft", "implementing_drafting")
        alice.click('#workflow button[data-draft="implementing"]')
        process.refresh_from_db()
        pks = process.implementing
        alice.wait_for_url(f"{self.live_server_url}/app/agreements/{pks.pk}/#workflow")
        alice.wait_for_selector('#workflow [data-stage="implementing_drafting"]')
        ends = today + datetime.timedelta(days=3 * 365)
        self.act(
            alice,
            "sign",
            "implementation",
            number="180/78/PKS/2026",
            signed_on=today.isoformat(),
            ends_on=ends.isoformat(),
        )
        self.snap(alice, "pks-signed")

        process.refresh_from_db()
        pks.refresh_from_db()
        self.assertEqual(process.stage, Stage.IMPLEMENTATION)
        self.assertEqual((pks.kind, pks.parent_id, pks.number), (Kind.PKS, ksb.pk, "180/78/PKS/2026"))
        self.assertEqual(pks.signed_on, today)
        # The PKS appears under its KSB.
        alice.goto(f"{self.live_server_url}/app/agreements/{ksb.pk}/")
        self.assertTrue(alice.locator(f".tree a[href='/app/agreements/{pks.pk}/']").count() > 0)
        self.snap(alice, "ksb-family")
