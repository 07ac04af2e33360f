"""Citizen feedback counts on the staff dashboard, within the user's government scope."""

import itertools

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from personas import build_world

from jalin.portal.models import Feedback, FeedbackStatus

_tokens = itertools.count()


def feedback(target, status, answer=""):
    number = next(_tokens)
    return Feedback.objects.create(
        government=target.government,
        agreement=target,
        kind="aspiration",
        message=f"Pesan warga nomor {number}",
        sender_hash=f"s{number}",
        message_hash=f"m{number}",
        follow_token_hash=f"t{number}",
        status=status,
        answer=answer,
    )


class DashboardFeedbackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = build_world()
        cls.lamsel_agreement = w.lamsel_agreement
        feedback(w.published, FeedbackStatus.PENDING)
        feedback(w.published, FeedbackStatus.PENDING)
        feedback(w.published, FeedbackStatus.PUBLISHED, answer="Terima kasih, sudah ditindaklanjuti.")
        feedback(w.published, FeedbackStatus.PUBLISHED)
        feedback(w.published, FeedbackStatus.REJECTED)
        feedback(cls.lamsel_agreement, FeedbackStatus.PENDING)

    def dashboard(self, user):
        self.client.force_login(user)
        response = self.client.get("/app/dashboard/")
        self.assertEqual(response.status_code, 200)
        return response

    def test_it_shows_the_counts_of_the_users_government_with_a_link_to_moderation(self):
        response = self.dashboard(self.world.alice)
        counts = response.context["feedback"]
        self.assertEqual(
            (counts["pending"], counts["published"], counts["answered"], counts["unanswered"], counts["total"]),
            (2, 2, 1, 1, 5),
        )
        self.assertContains(response, '<strong data-testid="feedback-pending">2</strong>', html=False)
        self.assertContains(response, 'href="/app/feedback/?status=pending"')

    def test_it_scopes_the_counts_to_the_government(self):
        counts = self.dashboard(self.world.sam).context["feedback"]
        self.assertEqual((counts["pending"], counts["total"]), (1, 1))  # never Pesawaran's

    def test_a_supervisor_sees_the_governments_below(self):
        counts = self.dashboard(self.world.vera).context["feedback"]
        self.assertEqual((counts["pending"], counts["total"]), (3, 6))

    def test_an_opd_officer_counts_only_the_feedback_they_may_see(self):
        self.assertEqual(self.dashboard(self.world.oscar).context["feedback"]["total"], 0)  # Dinkes leads nothing here
        self.assertEqual(self.dashboard(self.world.olga).context["feedback"]["total"], 5)  # Dispar leads it

    def test_the_section_costs_one_query_whatever_the_number_of_messages(self):
        self.client.force_login(self.world.alice)
        self.client.get("/app/dashboard/")  # stores the day's summary
        with CaptureQueriesContext(connection) as before:
            self.client.get("/app/dashboard/")
        for _ in range(10):
            feedback(self.world.published, FeedbackStatus.PENDING)
        self.client.get("/app/dashboard/")  # the new (audited) messages made the summary stale
        with CaptureQueriesContext(connection) as after:
            response = self.client.get("/app/dashboard/")
        self.assertEqual(len(after), len(before))
        self.assertEqual(response.context["feedback"]["pending"], 12)
        self.assertEqual(sum("portal_feedback" in query["sql"] for query in after.captured_queries), 1)
