import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone, translation
from personas import agreement as make_agreement
from personas import build_world

from jalin.agreements import services
from jalin.agreements.models import Agreement, AgreementParty, Category, Kind, Status
from jalin.agreements.services import (
    EDITABLE_FIELDS,
    PartyInput,
    agreement_archive,
    agreement_create,
    agreement_update,
)
from jalin.audit.models import AuditEntry

DAY = datetime.timedelta(days=1)


def new_fields(lead, **overrides) -> dict:
    """A valid PKS of the home government, one year long, signed ten days ago."""
    today = timezone.localdate()
    fields = {
        "category": Category.KSDPK,
        "kind": Kind.PKS,
        "title": "PKS beasiswa tenaga kesehatan",
        "lead_agency": lead,
        "signed_on": today - 10 * DAY,
        "effective_on": today - 10 * DAY,
        "ends_on": today + 355 * DAY,
    }
    fields.update(overrides)
    return fields


def fields_of(agreement: Agreement, **overrides) -> dict:
    fields = {name: getattr(agreement, name) for name in EDITABLE_FIELDS}
    fields.update(overrides)
    return fields


def parties(*partners, number: str = "") -> list[PartyInput]:
    return [PartyInput(partner=partner, party_number=number) for partner in partners]


class AgreementServiceTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()

    def assertInvalid(self, call, field: str) -> list[str]:
        """The call raises a ValidationError naming `field`, with non-empty messages; returns them."""
        with self.assertRaises(ValidationError) as caught:
            call()
        errors = caught.exception.message_dict
        self.assertIn(field, errors, errors)
        self.assertTrue(errors[field])
        self.assertTrue(all(message.strip() for message in errors[field]))
        return errors[field]

    def create(self, actor=None, partners=None, supporting=(), **overrides) -> Agreement:
        return agreement_create(
            actor=actor or self.w.alice,
            fields=new_fields(self.w.dinkes, **overrides),
            parties=parties(*(partners if partners is not None else [self.w.bank])),
            supporting_agencies=list(supporting),
        )


