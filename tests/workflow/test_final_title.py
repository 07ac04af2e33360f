"""At signing, a KSB / PKS takes its final title: the signing form asks for it, prefilled without
the "Usulan …" prefix, and no "Usulan …" title enters the register of signed agreements."""

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from personas import build_world
from workflow.flow import propose, walk_to

from jalin.agreements.models import Agreement
from jalin.agreements.services import PartyInput, agreement_update, strip_proposal_prefix
from jalin.audit.models import AuditEntry
from jalin.workflow import stages
from jalin.workflow.drafts import draft_generate
from jalin.workflow.models import Stage
from jalin.workflow.services import transition_apply


class FinalTitleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def at_signing(self):
        process = walk_to(self.w, propose(self.w, title="Usulan telemedisin puskesmas"), Stage.UMBRELLA_DRAFTING)
        draft_generate(actor=self.w.alice, process=process, which="umbrella")
        return process

    def sign(self, process, **data):
        today = timezone.localdate()
        return transition_apply(
            actor=self.w.alice,
            process=process,
            name=stages.SIGN,
            data={"number": "180/9/KSB/2026", "signed_on": today, **data},
        )

    def test_the_prefix_is_stripped_for_the_prefill(self):
        self.assertEqual(strip_proposal_prefix("Usulan telemedisin puskesmas"), "Telemedisin puskesmas")
        self.assertEqual(strip_proposal_prefix("usulan: kerja sama air bersih"), "Kerja sama air bersih")
        self.assertEqual(strip_proposal_prefix("Usulannya baik"), "Usulannya baik")  # a word, not the prefix
        self.assertEqual(strip_proposal_prefix("Kesepakatan bersama"), "Kesepakatan bersama")

    def test_the_signing_form_asks_for_the_final_title_prefilled_without_usulan(self):
        process = self.at_signing()
        self.client.force_login(self.w.alice)
        panel = self.client.get(reverse("workflow:panel", args=[process.agreement_id]), HTTP_HX_REQUEST="true")
        self.assertContains(panel, 'name="title"')
        self.assertContains(panel, 'value="Telemedisin puskesmas"')
        self.assertContains(panel, "Judul akhir naskah yang ditandatangani")

    def test_signing_stores_the_final_title_and_the_audit_trail_records_the_change(self):
        process = self.at_signing()
        self.sign(process, title="Kesepakatan bersama layanan telemedisin puskesmas")
        ksb = Agreement.objects.get(pk=process.agreement_id)
        self.assertEqual(ksb.title, "Kesepakatan bersama layanan telemedisin puskesmas")
        self.assertIsNotNone(ksb.signed_on)
        changes = [
            entry.changes_dict["title"]
            for entry in AuditEntry.objects.filter(agreement=ksb, content_type__model="agreement", action=1)
            if "title" in entry.changes_dict
        ]
        self.assertEqual(
            changes, [["Usulan telemedisin puskesmas", "Kesepakatan bersama layanan telemedisin puskesmas"]]
        )

    def test_signing_without_a_title_or_with_the_usulan_title_is_refused(self):
        process = self.at_signing()
        with self.assertRaises(ValidationError) as caught:
            self.sign(process)
        self.assertIn("title", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.sign(process, title="Usulan telemedisin puskesmas")
        self.assertIn("title", caught.exception.message_dict)
        ksb = Agreement.objects.get(pk=process.agreement_id)
        self.assertIsNone(ksb.signed_on)

    def test_the_pks_takes_its_own_final_title_and_no_signed_document_keeps_usulan(self):
        process = walk_to(self.w, propose(self.w, title="Usulan telemedisin puskesmas"), Stage.IMPLEMENTATION)
        process.refresh_from_db()
        self.assertFalse(process.agreement.title.startswith("Usulan"))
        self.assertFalse(process.implementing.title.startswith("Usulan"))
        self.assertFalse(Agreement.objects.filter(signed_on__isnull=False, title__istartswith="usulan ").exists())

    def test_editing_a_signed_agreement_back_to_an_usulan_title_is_refused(self):
        w = self.w
        fields = {
            name: getattr(w.tourism, name)
            for name in ("category", "kind", "number", "lead_agency", "signed_on", "effective_on", "ends_on")
        }
        with self.assertRaises(ValidationError) as caught:
            agreement_update(
                actor=w.alice,
                agreement=w.tourism,
                fields={**fields, "title": "Usulan promosi wisata"},
                parties=[PartyInput(partner=w.bank)],
            )
        self.assertIn("title", caught.exception.message_dict)
