"""Moderating citizen feedback: nothing is preselected (publishing is a deliberate choice), a
submit without a choice says so, and a moderator can reclassify a message, audited."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from personas import build_world

from jalin.audit.models import AuditEntry
from jalin.portal import services
from jalin.portal.models import Feedback, FeedbackKind, FeedbackStatus


class ModerationFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        cache.clear()
        self.feedback = services.feedback_submit(
            agreement_id=self.world.published.pk,
            fields={"kind": "complaint", "message": "Kapan jadwal kapal ke Pulau Pahawang diumumkan?"},
            sender_address="10.9.9.9",
        ).feedback
        self.url = f"/app/feedback/{self.feedback.pk}/"

    def test_no_decision_is_preselected(self):
        self.client.force_login(self.world.alice)
        page = self.client.get(self.url)
        self.assertIsNone(page.context["moderation_form"]["decision"].value())
        html = page.content.decode()
        radios = [chunk for chunk in html.split("<input") if 'name="decision"' in chunk]
        self.assertEqual(len(radios), 2)
        self.assertFalse(any("checked" in chunk.split(">")[0] for chunk in radios))

    def test_a_submit_without_a_choice_gets_a_clear_message_and_publishes_nothing(self):
        self.client.force_login(self.world.alice)
        response = self.client.post(self.url, {"action": "moderate", "note": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Pilih apakah masukan ini dipublikasikan atau tidak.")
        self.assertEqual(Feedback.objects.get(pk=self.feedback.pk).status, FeedbackStatus.PENDING)

    def test_a_moderator_reclassifies_a_message_and_the_audit_trail_keeps_what_it_was(self):
        self.client.force_login(self.world.olga)  # Dispar leads the published agreement
        response = self.client.post(self.url, {"action": "reclassify", "kind": FeedbackKind.QUESTION})
        self.assertRedirects(response, self.url)
        self.assertEqual(Feedback.objects.get(pk=self.feedback.pk).kind, FeedbackKind.QUESTION)
        entry = AuditEntry.objects.filter(content_type__model="feedback", object_pk=str(self.feedback.pk)).latest(
            "timestamp"
        )
        self.assertEqual(entry.actor, self.world.olga)
        self.assertEqual(entry.changes_dict["kind"], ["complaint", "question"])
        self.assertContains(self.client.get(self.url), "Pertanyaan")

    def test_reclassifying_to_the_same_kind_or_an_unknown_one_is_refused(self):
        with self.assertRaises(ValidationError):
            services.feedback_reclassify(actor=self.world.alice, feedback=self.feedback, kind="complaint")
        with self.assertRaises(ValidationError):
            services.feedback_reclassify(actor=self.world.alice, feedback=self.feedback, kind="rumour")

    def test_only_moderators_reclassify(self):
        w = self.world
        for person in (w.lena, w.audrey):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.feedback_reclassify(actor=person, feedback=self.feedback, kind="question")
        for person, status in ((w.lena, 403), (w.oscar, 404), (w.sam, 404)):
            self.client.force_login(person)
            response = self.client.post(self.url, {"action": "reclassify", "kind": "question"})
            self.assertEqual(response.status_code, status, person.username)
        self.assertEqual(Feedback.objects.get(pk=self.feedback.pk).kind, FeedbackKind.COMPLAINT)