class CreateValidationTests(AgreementServiceTestCase):
    def test_it_creates_a_valid_agreement_with_its_parties(self):
        agreement = self.create(number=" 556/9/PKS/2025 ", supporting=[self.w.dispar])
        self.assertEqual(agreement.government, self.w.pesawaran)
        self.assertEqual(agreement.created_by, self.w.alice)
        self.assertEqual(agreement.number, "556/9/PKS/2025")
        self.assertEqual(list(agreement.partners.all()), [self.w.bank])
        self.assertEqual(list(agreement.supporting_agencies.all()), [self.w.dispar])
        self.assertEqual(agreement.get_status(), Status.ACTIVE)

    def test_it_refuses_an_end_date_not_after_the_start(self):
        today = timezone.localdate()
        self.assertInvalid(lambda: self.create(effective_on=today - DAY, ends_on=today - DAY), "ends_on")
        self.assertInvalid(lambda: self.create(effective_on=None, signed_on=today, ends_on=today - DAY), "ends_on")

    def test_it_explains_the_end_date_rule_in_english(self):
        today = timezone.localdate()
        with translation.override("en"):
            messages = self.assertInvalid(lambda: self.create(ends_on=today - 20 * DAY), "ends_on")
        self.assertEqual(messages, ["The end date must be after the start date."])

    def test_it_refuses_a_signing_date_in_the_future(self):
        tomorrow = timezone.localdate() + DAY
        self.assertInvalid(lambda: self.create(signed_on=tomorrow, effective_on=None), "signed_on")

    def test_it_accepts_a_signing_date_of_today(self):
        today = timezone.localdate()
        agreement = self.create(signed_on=today, effective_on=today)
        self.assertEqual(agreement.signed_on, today)

    @override_settings(PKS_MAX_YEARS=5)
    def test_it_requires_a_legal_basis_for_a_pks_longer_than_five_years(self):
        start = datetime.date(2024, 1, 15)
        too_long = {"signed_on": start, "effective_on": start, "ends_on": datetime.date(2029, 1, 16)}
        self.assertInvalid(lambda: self.create(**too_long), "longer_term_basis")
        self.assertInvalid(lambda: self.create(longer_term_basis="   ", **too_long), "longer_term_basis")

        exactly_five = self.create(signed_on=start, effective_on=start, ends_on=datetime.date(2029, 1, 15))
        self.assertEqual(exactly_five.longer_term_basis, "")
        with_basis = self.create(longer_term_basis="UU 23/2014 Pasal 363", **too_long)
        self.assertEqual(with_basis.longer_term_basis, "UU 23/2014 Pasal 363")

    def test_it_lets_an_umbrella_agreement_run_longer_than_five_years(self):
        start = datetime.date(2024, 1, 15)
        ksb = self.create(kind=Kind.KSB, signed_on=start, effective_on=start, ends_on=datetime.date(2034, 1, 15))
        self.assertEqual(ksb.kind, Kind.KSB)

    def test_it_places_a_pks_under_a_ksb_with_the_same_partners(self):
        pks = self.create(parent=self.w.ksb, partners=[self.w.unila])
        self.assertEqual(pks.parent, self.w.ksb)

    def test_it_refuses_a_pks_under_a_document_that_is_not_an_umbrella(self):
        self.assertInvalid(lambda: self.create(parent=self.w.tourism, partners=[self.w.bank]), "parent")
        self.assertInvalid(lambda: self.create(kind=Kind.RK, parent=self.w.pks, partners=[self.w.unila]), "parent")

    def test_it_refuses_a_pks_with_a_partner_the_umbrella_does_not_have(self):
        self.assertInvalid(lambda: self.create(parent=self.w.ksb, partners=[self.w.unila, self.w.bank]), "parent")
        self.assertInvalid(lambda: self.create(parent=self.w.ksb, partners=[self.w.bank]), "parent")

    def test_it_refuses_a_parent_for_an_umbrella_agreement(self):
        self.assertInvalid(lambda: self.create(kind=Kind.MOU, parent=self.w.ksb, partners=[self.w.unila]), "parent")

    def test_it_requires_an_addendum_to_name_what_it_amends(self):
        self.assertInvalid(lambda: self.create(kind=Kind.ADDENDUM, parent=None), "parent")

    def test_it_refuses_an_addendum_to_an_addendum(self):
        addendum = self.create(kind=Kind.ADDENDUM, parent=self.w.tourism)
        self.assertEqual(addendum.parent, self.w.tourism)
        self.assertInvalid(lambda: self.create(kind=Kind.ADDENDUM, parent=addendum), "parent")

    def test_it_requires_a_renewal_to_be_of_the_same_kind(self):
        self.assertInvalid(lambda: self.create(kind=Kind.MOU, predecessor=self.w.tourism), "predecessor")
        renewal = self.create(predecessor=self.w.tourism)
        self.assertEqual(renewal.predecessor, self.w.tourism)

    def test_it_refuses_a_parent_or_predecessor_of_another_government(self):
        w = self.w
        self.assertInvalid(lambda: self.create(kind=Kind.ADDENDUM, parent=w.lamsel_agreement), "parent")
        self.assertInvalid(lambda: self.create(predecessor=w.lamsel_agreement), "predecessor")

    def test_it_refuses_agencies_and_officers_of_another_government(self):
        w = self.w
        self.assertInvalid(lambda: self.create(lead_agency=w.lamsel_agency), "lead_agency")
        self.assertInvalid(lambda: self.create(supporting=[w.lamsel_agency]), "supporting_agencies")
        self.assertInvalid(lambda: self.create(liaison_officer=w.sam), "liaison_officer")
        with_officer = self.create(liaison_officer=w.oscar)
        self.assertEqual(with_officer.liaison_officer, w.oscar)

    def test_it_refuses_a_partner_of_another_government(self):
        self.assertInvalid(lambda: self.create(partners=[self.w.lamsel_partner]), NON_FIELD_ERRORS)

    def test_it_refuses_the_lead_agency_as_a_supporting_agency(self):
        self.assertInvalid(lambda: self.create(supporting=[self.w.dinkes]), "supporting_agencies")

    def test_it_requires_a_lead_agency(self):
        self.assertInvalid(lambda: self.create(lead_agency=None), "lead_agency")

    def test_it_keeps_our_number_unique_within_a_government(self):
        self.assertInvalid(lambda: self.create(number="180/1/KSB/2024"), "number")
        self.assertInvalid(lambda: self.create(number="  180/1/KSB/2024 "), "number")

    def test_it_allows_the_same_number_in_another_government(self):
        w = self.w
        other = agreement_create(
            actor=w.sam,
            fields=new_fields(w.lamsel_agency, number="180/1/KSB/2024"),
            parties=parties(w.lamsel_partner),
        )
        self.assertEqual(other.government, w.lamsel)
        self.assertEqual(Agreement.objects.filter(number="180/1/KSB/2024").count(), 2)

    def test_it_keeps_the_partners_number_unique_per_partner(self):
        w = self.w
        first = agreement_create(
            actor=w.alice, fields=new_fields(w.dinkes), parties=parties(w.bank, number="BL/001/2025")
        )
        self.assertEqual(first.parties.get().party_number, "BL/001/2025")
        self.assertInvalid(
            lambda: agreement_create(
                actor=w.alice, fields=new_fields(w.dinkes), parties=parties(w.bank, number="BL/001/2025")
            ),
            NON_FIELD_ERRORS,
        )
        # The number is stored stripped, so a padded copy is the same number.
        self.assertInvalid(
            lambda: agreement_create(
                actor=w.alice, fields=new_fields(w.dinkes), parties=parties(w.bank, number="  BL/001/2025 ")
            ),
            NON_FIELD_ERRORS,
        )
        # Another partner may use the same number for its own document.
        other = agreement_create(
            actor=w.alice, fields=new_fields(w.dinkes), parties=parties(w.unila, number="BL/001/2025")
        )
        self.assertEqual(other.parties.get().partner, w.unila)

    def test_it_requires_at_least_one_partner(self):
        self.assertInvalid(lambda: self.create(partners=[]), NON_FIELD_ERRORS)

    def test_it_refuses_the_same_partner_twice(self):
        self.assertInvalid(lambda: self.create(partners=[self.w.bank, self.w.bank]), NON_FIELD_ERRORS)

    def test_it_reports_every_problem_at_once(self):
        today = timezone.localdate()
        with self.assertRaises(ValidationError) as caught:
            self.create(ends_on=today - 20 * DAY, number="180/1/KSB/2024", partners=[])
        self.assertLessEqual({"ends_on", "number", NON_FIELD_ERRORS}, set(caught.exception.message_dict))

    def test_it_changes_nothing_when_validation_fails(self):
        before = (Agreement.objects.count(), AgreementParty.objects.count(), AuditEntry.objects.count())
        with self.assertRaises(ValidationError):
            self.create(number="180/1/KSB/2024", supporting=[self.w.dispar])
        with self.assertRaises(ValidationError):
            self.create(actor=self.w.oscar, lead_agency=self.w.dispar)
        after = (Agreement.objects.count(), AgreementParty.objects.count(), AuditEntry.objects.count())
        self.assertEqual(after, before)


