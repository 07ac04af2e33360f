import io

from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase

from jalin.agreements.models import Agreement, AgreementParty, Kind
from jalin.audit.models import AuditEntry
from jalin.core import national
from jalin.documents.models import Document
from jalin.governments.models import Government


def seed_small() -> str:
    out = io.StringIO()
    call_command("seed_demo", scale="small", seed=7, stdout=out)
    return out.getvalue()


class ScaleDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_reference_data", verbosity=0)
        cls.output = seed_small()

    def test_it_fills_every_government_of_the_scale(self):
        lampung = Government.objects.filter(code__startswith="18")
        per_government = dict(
            Agreement.objects.filter(number__startswith=national.NUMBER_PREFIX)
            .values_list("government__code")
            .annotate(n=Count("pk"))
        )
        self.assertEqual(set(per_government), set(lampung.values_list("code", flat=True)))
        self.assertTrue(all(count == 120 for count in per_government.values()), per_government)
        self.assertIn("governments", self.output)

    def test_it_builds_lineage_with_the_parents_partners(self):
        pks = Agreement.objects.filter(kind=Kind.PKS, parent__isnull=False).select_related("parent").first()
        self.assertIn(pks.parent.kind, (Kind.KSB, Kind.MOU))
        self.assertEqual(
            set(pks.partners.values_list("pk", flat=True)), set(pks.parent.partners.values_list("pk", flat=True))
        )
        addendum = Agreement.objects.filter(kind=Kind.ADDENDUM).select_related("parent").first()
        self.assertIn(addendum.parent.kind, (Kind.PKS, Kind.RK))
        self.assertTrue(Agreement.objects.filter(predecessor__isnull=False).exists())

    def test_every_agreement_has_a_party_an_audit_entry_and_searchable_partner_names(self):
        agreements = Agreement.objects.filter(number__startswith=national.NUMBER_PREFIX)
        self.assertFalse(agreements.exclude(pk__in=AgreementParty.objects.values("agreement_id")).exists())
        self.assertEqual(AuditEntry.objects.filter(agreement__in=agreements).count(), agreements.count())
        party = AgreementParty.objects.select_related("agreement", "partner").first()
        self.assertIn(party.partner.name.lower(), party.agreement.search_text)

    def test_signed_agreements_carry_document_metadata(self):
        signed = Agreement.objects.filter(number__startswith=national.NUMBER_PREFIX, signed_on__isnull=False)
        self.assertEqual(Document.objects.filter(agreement__in=signed).count(), signed.count())

    def test_a_second_run_skips_every_government_already_filled(self):
        before = Agreement.objects.count()
        progress = national.build_scale("small", seed=7, report=lambda line: None)
        self.assertEqual((progress.governments, progress.skipped), (0, 16))
        self.assertEqual(Agreement.objects.count(), before)
