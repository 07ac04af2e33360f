import io
import itertools
import re

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from personas import build_world
from PIL import Image

from jalin.accounts.models import Role, User
from jalin.audit.models import AuditEntry
from jalin.portal import selectors, services
from jalin.portal.models import Feedback, FeedbackStatus

ADDRESSES = itertools.count(1)


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "SECRET-CAMERA-MAKER"
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


class FeedbackTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.dispar_officer = cls.world.olga
        cls.world.dispar.email = "dispar@pesawarankab.go.id"
        cls.world.dispar.save()

    def setUp(self):
        cache.clear()

    def url(self, agreement=None):
        return f"/agreements/{(agreement or self.world.published).pk}/feedback/"

    def send(self, message="Jalan menuju desa wisata sudah diperbaiki, terima kasih.", **extra):
        data = {"kind": "benefit_seen", "message": message, "website": ""}
        data.update(extra)
        return self.client.post(self.url(), data)


class SubmitTests(FeedbackTestCase):
    def test_a_citizen_sends_feedback_that_waits_for_moderation(self):
        from huey.contrib.djhuey import HUEY

        immediate, HUEY.immediate = HUEY.immediate, True  # the worker sends the moderators' e-mails
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.send(contact_name="Budi", contact_email="budi@example.com", contact_phone="0812 1111 2222")
        self.assertEqual(response.status_code, 200)
        follow = re.search(r'href="(http://testserver/feedback/follow/[^"]+/)"', response.content.decode()).group(1)
        feedback = Feedback.objects.get()
        self.assertEqual(feedback.status, FeedbackStatus.PENDING)
        self.assertEqual(feedback.government, self.world.pesawaran)
        self.assertNotIn("127.0.0.1", feedback.sender_hash)
        self.assertNotContains(self.client.get(f"/agreements/{self.world.published.pk}/"), "sudah diperbaiki")
        self.assertContains(self.client.get(follow), "sudah diperbaiki")
        # The moderators (the admin, the lead agency's officer) and the agency's address are told,
        # each by their own e-mail (a hand-over, jalin.notifications.handovers); the citizen gets the private link.
        agency_mail = [m for m in mail.outbox if m.to != ["budi@example.com"]]
        self.assertEqual(
            sorted(m.to[0] for m in agency_mail),
            ["alice@example.go.id", "dispar@pesawarankab.go.id", "olga@example.go.id"],
        )
        self.assertNotIn("budi@example.com", agency_mail[0].body)
        citizen_mail = [m for m in mail.outbox if m.to == ["budi@example.com"]]
        self.assertEqual(len(citizen_mail), 1)
        self.assertIn(follow.replace("http://testserver", ""), citizen_mail[0].body)
        self.assertTrue(AuditEntry.objects.filter(agreement_id=self.world.published.pk, actor=None).exists())

    def test_it_refuses_feedback_on_unpublished_agreements(self):
        response = self.client.post(
            self.url(self.world.tourism), {"kind": "complaint", "message": "Tidak ada manfaat sama sekali."}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Feedback.objects.count(), 0)

    def test_the_honeypot_pretends_success_and_stores_nothing(self):
        response = self.send(website="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "/feedback/follow/")
        self.assertEqual(Feedback.objects.count(), 0)

    @override_settings(PORTAL_FEEDBACK_PER_HOUR=2)
    def test_it_rate_limits_per_address(self):
        self.assertEqual(self.send("Pesan pertama yang cukup panjang.").status_code, 200)
        self.assertEqual(self.send("Pesan kedua yang cukup panjang.").status_code, 200)
        response = self.send("Pesan ketiga yang cukup panjang.")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Feedback.objects.count(), 2)
        other = self.client.post(
            self.url(), {"kind": "complaint", "message": "Dari alamat lain, tetap boleh."}, REMOTE_ADDR="10.1.2.3"
        )
        self.assertEqual(other.status_code, 200)
        self.assertEqual(Feedback.objects.count(), 3)

    def test_content_checks(self):
        cases = {
            "too short": "pendek",
            "too many links": "lihat http://a.example http://b.example http://c.example sekarang",
            "html": "halo <script>alert(1)</script> semua",
            "repeated": "aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "too long": "kata " * 1000,
        }
        for label, message in cases.items():
            response = self.send(message)
            self.assertEqual(response.status_code, 400, label)
        self.assertEqual(self.send(contact_email="not-an-email").status_code, 400)
        self.assertEqual(self.send(contact_phone="call me maybe").status_code, 400)
        self.assertEqual(self.send(kind="praise").status_code, 400)
        self.assertEqual(Feedback.objects.count(), 0)

    def test_the_same_message_twice_is_refused(self):
        self.send()
        response = self.send()
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Feedback.objects.count(), 1)

    def test_a_photo_is_checked_and_stripped_of_exif(self):
        photo = SimpleUploadedFile("foto.jpg", jpeg_with_exif(), content_type="image/jpeg")
        response = self.send(photo=photo)
        self.assertEqual(response.status_code, 200)
        feedback = Feedback.objects.get()
        stored = feedback.photo.open("rb").read()
        self.assertNotIn(b"SECRET-CAMERA-MAKER", stored)
        self.assertEqual(Image.open(io.BytesIO(stored)).format, "JPEG")
        # Not public before moderation.
        self.assertEqual(self.client.get(f"/feedback/{feedback.pk}/photo").status_code, 404)

    def test_a_fake_photo_is_refused(self):
        fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        self.assertEqual(self.send(photo=fake).status_code, 400)
        exe = SimpleUploadedFile("foto.exe", b"MZ....", content_type="image/jpeg")
        self.assertEqual(self.send(photo=exe).status_code, 400)
        with override_settings(PORTAL_FEEDBACK_PHOTO_MAX_BYTES=100):
            big = SimpleUploadedFile("foto.jpg", jpeg_with_exif(), content_type="image/jpeg")
            self.assertEqual(self.send(photo=big).status_code, 400)
        self.assertEqual(Feedback.objects.count(), 0)


