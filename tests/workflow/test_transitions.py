"""Every transition of the workflow: allowed for the right role, refused for the others and
from the wrong stage, audited; the DPRD rule; the guard against skipping from the form."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase
from django.utils import timezone
from personas import build_world
from workflow.flow import DAY, PDF, pdf, propose, walk_to  # noqa: F401

from jalin.agreements.models import Agreement, Category, Kind
from jalin.agreements.services import PartyInput, agreement_create, agreement_update
from jalin.audit.models import AuditEntry
from jalin.workflow import stages
from jalin.workflow.drafts import draft_generate
from jalin.workflow.models import Process, Recommendation, Stage, StageChange
from jalin.workflow.services import (
    allowed_transitions,
    comment_add,
    process_track,
    transition_apply,
)


class ProposalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_starts_a_proposal_as_an_unsigned_ksb_at_initiation(self):
        process = propose(self.w)
        self.assertEqual(process.stage, Stage.INITIATION)
        self.assertEqual(process.agreement.kind, Kind.KSB)
        self.assertIsNone(process.agreement.signed_on)
        self.assertEqual(process.agreement.liaison_officer, self.w.oscar)
        self.assertEqual(process.checklist_documents.count(), 2)

    def test_it_uses_nk_for_synergy(self):
        process = propose(self.w, category=Category.SYNERGY)
        self.assertEqual(process.agreement.kind, Kind.NK)
        self.assertNotIn(Stage.OFFER, process_track(process))

    def test_it_refuses_a_proposal_from_a_reviewer(self):
        with self.assertRaises(PermissionDenied):
            propose(self.w, actor=self.w.tara)

    def test_it_refuses_submission_without_the_required_documents(self):
        process = propose(self.w, attach=False)
        with self.assertRaises(ValidationError) as caught:
            transition_apply(actor=self.w.oscar, process=process, name=stages.SUBMIT)
        self.assertIn("Kajian kelayakan", " ".join(caught.exception.messages))
        process.refresh_from_db()
        self.assertEqual(process.stage, Stage.INITIATION)

    def test_it_refuses_submission_without_answers_to_the_dprd_questions(self):
        process = propose(self.w, burdens=None, funded=None)
        with self.assertRaises(ValidationError):
            transition_apply(actor=self.w.oscar, process=process, name=stages.SUBMIT)

    def test_a_third_party_offer_needs_its_offer_letter(self):
        process = propose(self.w, origin="third_party")
        with self.assertRaises(ValidationError):
            transition_apply(actor=self.w.oscar, process=process, name=stages.SUBMIT)


class TransitionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def setUp(self):
        self.process = propose(self.w)

    def apply(self, actor, name, **data):
        return transition_apply(actor=actor, process=self.process, name=name, data=data)

    def test_it_lets_the_agency_officer_submit_and_audits_it(self):
        before = AuditEntry.objects.count()
        self.apply(self.w.oscar, stages.SUBMIT)
        self.process.refresh_from_db()
        self.assertEqual(self.process.stage, Stage.TKKSD_ASSESSMENT)
        self.assertEqual(self.process.due_on, timezone.localdate() + 14 * DAY)
        change = StageChange.objects.filter(process=self.process).first()
        self.assertEqual((change.transition, change.actor), (stages.SUBMIT, self.w.oscar))
        entry = AuditEntry.objects.filter(object_pk=str(self.process.pk), content_type__model="process").latest("pk")
        self.assertEqual(entry.actor, self.w.oscar)
        self.assertGreater(AuditEntry.objects.count(), before)

    def test_it_refuses_submission_by_another_agency_reviewer_or_leader(self):
        for user in (self.w.olga, self.w.tara, self.w.lena, self.w.audrey):
            with self.subTest(user=user.username), self.assertRaises((PermissionDenied, Http404)):
                self.apply(user, stages.SUBMIT)
        self.process.refresh_from_db()
        self.assertEqual(self.process.stage, Stage.INITIATION)

    def test_it_hides_the_process_from_another_government(self):
        with self.assertRaises(Http404):
            self.apply(self.w.sam, stages.SUBMIT)

    def test_it_refuses_a_transition_from_the_wrong_stage(self):
        for name in (stages.RECOMMEND, stages.SIGN, stages.SEND_BACK, stages.REJECT, stages.DPRD_APPROVED):
            with self.subTest(name=name), self.assertRaises(ValidationError):
                self.apply(self.w.alice, name)

    def test_the_reviewer_sends_back_with_a_reason_and_the_officer_resubmits(self):
        self.apply(self.w.oscar, stages.SUBMIT)
        with self.assertRaises(ValidationError):
            self.apply(self.w.tara, stages.SEND_BACK, reason="")
        self.apply(self.w.tara, stages.SEND_BACK, reason="Lengkapi kajian biaya")
        self.process.refresh_from_db()
        self.assertEqual(self.process.stage, Stage.INITIATION)
        self.assertEqual(self.process.changes.first().reason, "Lengkapi kajian biaya")
        self.apply(self.w.oscar, stages.SUBMIT)
        self.process.refresh_from_db()
        self.assertEqual(self.process.stage, Stage.TKKSD_ASSESSMENT)

    def test_only_the_admin_records_the_recommendation(self):
        self.apply(self.w.oscar, stages.SUBMIT)
        for user in (self.w.tara, self.w.oscar, self.w.lena):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.apply(user, stages.RECOMMEND, recommendation=Recommendation.RECOMMENDED)
        with self.assertRaises(ValidationError):
            self.apply(self.w.alice, stages.RECOMMEND, recommendation=Recommendation.WITH_NOTES, note="")
        self.apply(self.w.alice, stages.RECOMMEND, recommendation=Recommendation.WITH_NOTES, note="Perjelas KPI")
        self.process.refresh_from_db()
        self.assertEqual((self.process.stage, self.process.recommendation), (Stage.OFFER, "with_notes"))

    def test_reject_and_withdraw_close_the_process(self):
        self.apply(self.w.oscar, stages.SUBMIT)
        with self.assertRaises(PermissionDenied):
            self.apply(self.w.tara, stages.REJECT, reason="Tidak layak")
        self.apply(self.w.alice, stages.REJECT, reason="Tidak layak")
        self.process.refresh_from_db()
        self.assertEqual(self.process.stage, Stage.REJECTED)
        self.assertEqual(allowed_transitions(self.w.alice, self.process), [])
        other = propose(self.w, title="Usulan kedua")
        with self.assertRaises(Http404):  # another agency's proposal is not even visible
            transition_apply(actor=self.w.olga, process=other, name=stages.WITHDRAW, data={"reason": "x"})
        transition_apply(actor=self.w.oscar, process=other, name=stages.WITHDRAW, data={"reason": "Batal"})
        other.refresh_from_db()
        self.assertEqual(other.stage, Stage.WITHDRAWN)

    def test_the_full_ksdpk_procedure_signs_the_ksb_then_the_pks_under_it(self):
        process = walk_to(self.w, self.process, Stage.UMBRELLA_SIGNED)
        process.agreement.refresh_from_db()
        self.assertIsNotNone(process.agreement.signed_on)
        self.assertEqual(process.agreement.number, f"KSB/{process.pk}/2026")
        # No DPRD step: the answers say no burden and funding in the APBD.
        self.assertNotIn(Stage.DPRD_APPROVAL, process_track(process))
        process = walk_to(self.w, process, Stage.IMPLEMENTATION)
        pks = process.implementing
        pks.refresh_from_db()
        self.assertEqual((pks.kind, pks.parent_id), (Kind.PKS, process.agreement_id))
        self.assertIsNotNone(pks.signed_on)
        self.assertTrue(pks.documents.filter(kind="draft").exists())

    def test_signing_needs_a_draft_number_and_date(self):
        process = walk_to(self.w, self.process, Stage.UMBRELLA_DRAFTING)
        with self.assertRaises(ValidationError) as caught:
            transition_apply(actor=self.w.alice, process=process, name=stages.SIGN, data={})
        self.assertIn("number", caught.exception.message_dict)
        self.assertIn("__all__", caught.exception.message_dict)  # the draft is missing

    def test_comments_are_kept_per_draft_version(self):
        process = walk_to(self.w, self.process, Stage.UMBRELLA_DRAFTING)
        first = draft_generate(actor=self.w.alice, process=process)
        second = draft_generate(actor=self.w.oscar, process=process)
        self.assertEqual((first.version, second.version), (1, 2))
        comment = comment_add(actor=self.w.tara, process=process, body="Pasal 3 kurang jelas", draft=first)
        self.assertEqual(comment.draft, first)
        with self.assertRaises(PermissionDenied):
            comment_add(actor=self.w.lena, process=process, body="x")
        with self.assertRaises(PermissionDenied):
            draft_generate(actor=self.w.tara, process=process)


class DprdRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_decides_from_the_two_answers(self):
        rule = stages.dprd_approval_required
        self.assertFalse(rule(category=Category.KSDPK, burdens_citizens=False, funding_in_current_apbd=True))
        self.assertTrue(rule(category=Category.KSDPK, burdens_citizens=True, funding_in_current_apbd=True))
        self.assertTrue(rule(category=Category.KSDPK, burdens_citizens=False, funding_in_current_apbd=False))
        self.assertTrue(rule(category=Category.KSDD_VOLUNTARY, burdens_citizens=None, funding_in_current_apbd=True))
        self.assertTrue(rule(category=Category.KSDPL, burdens_citizens=False, funding_in_current_apbd=True))

    def test_a_burden_puts_dprd_approval_after_the_ksb(self):
        process = propose(self.w, burdens=True)
        process = walk_to(self.w, process, Stage.DPRD_APPROVAL)
        self.assertIsNotNone(process.agreement.signed_on)
        with self.assertRaises(ValidationError):
            transition_apply(actor=self.w.alice, process=process, name=stages.DPRD_APPROVED, data={})
        walk_to(self.w, process, Stage.IMPLEMENTING_DRAFTING)
        process.refresh_from_db()
        self.assertEqual(process.implementing.dprd_approval_ref, "DPRD/12/2026")

    def test_foreign_cooperation_needs_dprd_and_central_approval_before_signing(self):
        process = propose(self.w, category=Category.KSDLL)
        track = process_track(process)
        self.assertLess(track.index(Stage.DPRD_APPROVAL), track.index(Stage.CENTRAL_APPROVAL))
        self.assertLess(track.index(Stage.CENTRAL_APPROVAL), track.index(Stage.UMBRELLA_SIGNED))
        process = walk_to(self.w, process, Stage.IMPLEMENTATION)
        process.agreement.refresh_from_db()
        self.assertEqual(process.agreement.central_approval_ref, "Kemendagri/3/2026")


class GuardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_the_edit_form_cannot_sign_an_agreement_in_the_workflow(self):
        process = propose(self.w)
        agreement = process.agreement
        fields = {name: getattr(agreement, name) for name in ("category", "kind", "title", "lead_agency")}
        fields["signed_on"] = timezone.localdate()
        with self.assertRaises(ValidationError) as caught:
            agreement_update(
                actor=self.w.alice, agreement=agreement, fields=fields, parties=[PartyInput(partner=self.w.unila)]
            )
        self.assertIn("signed_on", caught.exception.message_dict)
        agreement.refresh_from_db()
        self.assertIsNone(agreement.signed_on)

    def test_a_signed_pks_cannot_be_registered_under_a_ksb_in_the_workflow(self):
        process = walk_to(self.w, propose(self.w), Stage.UMBRELLA_SIGNED)
        with self.assertRaises(ValidationError) as caught:
            agreement_create(
                actor=self.w.alice,
                fields={
                    "category": Category.KSDPK,
                    "kind": Kind.PKS,
                    "title": "PKS diam-diam",
                    "lead_agency": self.w.dinkes,
                    "parent": process.agreement,
                    "signed_on": timezone.localdate(),
                },
                parties=[PartyInput(partner=self.w.unila)],
            )
        self.assertIn("parent", caught.exception.message_dict)
        self.assertFalse(Agreement.objects.filter(title="PKS diam-diam").exists())

    def test_agreements_outside_the_workflow_are_edited_as_before(self):
        pks = self.w.pks
        fields = {name: getattr(pks, name) for name in ("category", "kind", "title", "lead_agency", "parent")}
        fields["signed_on"] = pks.signed_on - DAY
        agreement_update(actor=self.w.alice, agreement=pks, fields=fields, parties=[PartyInput(partner=self.w.unila)])
        pks.refresh_from_db()
        self.assertEqual(pks.signed_on, fields["signed_on"])
        self.assertFalse(Process.objects.exists())
