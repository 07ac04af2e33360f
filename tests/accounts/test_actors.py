"""The who-acts-next table: every state that waits on someone is in it, and the three ways
of reading it (the people to tell, "does this user act", the queue's SQL condition) agree."""

from django.test import TestCase
from personas import build_world

from jalin.accounts import actors
from jalin.accounts.models import User
from jalin.agreements.models import Agreement
from jalin.workflow.models import CLOSED_STAGES, Stage


class ActorTableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def subject(self, agreement, submitter=None):
        return actors.Subject(
            government_id=agreement.government_id,
            lead_agency_id=agreement.lead_agency_id,
            liaison_id=agreement.liaison_officer_id,
            submitter_id=submitter.pk if submitter else None,
            submitter_agency_id=submitter.agency_id if submitter else None,
        )

    def test_it_names_every_stage_and_every_waiting_state(self):
        for stage in Stage.values:
            state = actors.state(f"workflow.{stage}")
            self.assertEqual(bool(state.acts), stage not in CLOSED_STAGES, stage)
            self.assertTrue(actors.who(state.name))
        for name in (
            "report.submitted",
            "report.returned",
            "report.overdue",
            "evaluation.due",
            "obligation.overdue",
            "feedback.pending",
            "agreement.expiring",
        ):
            self.assertTrue(actors.state(name).acts, name)

    def test_it_names_the_verifiers_of_the_reports_government_only(self):
        pks, lamsel = self.w.pks, self.w.lamsel_agreement
        self.assertEqual(actors.people("report.submitted", self.subject(pks, self.w.oscar)), [self.w.alice])
        self.assertEqual(actors.people("report.submitted", self.subject(lamsel)), [self.w.sam])
        returned = actors.people("report.returned", self.subject(pks, self.w.oscar))
        self.assertEqual(returned, [self.w.oscar])  # the submitter and Dinkes's (other) officers

    def test_its_three_readings_agree_for_every_person_and_state(self):
        people = list(User.objects.filter(is_active=True))
        cases = [(self.w.pks, self.w.oscar), (self.w.tourism, self.w.alice), (self.w.lamsel_agreement, self.w.sam)]
        checked = 0
        for name in actors.TABLE:
            for agreement, submitter in cases:
                subject = self.subject(agreement, submitter)
                named = set(actors.people(name, subject, told=False))
                for user in people:
                    acts = actors.acts_on(user, name, subject)
                    self.assertEqual(acts, user in named, (name, user.username, agreement.title))
                    condition = actors.queue_q(
                        user,
                        name,
                        government="government_id",
                        lead_agency="lead_agency_id",
                        liaison="liaison_officer_id",
                        submitter="pk",  # stands in for the report's submitter below
                        submitter_agency="lead_agency_id",
                    )
                    if condition is not None and not any(
                        a.relation == actors.Relation.SUBMITTER for a in actors.state(name).acts
                    ):
                        in_queue = Agreement.objects.filter(condition, pk=agreement.pk).exists()
                        self.assertEqual(in_queue, acts, (name, user.username, agreement.title))
                        checked += 1
        self.assertGreater(checked, 100)
