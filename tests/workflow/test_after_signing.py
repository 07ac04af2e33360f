"""Extension (renewal lineage), amendment (rationale) and termination (ground, survivors)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone
from personas import build_world

from jalin.agreements.models import Kind, TerminationGround
from jalin.workflow.models import Origin, Stage
from jalin.workflow.services import amendment_start, extension_start, termination_record

DAY = datetime.timedelta(days=1)


class ExtensionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_creates_a_renewal_linked_to_its_predecessor_at_initiation(self):
        process = extension_start(
            actor=self.w.oscar, agreement=self.w.pks, burdens_citizens=False, funding_in_current_apbd=True
        )
        renewal = process.agreement
        self.assertEqual(renewal.predecessor, self.w.pks)
        self.assertEqual((renewal.kind, renewal.parent_id), (Kind.PKS, self.w.ksb.pk))
        self.assertIsNone(renewal.signed_on)
        self.assertEqual((process.stage, process.origin), (Stage.INITIATION, Origin.EXTENSION))
        self.assertEqual(list(self.w.pks.renewals.all()), [renewal])

    def test_it_refuses_a_second_renewal_and_other_agencies(self):
        extension_start(actor=self.w.alice, agreement=self.w.pks)
        with self.assertRaises(ValidationError):
            extension_start(actor=self.w.alice, agreement=self.w.pks)
        with self.assertRaises(PermissionDenied):
            extension_start(actor=self.w.tara, agreement=self.w.tourism)


class AmendmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_records_the_rationale_on_an_addendum_under_the_agreement(self):
        process = amendment_start(actor=self.w.alice, agreement=self.w.pks, title="", rationale="Tambah lokasi layanan")
        addendum = process.agreement
        self.assertEqual((addendum.kind, addendum.parent_id), (Kind.ADDENDUM, self.w.pks.pk))
        self.assertEqual(addendum.amendment_record.rationale, "Tambah lokasi layanan")
        self.assertEqual(process.origin, Origin.AMENDMENT)

    def test_it_needs_a_rationale(self):
        with self.assertRaises(ValidationError):
            amendment_start(actor=self.w.alice, agreement=self.w.pks, title="", rationale=" ")


class TerminationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def test_it_records_ground_date_and_surviving_obligations(self):
        today = timezone.localdate()
        record = termination_record(
            actor=self.w.alice,
            agreement=self.w.tourism,
            ground=TerminationGround.BREACH,
            terminated_on=today,
            note="Mitra tidak melaksanakan kewajiban",
            surviving_obligations="Kerahasiaan data tetap berlaku 2 tahun",
        )
        self.w.tourism.refresh_from_db()
        self.assertEqual((self.w.tourism.terminated_on, self.w.tourism.termination_ground), (today, "breach"))
        self.assertEqual(record.surviving_obligations, "Kerahasiaan data tetap berlaku 2 tahun")
        self.assertEqual(self.w.tourism.get_status(), "terminated")

    def test_it_refuses_bad_input_and_the_wrong_roles(self):
        today = timezone.localdate()
        with self.assertRaises(ValidationError):
            termination_record(actor=self.w.alice, agreement=self.w.tourism, ground="boredom", terminated_on=today)
        with self.assertRaises(ValidationError):
            termination_record(
                actor=self.w.alice,
                agreement=self.w.tourism,
                ground=TerminationGround.AGREED,
                terminated_on=self.w.tourism.signed_on - DAY,
            )
        with self.assertRaises(PermissionDenied):
            termination_record(
                actor=self.w.olga, agreement=self.w.tourism, ground=TerminationGround.AGREED, terminated_on=today
            )
        self.w.tourism.refresh_from_db()
        self.assertIsNone(self.w.tourism.terminated_on)