class CreatePermissionTests(AgreementServiceTestCase):
    def test_it_lets_an_opd_officer_register_an_agreement_their_agency_leads(self):
        agreement = self.create(actor=self.w.oscar)
        self.assertEqual(agreement.lead_agency, self.w.dinkes)
        self.assertEqual(agreement.created_by, self.w.oscar)

    def test_it_lets_an_opd_officer_register_an_agreement_their_agency_supports(self):
        agreement = self.create(actor=self.w.olga, supporting=[self.w.dispar])
        self.assertEqual(list(agreement.supporting_agencies.all()), [self.w.dispar])

    def test_it_refuses_an_opd_officer_registering_for_other_agencies(self):
        self.assertInvalid(lambda: self.create(actor=self.w.olga), "lead_agency")

    def test_it_refuses_roles_that_do_not_write(self):
        w = self.w
        for reader in (w.lena, w.audrey, w.tara, w.vera):
            with self.subTest(role=reader.role), self.assertRaises(PermissionDenied):
                self.create(actor=reader)
        self.assertFalse(Agreement.objects.filter(title="PKS beasiswa tenaga kesehatan").exists())


class UpdateTests(AgreementServiceTestCase):
    def test_it_updates_an_agreement(self):
        w = self.w
        updated = agreement_update(
            actor=w.alice,
            agreement=w.tourism,
            fields=fields_of(w.tourism, title="PKS promosi wisata bahari"),
            parties=parties(w.bank),
            supporting_agencies=[w.dinkes],
        )
        updated.refresh_from_db()
        self.assertEqual(updated.title, "PKS promosi wisata bahari")
        self.assertEqual(updated.number, "556/3/PKS/2024")
        self.assertEqual(list(updated.supporting_agencies.all()), [w.dinkes])

    def test_it_lets_the_lead_agencys_officer_update(self):
        w = self.w
        agreement_update(
            actor=w.oscar, agreement=w.pks, fields=fields_of(w.pks, scope="Layanan keliling"), parties=parties(w.unila)
        )
        self.assertEqual(Agreement.objects.get(pk=w.pks.pk).scope, "Layanan keliling")

    def test_it_refuses_an_update_by_an_officer_of_another_agency(self):
        w = self.w
        with self.assertRaises(PermissionDenied):
            agreement_update(
                actor=w.olga, agreement=w.ksb, fields=fields_of(w.ksb, title="Diubah"), parties=parties(w.unila)
            )
        self.assertEqual(Agreement.objects.get(pk=w.ksb.pk).title, "Kesepakatan bersama bidang kesehatan")

    def test_it_refuses_an_update_from_another_government(self):
        w = self.w
        with self.assertRaises(PermissionDenied):
            agreement_update(
                actor=w.sam, agreement=w.ksb, fields=fields_of(w.ksb, title="Diubah"), parties=parties(w.unila)
            )

    def test_it_refuses_a_reader_updating(self):
        w = self.w
        for reader in (w.lena, w.audrey, w.tara):
            with self.subTest(role=reader.role), self.assertRaises(PermissionDenied):
                agreement_update(actor=reader, agreement=w.ksb, fields=fields_of(w.ksb), parties=parties(w.unila))

    def test_it_refuses_an_agreement_as_its_own_parent_or_predecessor(self):
        w = self.w
        addendum = self.create(kind=Kind.ADDENDUM, parent=w.tourism)
        self.assertInvalid(
            lambda: agreement_update(
                actor=w.alice, agreement=addendum, fields=fields_of(addendum, parent=addendum), parties=parties(w.bank)
            ),
            "parent",
        )
        self.assertInvalid(
            lambda: agreement_update(
                actor=w.alice,
                agreement=addendum,
                fields=fields_of(addendum, predecessor=addendum),
                parties=parties(w.bank),
            ),
            "predecessor",
        )

    def test_it_changes_nothing_when_an_update_is_invalid(self):
        w = self.w
        agreement_update(
            actor=w.alice,
            agreement=w.tourism,
            fields=fields_of(w.tourism),
            parties=parties(w.bank, number="BL/7/2024"),
            supporting_agencies=[w.dinkes],
        )
        before = Agreement.objects.get(pk=w.tourism.pk)
        counts = (AgreementParty.objects.count(), AuditEntry.objects.count())

        self.assertInvalid(
            lambda: agreement_update(
                actor=w.alice,
                agreement=w.tourism,
                fields=fields_of(w.tourism, title="Judul baru", number="180/1/KSB/2024"),
                parties=parties(w.unila),
                supporting_agencies=[],
            ),
            "number",
        )

        after = Agreement.objects.get(pk=w.tourism.pk)
        self.assertEqual(
            (after.title, after.number, after.updated_at), (before.title, before.number, before.updated_at)
        )
        self.assertEqual(list(after.partners.all()), [w.bank])
        self.assertEqual(after.parties.get().party_number, "BL/7/2024")
        self.assertEqual(list(after.supporting_agencies.all()), [w.dinkes])
        self.assertEqual((AgreementParty.objects.count(), AuditEntry.objects.count()), counts)