class ModerationTests(FeedbackTestCase):
    def submit(self, message="Papan informasi program belum dipasang di desa."):
        return services.feedback_submit(
            agreement_id=self.world.published.pk,
            fields={"kind": "complaint", "message": message, "contact_email": "sri@example.com"},
            sender_address=f"10.0.0.{next(ADDRESSES)}",
        )

    def test_the_admin_publishes_and_answers_and_the_answer_appears_publicly(self):
        submitted = self.submit()
        self.client.force_login(self.world.alice)
        page = self.client.get("/app/feedback/")
        self.assertContains(page, "Papan informasi")
        url = f"/app/feedback/{submitted.feedback.pk}/"
        self.assertContains(self.client.get(url), "sri@example.com")  # staff see the contact
        response = self.client.post(url, {"action": "moderate", "decision": "published", "note": ""})
        self.assertRedirects(response, url)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"action": "answer", "answer": "Papan akan dipasang bulan depan."})
        self.client.logout()
        public = self.client.get(f"/agreements/{self.world.published.pk}/")
        self.assertContains(public, "Papan informasi program")
        self.assertContains(public, "Papan akan dipasang bulan depan.")
        self.assertNotContains(public, "sri@example.com")
        follow = self.client.get(f"/feedback/follow/{submitted.follow_token}/")
        self.assertContains(follow, "Papan akan dipasang bulan depan.")
        self.assertTrue(any(m.to == ["sri@example.com"] and "Papan akan" in m.body for m in mail.outbox))

    def test_rejecting_needs_a_reason_and_keeps_it_private(self):
        submitted = self.submit()
        with self.assertRaises(ValidationError):
            services.feedback_moderate(actor=self.world.alice, feedback=submitted.feedback, decision="rejected")
        services.feedback_moderate(
            actor=self.world.alice, feedback=submitted.feedback, decision="rejected", note="SECRET-NOTE kasar"
        )
        public = self.client.get(f"/agreements/{self.world.published.pk}/")
        self.assertNotContains(public, "Papan informasi")
        self.assertNotContains(public, "SECRET-NOTE")

    def test_who_may_moderate(self):
        submitted = self.submit()
        url = f"/app/feedback/{submitted.feedback.pk}/"
        data = {"action": "moderate", "decision": "published"}
        for user, expected in (
            (self.world.olga, 302),  # Dispar leads the published agreement
            (self.world.lena, 403),  # the leader reads only
            (self.world.oscar, 404),  # another agency does not see it
            (self.world.sam, 404),  # another government
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.post(url, data).status_code, expected, user.username)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)  # to the login page

    def test_an_answer_needs_published_feedback(self):
        submitted = self.submit()
        with self.assertRaises(ValidationError):
            services.feedback_answer(actor=self.world.alice, feedback=submitted.feedback, answer="Jawaban")

    def test_feedback_counts_for_the_dashboard(self):
        first = self.submit("Pesan pertama tentang program ini.").feedback
        self.submit("Pesan kedua tentang program ini.")
        services.feedback_moderate(actor=self.world.alice, feedback=first, decision="published")
        counts = selectors.feedback_counts([self.world.pesawaran.pk])
        self.assertEqual(counts, {"total": 2, "pending": 1, "published": 1, "rejected": 0, "unanswered": 1})
        self.assertEqual(selectors.feedback_counts([self.world.lamsel.pk])["total"], 0)

    def test_the_moderation_list_costs_the_same_queries_for_more_rows(self):
        self.submit("Pesan pertama tentang program ini.")
        self.client.force_login(self.world.alice)
        self.client.get("/app/feedback/")
        with self.assertNumQueries(6) as first:
            self.client.get("/app/feedback/")
        for number in range(10):
            self.submit(f"Pesan nomor {number} tentang program ini.")
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get("/app/feedback/")
        self.assertEqual(len(response.context["page"]), 11)

    def test_a_new_admin_with_no_email_still_gets_nothing_broken(self):
        User.objects.filter(role=Role.ADMIN).update(email="")
        with self.captureOnCommitCallbacks(execute=True):
            self.submit()
        self.assertTrue(all("alice@example.go.id" not in m.to for m in mail.outbox))
