"""Nothing that is not explicitly public ever leaves through a public page or endpoint.

Secrets are seeded into every non-public place (personal data, internal references and
notes, drafts, unpublished and archived agreements, documents, unmoderated feedback,
feedback contact details, unpublished monitoring data); then every public URL is fetched
(including every URL name of the portal and the public API, checked against the list) and
no response may contain any secret."""

import datetime
import itertools

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import get_resolver
from django.utils import timezone
from personas import agreement, build_world

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, AgreementParty
from jalin.documents.models import Document
from jalin.portal import services

SECRETS = []


def secret(label: str) -> str:
    value = f"SECRET{label.upper()}X"
    SECRETS.append(value)
    return value


# URL names that are not public pages, with the reason.
NOT_PUBLIC = {
    "portal:moderation": "staff only (login)",
    "portal:moderate": "staff only (login)",
    "portal:follow": "private link of one citizen (shows only their own message)",
    "portal:follow-photo": "private link of one citizen",
    "portal:feedback-send": "POST target of the feedback form",
    "portal:feedback-photo": "fetched below for the published photo",
    "api:agreements": "staff only (token)",
    "api:agreement": "staff only (token)",
    "api:partners": "staff only (token)",
    "api:partner": "staff only (token)",
    "api:agreement-reports": "staff only (token)",
    "api:report": "staff only (token)",
    "api:report-submit": "staff only (token)",
    "api:report-verify": "staff only (token)",
    "api:report-return": "staff only (token)",
    "api:queue": "staff only (token)",
}


class PublicExposureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.world = build_world()
        counter = itertools.count(1)
        liaison = User.objects.create_user(
            username="liaison",
            password="x-long-password-2026",
            first_name=secret("liaisonname"),
            last_name=secret("liaisonlast"),
            email="liaison-secret@example.go.id",
            phone=secret("liaisonphone"),
            government=w.pesawaran,
            role=Role.OPD_OFFICER,
            agency=w.dispar,
        )
        SECRETS.append("liaison-secret@example.go.id")
        Agreement.objects.filter(pk=w.published.pk).update(
            liaison_officer=liaison,
            our_signatory_name=secret("oursignatory"),
            power_of_attorney_ref=secret("poa"),
            dprd_approval_ref=secret("dprd"),
            central_approval_ref=secret("central"),
            termination_note=secret("terminationnote"),
            archive_reason=secret("archivereason"),
            longer_term_basis=secret("longerterm"),
            intended_benefits="Kunjungan wisata meningkat",
        )
        AgreementParty.objects.filter(agreement=w.published).update(
            signatory_name=secret("partysignatory"), signatory_title="Direktur Utama"
        )
        w.bank.contact_name = secret("partnercontact")
        w.bank.email = "partner-secret@example.com"
        w.bank.phone = secret("partnerphone")
        w.bank.address = secret("partneraddress")
        w.bank.save()
        SECRETS.extend(["partner-secret@example.com", w.bank.tax_number])
        w.dispar.head_name = secret("agencyhead")
        w.dispar.phone = secret("agencyphone")
        w.dispar.save()
        # Agreements that are not public, or not any more.
        for hidden in (w.ksb, w.pks, w.tourism, w.lamsel_agreement):
            Agreement.objects.filter(pk=hidden.pk).update(title=secret(f"hiddentitle{next(counter)}"))
        draft = agreement(w.alice, secret("drafttitle"), w.dispar, [w.bank], signed_on=None, is_public=True)
        archived = agreement(w.alice, secret("archivedtitle"), w.dispar, [w.bank], is_public=True)
        Agreement.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
        Document.objects.create(
            agreement=w.published,
            kind="signed",
            title=secret("documenttitle"),
            file=ContentFile(b"%PDF-1.4", name="x.pdf"),
            original_name=secret("documentname"),
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
            uploaded_by=w.alice,
        )

        # Feedback: pending, rejected, and published with private contact details.
        def send(message, address):
            return services.feedback_submit(
                agreement_id=w.published.pk,
                fields={
                    "kind": "complaint",
                    "message": message,
                    "contact_name": secret(f"contactname{next(counter)}"),
                    "contact_email": f"citizen{next(counter)}-secret@example.com",
                    "contact_phone": "0812 0000 1111",
                },
                sender_address=address,
            ).feedback

        pending = send(f"{secret('pendingmessage')} belum dimoderasi", "10.9.0.1")
        rejected = send(f"{secret('rejectedmessage')} ditolak", "10.9.0.2")
        published = send("Pesan yang sudah dimoderasi dan layak tampil.", "10.9.0.3")
        SECRETS.extend(f.contact_email for f in (pending, rejected, published))
        SECRETS.append("0812 0000 1111")
        services.feedback_moderate(actor=w.alice, feedback=rejected, decision="rejected", note=secret("modnote"))
        services.feedback_moderate(actor=w.alice, feedback=published, decision="published", note=secret("pubnote"))
        cls.published_feedback = published
        cls.draft, cls.archived = draft, archived
        cls.seed_monitoring()

    @classmethod
    def seed_monitoring(cls):
        from jalin.monitoring.models import Evaluation, Evidence, Indicator, Obligation, ProgressReport

        w = cls.world
        Obligation.objects.create(agreement=w.published, description=secret("privateobligation"), is_public=False)
        # results open data: private indicators, internal notes, the monitoring of unpublished agreements
        Indicator.objects.create(
            agreement=w.published,
            name=secret("privateindicator"),
            indicator_type="output",
            target_value=10,
            is_public=False,
        )
        Indicator.objects.create(
            agreement=w.published,
            name="Kunjungan wisatawan",
            indicator_type="outcome",
            target_value=10,
            notes=secret("indicatornote"),
        )
        Obligation.objects.create(agreement=cls.draft, description=secret("draftobligation"))
        Obligation.objects.create(agreement=w.tourism, description=secret("hiddenobligation"))
        today = timezone.localdate()
        report = ProgressReport.objects.create(
            agreement=w.published,
            period_starts_on=today - datetime.timedelta(days=90),
            period_ends_on=today,
            summary=secret("draftreport"),
            problems=secret("reportproblems"),
            created_by=w.olga,
        )
        Evidence.objects.create(
            agreement=w.published,
            report=report,
            caption=secret("privateevidence"),
            url="https://example.com/x",
            uploaded_by=w.olga,
        )
        Evaluation.objects.create(
            agreement=w.published,
            period="2025",
            effectiveness=2,
            effectiveness_note=secret("evalnote1"),
            efficiency=2,
            efficiency_note=secret("evalnote2"),
            benefit=2,
            benefit_note=secret("evalnote3"),
            compliance=2,
            compliance_note=secret("evalnote4"),
            recommendation="revise",
            conclusion=secret("evalconclusion"),
            evaluated_by=w.alice,
        )

    def setUp(self):
        cache.clear()

    def public_urls(self) -> dict[str, list[str]]:
        w = self.world
        pk = w.published.pk
        return {
            "portal:home": ["/", "/?g=18.09"],
            "portal:government": ["/g/18.09/", "/g/18.01/"],
            "portal:agreements": ["/agreements/", "/agreements/?q=secret", "/agreements/?status=expired&sort=-title"],
            "portal:government-agreements": ["/g/18.09/agreements/", "/g/18.01/agreements/"],
            "portal:agreement": [f"/agreements/{pk}/"]
            + [f"/agreements/{a.pk}/" for a in (w.ksb, w.tourism, self.draft, self.archived)],
            "portal:feed": ["/feeds/agreements.atom"],
            "portal:government-feed": ["/g/18.09/feeds/agreements.atom"],
            "portal:open-data": ["/open-data/"],
            "portal:open-data-csv": ["/open-data/agreements.csv", "/open-data/agreements.csv?government=18.09"],
            "portal:open-data-json": ["/open-data/agreements.json", "/open-data/agreements.json?government=18.01"],
            "portal:open-data-results-csv": ["/open-data/results.csv", "/open-data/results.csv?government=18.09"],
            "portal:open-data-results-json": ["/open-data/results.json", "/open-data/results.json?government=18.09"],
            "api:public-agreements": ["/api/v1/public/agreements", "/api/v1/public/agreements?q=secret"],
            "api:public-agreement": [f"/api/v1/public/agreements/{pk}"]
            + [f"/api/v1/public/agreements/{a.pk}" for a in (w.ksb, self.draft, self.archived)],
            "api:public-feedback": [f"/api/v1/public/agreements/{pk}/feedback"],
            "api:schema": ["/api/v1/schema"],
            "api:docs": ["/api/v1/docs"],
        }

    def test_every_public_url_name_is_covered(self):
        covered = set(self.public_urls()) | set(NOT_PUBLIC)
        names = set()
        for namespace in ("portal", "api"):
            resolver = get_resolver().namespace_dict[namespace][1]
            names |= {f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)}
        self.assertEqual(names - covered, set(), "a new public URL must be added to this test")

    def test_no_secret_appears_in_any_public_response(self):
        fetched = 0
        for urls in self.public_urls().values():
            for url in urls:
                response = self.client.get(url)
                self.assertLess(response.status_code, 500, url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                leaked = [value for value in SECRETS if value and value.lower() in text.lower()]
                self.assertEqual(leaked, [], f"{url} leaks {leaked}")
                fetched += 1
        self.assertGreater(fetched, 25)

    def test_the_published_parts_do_appear(self):
        """The test must be able to fail: the same pages do show what is public."""
        page = self.client.get(f"/agreements/{self.world.published.pk}/").content.decode()
        self.assertIn("Kunjungan wisata meningkat", page)
        self.assertIn("Pesan yang sudah dimoderasi", page)
        self.assertIn("Direktur Utama", page)
        self.assertIn("PT Bank Lampung", page)
        csv = b"".join(self.client.get("/open-data/agreements.csv").streaming_content).decode()
        self.assertIn("PKS desa wisata Pahawang", csv)
        self.assertIn("CC-BY-4.0", csv)
        results = b"".join(self.client.get("/open-data/results.csv").streaming_content).decode()
        self.assertIn("Kunjungan wisatawan", results)
        self.assertIn("CC-BY-4.0", results)

    def test_unmoderated_photos_are_not_served(self):
        for feedback in self.world.published.feedback.exclude(pk=self.published_feedback.pk):
            self.assertEqual(self.client.get(f"/feedback/{feedback.pk}/photo").status_code, 404)