class ArchiveTests(AgreementServiceTestCase):
    def test_it_archives_without_deleting(self):
        w = self.w
        archived = agreement_archive(actor=w.alice, agreement=w.tourism, reason="  Dobel input  ")
        row = Agreement.objects.get(pk=w.tourism.pk)
        self.assertIsNotNone(row.archived_at)
        self.assertEqual(row.archive_reason, "Dobel input")
        self.assertEqual(archived.archived_at, row.archived_at)
        self.assertEqual(row.get_status(), Status.ARCHIVED)
        self.assertEqual(Agreement.objects.with_status().get(pk=row.pk).derived_status, Status.ARCHIVED)
        self.assertEqual(list(row.partners.all()), [w.bank])
        self.assertNotIn(row, Agreement.objects.live())

    def test_it_lets_only_an_admin_archive(self):
        w = self.w
        for actor in (w.oscar, w.olga, w.lena, w.audrey, w.tara, w.vera, w.sam):
            with self.subTest(user=actor.username), self.assertRaises(PermissionDenied):
                agreement_archive(actor=actor, agreement=w.tourism, reason="Tidak berjalan")
        self.assertIsNone(Agreement.objects.get(pk=w.tourism.pk).archived_at)

    def test_it_needs_a_reason(self):
        self.assertInvalid(
            lambda: agreement_archive(actor=self.w.alice, agreement=self.w.tourism, reason="  "), "reason"
        )
        self.assertIsNone(Agreement.objects.get(pk=self.w.tourism.pk).archived_at)

    def test_it_refuses_while_live_children_exist(self):
        w = self.w
        self.assertInvalid(lambda: agreement_archive(actor=w.alice, agreement=w.ksb, reason="Selesai"), "reason")
        self.assertIsNone(Agreement.objects.get(pk=w.ksb.pk).archived_at)

        agreement_archive(actor=w.alice, agreement=w.pks, reason="Selesai")
        agreement_archive(actor=w.alice, agreement=w.ksb, reason="Selesai")
        self.assertEqual(Agreement.objects.in_status(Status.ARCHIVED).filter(pk__in=[w.ksb.pk, w.pks.pk]).count(), 2)

    def test_it_refuses_to_change_an_archived_agreement(self):
        w = self.w
        agreement_archive(actor=w.alice, agreement=w.tourism, reason="Dobel input")
        with self.assertRaises(PermissionDenied):
            agreement_update(actor=w.alice, agreement=w.tourism, fields=fields_of(w.tourism), parties=parties(w.bank))
        with self.assertRaises(PermissionDenied):
            agreement_archive(actor=w.alice, agreement=w.tourism, reason="Lagi")


