import io
from collections import Counter

from django.core.management import CommandError, call_command, get_commands
from django.test import TestCase

from jalin.accounts import access
from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, Category, Kind, Status
from jalin.audit.models import AuditEntry
from jalin.demo import builder as demo
from jalin.governments.models import Affair, Agency, Government
from jalin.partners.models import Partner, PartnerType


def load_reference_data() -> None:
    if "load_reference_data" in get_commands():
        call_command("load_reference_data", verbosity=0)
        return
    # Until that command exists: only the rows the demo refers to.
    national = Government.objects.create(code="00", name="Pemerintah Pusat", level=Government.Level.NATIONAL)
    provinces = {
        code: Government.objects.create(code=code, name=name, level=Government.Level.PROVINCE, parent=national)
        for code, name in (("18", "Provinsi Lampung"), ("35", "Provinsi Jawa Timur"))
    }
    for code, name in (
        ("18.01", "Kabupaten Lampung Selatan"),
        ("18.06", "Kabupaten Tanggamus"),
        ("18.09", "Kabupaten Pesawaran"),
        ("18.10", "Kabupaten Pringsewu"),
        ("18.13", "Kabupaten Pesisir Barat"),
        ("18.71", "Kota Bandar Lampung"),
        ("18.72", "Kota Metro"),
        ("35.10", "Kabupaten Banyuwangi"),
    ):
        level = Government.Level.CITY if name.startswith("Kota") else Government.Level.REGENCY
        Government.objects.create(code=code, name=name, level=level, parent=provinces[code.split(".")[0]])
    codes = {code for government in demo.DEMOS for spec in government.agreements for code in spec.affairs}
    for code in codes:
        Affair.objects.create(code=code, name=f"Urusan {code}", group=Affair.Group.NON_BASIC)


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, force=True, **options)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in (User, Agency, Partner, Agreement, AuditEntry)}


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_reference_data()
        cls.output = seed()
        cls.pesawaran = Government.objects.get(code="18.09")
        cls.lamsel = Government.objects.get(code="18.01")
        cls.agreements = Agreement.objects.filter(government=cls.pesawaran)

    def test_it_builds_a_government_of_realistic_size(self):
        self.assertGreaterEqual(Agency.objects.filter(government=self.pesawaran).count(), 15)
        self.assertGreaterEqual(Partner.objects.filter(government=self.pesawaran).count(), 40)
        self.assertGreaterEqual(self.agreements.count(), 60)

    def test_it_registers_partners_of_every_type_with_distinct_tax_numbers(self):
        partners = Partner.objects.filter(government=self.pesawaran)
        self.assertEqual(set(partners.values_list("partner_type", flat=True)), set(PartnerType.values))
        tax_numbers = [number for number in partners.values_list("tax_number", flat=True) if number]
        self.assertEqual(len(tax_numbers), len(set(tax_numbers)))
        self.assertTrue(all(len(number) in (15, 16) for number in tax_numbers))
        for partner in partners.filter(partner_type=PartnerType.GOVERNMENT):
            self.assertIsNotNone(partner.region_id, partner.name)

    def test_it_covers_every_category_and_kind(self):
        self.assertEqual(set(self.agreements.values_list("category", flat=True)), set(Category.values))
        self.assertEqual(set(self.agreements.values_list("kind", flat=True)), set(Kind.values))

    def test_it_links_agreements_into_lineages(self):
        self.assertTrue(self.agreements.filter(kind=Kind.PKS, parent__kind=Kind.KSB).exists())
        self.assertTrue(self.agreements.filter(kind=Kind.ADDENDUM, parent__kind=Kind.PKS).exists())
        self.assertTrue(self.agreements.filter(kind=Kind.RK, parent__kind=Kind.NK).exists())
        self.assertTrue(
            self.agreements.filter(
                kind=Kind.PKS, parent__kind=Kind.MOU, partners__partner_type=PartnerType.UNIVERSITY
            ).exists()
        )
        self.assertTrue(self.agreements.filter(predecessor__isnull=False).exists())
        # A KSB -> PKS -> addendum chain, all with the same partner.
        addendum = self.agreements.filter(kind=Kind.ADDENDUM, parent__parent__kind=Kind.KSB).first()
        self.assertIsNotNone(addendum)
        partner_ids = {
            frozenset(agreement.partners.values_list("pk", flat=True))
            for agreement in (addendum, addendum.parent, addendum.parent.parent)
        }
        self.assertEqual(len(partner_ids), 1)

    def test_it_spreads_agreements_over_every_status(self):
        statuses = Counter(self.agreements.with_status().values_list("derived_status", flat=True))
        self.assertEqual(set(statuses), set(Status.values))
        self.assertGreaterEqual(statuses[Status.EXPIRING], 3)
        self.assertGreaterEqual(statuses[Status.EXPIRED], 3)
        self.assertGreaterEqual(self.agreements.expiring_within(30).count(), 1)
        active = self.agreements.in_status(Status.ACTIVE)
        self.assertAlmostEqual(active.filter(is_public=True).count() / active.count(), 0.5, delta=0.15)

    def test_it_terminates_with_a_ground(self):
        for agreement in self.agreements.in_status(Status.TERMINATED):
            self.assertTrue(agreement.termination_ground)
            self.assertGreater(agreement.terminated_on, agreement.signed_on)

    def test_it_creates_one_user_per_role(self):
        roles = {
            user.role: user for user in User.objects.filter(username__in=[s.username for s in demo.PESAWARAN.users])
        }
        self.assertEqual(set(roles), set(Role.values))
        self.assertEqual(roles[Role.SUPERVISOR].government.code, "18")
        for role in set(Role.values) - {Role.SUPERVISOR}:
            self.assertEqual(roles[role].government, self.pesawaran)
        self.assertEqual(User.objects.get(username="opd.dinkes").agency.short_name, "Dinkes")
        self.assertEqual(User.objects.get(username="opd.pariwisata").agency.short_name, "Dispar")
        self.assertTrue(User.objects.get(username="admin").check_password(demo.DEMO_PASSWORD))
        superuser = User.objects.get(username="superadmin")
        self.assertTrue(superuser.is_superuser and superuser.is_staff)
        self.assertEqual(superuser.role, "")

    def test_it_keeps_lampung_selatan_apart(self):
        sam = User.objects.get(username="admin.lamsel")
        self.assertEqual(sam.government, self.lamsel)
        self.assertEqual(Agency.objects.filter(government=self.lamsel).count(), 2)
        self.assertEqual(Partner.objects.filter(government=self.lamsel).count(), 3)
        visible = access.agreements_visible_to(sam)
        self.assertEqual(visible.count(), 3)
        self.assertFalse(visible.filter(government=self.pesawaran).exists())
        supervisor = User.objects.get(username="provinsi")
        self.assertEqual(
            set(access.agreements_visible_to(supervisor).values_list("government__code", flat=True)), {"18.01", "18.09"}
        )

    def test_it_audits_every_agreement_as_the_admin(self):
        admins = {
            self.pesawaran.pk: User.objects.get(username="admin"),
            self.lamsel.pk: User.objects.get(username="admin.lamsel"),
        }
        for agreement in Agreement.objects.all():
            self.assertTrue(
                AuditEntry.objects.filter(agreement=agreement, actor=admins[agreement.government_id]).exists(),
                agreement.number,
            )

    def test_it_creates_nothing_on_a_second_run(self):
        before = counts()
        seed(seed=7)
        self.assertEqual(counts(), before)
        tally = demo.build_demo()
        self.assertEqual(sum(tally.created.values()), 0)
        self.assertEqual(tally.present["agreements"], before["Agreement"])

    def test_it_prints_the_logins(self):
        for username in ("superadmin", "admin", "opd.dinkes", "opd.pariwisata", "tkksd", "pimpinan", "inspektorat"):
            self.assertIn(username, self.output)
        self.assertIn(demo.DEMO_PASSWORD, self.output)
        self.assertIn("http://127.0.0.1:8000/app/", self.output)
        out = io.StringIO()
        call_command("demo_logins", stdout=out)
        self.assertIn("admin.lamsel", out.getvalue())
        self.assertIn("Kabupaten Lampung Selatan", out.getvalue())


class SeedDemoSecondFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_reference_data()
        cls.output = seed()

    def test_it_enrols_the_users_who_need_a_second_factor_with_the_printed_secret(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from jalin.accounts import two_factor
        from jalin.demo import logins

        for user in User.objects.all():
            self.assertEqual(two_factor.has_second_factor(user), two_factor.requires_two_factor(user), user.username)
        self.assertIn(logins.DEMO_TOTP_SECRET, self.output)
        admin = User.objects.get(username="admin")
        self.assertTrue(TOTPDevice.objects.get(user=admin).verify_token(logins.current_demo_code()))
        # The login then goes through the code step and lands on the dashboard.
        self.client.post("/app/login/", {"username": "pimpinan", "password": "jalin-demo-2026"})
        response = self.client.post("/app/login/verify/", {"code": logins.current_demo_code()})
        self.assertRedirects(response, "/app/", fetch_redirect_response=False)


class SeedDemoWithoutReferenceDataTests(TestCase):
    def test_it_asks_for_the_reference_data_and_creates_nothing(self):
        with self.assertRaisesMessage(CommandError, "load_reference_data"):
            seed()
        self.assertFalse(User.objects.exists())


class SeedDemoSafetyTests(TestCase):
    def test_it_refuses_to_run_with_debug_off_unless_forced(self):
        with self.assertRaisesMessage(CommandError, "--force"):
            call_command("seed_demo", stdout=io.StringIO())