class DerivedStatusTests(AgreementServiceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        today = timezone.localdate()
        long_ago = today - 800 * DAY

        def make(title, **fields):
            return agreement_create(
                actor=w.alice, fields=new_fields(w.dinkes, title=title, **fields), parties=parties(w.bank)
            )

        cls.expected = {
            Status.DRAFT: make("Draft", signed_on=None, effective_on=None, ends_on=None),
            Status.ACTIVE: make("Active", ends_on=today + 400 * DAY),
            Status.EXPIRING: make("Expiring", ends_on=today + 30 * DAY),
            Status.EXPIRED: make("Expired", signed_on=long_ago, effective_on=long_ago, ends_on=today - DAY),
            Status.TERMINATED: make("Terminated"),
            Status.ARCHIVED: make("Archived"),
        }
        Agreement.objects.filter(pk=cls.expected[Status.TERMINATED].pk).update(
            terminated_on=today - DAY, termination_ground="agreed"
        )
        agreement_archive(actor=w.alice, agreement=cls.expected[Status.ARCHIVED], reason="Salah input")

    def test_it_derives_each_status_from_the_dates(self):
        for status, agreement in self.expected.items():
            row = Agreement.objects.get(pk=agreement.pk)
            with self.subTest(status=status):
                self.assertEqual(row.get_status(), status)
                self.assertEqual(row.status, status)

    def test_it_agrees_between_the_model_and_the_queryset(self):
        pks = [agreement.pk for agreement in self.expected.values()]
        annotated = Agreement.objects.filter(pk__in=pks).with_status()
        self.assertEqual(len(annotated), len(pks))
        for row in annotated:
            with self.subTest(title=row.title):
                self.assertEqual(row.derived_status, row.get_status())
                self.assertEqual(row.status, row.get_status())
        for status, agreement in self.expected.items():
            with self.subTest(status=status):
                selected = Agreement.objects.filter(pk__in=pks).in_status(status)
                self.assertEqual(list(selected), [agreement])

    def test_it_agrees_at_the_boundaries_of_the_expiring_window(self):
        w = self.w
        today = datetime.date(2026, 6, 1)
        with override_settings(EXPIRING_WITHIN_DAYS=180):
            cases = {
                today - DAY: Status.EXPIRED,
                today: Status.EXPIRING,
                today + 180 * DAY: Status.EXPIRING,
                today + 181 * DAY: Status.ACTIVE,
                None: Status.ACTIVE,
            }
            rows = {}
            for ends_on, status in cases.items():
                agreement = agreement_create(
                    actor=w.alice,
                    fields=new_fields(
                        w.dinkes, title=f"Batas {ends_on}", signed_on=datetime.date(2024, 1, 1), effective_on=None
                    )
                    | {"ends_on": ends_on},
                    parties=parties(w.bank),
                )
                rows[agreement.pk] = status
            annotated = {row.pk: row for row in Agreement.objects.filter(pk__in=rows).with_status(today)}
            for pk, status in rows.items():
                with self.subTest(ends_on=annotated[pk].ends_on):
                    self.assertEqual(annotated[pk].get_status(today), status)
                    self.assertEqual(annotated[pk].derived_status, status)
                    self.assertTrue(Agreement.objects.in_status(status, today).filter(pk=pk).exists())


class OptimisticLockingTests(TestCase):
    """Two people edit the same agreement: the second save does not silently overwrite the first."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def fields_of(self, agreement, **changes):
        fields = {name: getattr(agreement, name) for name in services.EDITABLE_FIELDS}
        fields.update(changes)
        return fields

    def update(self, actor, agreement, version, **changes):
        return services.agreement_update(
            actor=actor,
            agreement=agreement,
            fields=self.fields_of(agreement, **changes),
            parties=[services.PartyInput(partner=party.partner) for party in agreement.parties.all()],
            edited_version=version,
        )

    def test_it_refuses_an_edit_started_before_someone_elses_save(self):
        pks = Agreement.objects.get(pk=self.world.pks.pk)
        alice_started = services.edit_version(pks)
        oscar_started = services.edit_version(pks)
        self.update(self.world.oscar, pks, oscar_started, title="Judul dari Oscar")
        with self.assertRaises(ValidationError) as raised:
            self.update(self.world.alice, Agreement.objects.get(pk=pks.pk), alice_started, title="Judul dari Alice")
        self.assertEqual(raised.exception.error_list[0].code, "stale")
        with translation.override("en"):
            self.assertIn("changed by", str(self.update_message(alice_started)))
        self.assertEqual(Agreement.objects.get(pk=pks.pk).title, "Judul dari Oscar")

    def update_message(self, version):
        try:
            self.update(self.world.alice, Agreement.objects.get(pk=self.world.pks.pk), version, title="x")
        except ValidationError as error:
            return error.messages[0]
        return ""

    def test_an_edit_from_the_current_version_is_saved(self):
        pks = Agreement.objects.get(pk=self.world.pks.pk)
        self.update(self.world.alice, pks, services.edit_version(pks), title="Judul baru")
        self.assertEqual(Agreement.objects.get(pk=pks.pk).title, "Judul baru")

    def test_the_edit_page_shows_the_conflict_and_keeps_the_other_change(self):
        pks = Agreement.objects.get(pk=self.world.pks.pk)
        self.client.force_login(self.world.alice)
        page = self.client.get(f"/app/agreements/{pks.pk}/edit/")
        version = page.context["form"]["edited_version"].value()
        self.assertEqual(version, services.edit_version(pks))
        self.update(self.world.oscar, pks, version, title="Judul dari Oscar")
        data = {
            "edited_version": version,
            "category": pks.category,
            "kind": pks.kind,
            "number": pks.number,
            "title": "Judul dari Alice",
            "lead_agency": pks.lead_agency_id,
            "parent": pks.parent_id,
            "signed_on": pks.signed_on.isoformat(),
            "effective_on": pks.effective_on.isoformat(),
            "ends_on": pks.ends_on.isoformat(),
            "financing": pks.financing,
            "party-TOTAL_FORMS": "1",
            "party-INITIAL_FORMS": "1",
            "party-MIN_NUM_FORMS": "0",
            "party-MAX_NUM_FORMS": "20",
            "party-0-partner": self.world.unila.pk,
        }
        response = self.client.post(f"/app/agreements/{pks.pk}/edit/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Oscar")
        self.assertEqual(Agreement.objects.get(pk=pks.pk).title, "Judul dari Oscar")


class NegativeValueTests(TestCase):
    """A negative value is refused as negative (it once came back as a duplicate number)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_a_negative_value_says_it_must_be_0_or_more(self):
        w = self.world
        with translation.override("id"), self.assertRaises(ValidationError) as caught:
            make_agreement(w.alice, "PKS nilai negatif", w.dinkes, [w.unila], number="180/99/PKS/2024", value=-5)
        self.assertEqual(caught.exception.message_dict, {"value": ["Harus 0 atau lebih."]})

    def test_the_form_shows_the_message_beside_the_value(self):
        w = self.world
        self.client.force_login(w.alice)
        response = self.client.post(
            "/app/agreements/new/",
            {
                "category": "ksdpk",
                "kind": "pks",
                "title": "PKS nilai negatif",
                "lead_agency": w.dinkes.pk,
                "financing": "apbd",
                "value": "-1000",
                "party-TOTAL_FORMS": "1",
                "party-INITIAL_FORMS": "0",
                "party-0-partner": w.unila.pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Harus 0 atau lebih.")
        self.assertNotContains(response, "sudah digunakan")
