"""The staff pages cost a fixed number of SQL queries however many rows they show, and the
agreement list's search and filters select exactly the right agreements.

The register is built in bulk (as an import would) on top of the shared personas: 150
agreements of Pesawaran with varied lead and supporting agencies, partners of several
types, umbrellas with PKS under them, government affairs, and every derived status.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from personas import build_world

from jalin.agreements.models import Agreement, AgreementParty, Category, Kind, Status, TerminationGround
from jalin.audit.models import AuditEntry
from jalin.documents.models import Document
from jalin.governments.models import Affair, Agency
from jalin.partners.models import Partner, PartnerType, normalise_name

DAY = datetime.timedelta(days=1)
BULK = 150
TOPICS = ("telemedisin", "beasiswa", "air bersih", "jalan desa", "promosi wisata")
PLACES = ("Gedong Tataan", "Padang Cermin", "Punduh Pidada", "Way Lima", "Kedondong", "Tegineneng", "Marga Punduh")
CATEGORIES = list(Category)


# Query counts observed for an admin. Every page spends two on the session and the user and
# one on the user's government (page footer). They are the same on SQLite and PostgreSQL: these
# GET pages open no transaction, so there are no SAVEPOINT/RELEASE statements to count, which is
# where the two vendors would differ. Should one ever differ, pin it here as
# {"sqlite": n, "postgresql": m} rather than loosen the assertion.
EXPECTED_QUERIES = {
    # count, rows, their partners (one prefetch), and the agency and affair options of the filter form
    "list": 8,
    # the agency or affair filter also checks that the chosen row exists (and is visible)
    "list_with_model_filter": 9,
    "list_with_all_filters": 11,  # with the documents snippets query (see below)
    # a search also fetches, in one query, where the listed agreements' documents have the words
    "list_with_search": 9,
    # agreement (access check), agreement with relations + parties, supporting agencies, affairs,
    # documents, family (root's children, grandchildren: one query per level, so an agreement
    # without children costs one less), renewals, audit entries; plus 7 for the monitoring panel
    # (signals, obligations, indicators, beneficiaries, budget lines, latest reports, latest
    # evaluation; one more for indicator periods when there are indicators)
    "detail": 20,
    # session, user, government, the governments the user sees whole, their revisions, their
    # stored summaries (jalin.monitoring.selectors.government_dashboard), the details of the
    # worst agreements, the ten agreements ending soonest (ranked, then fetched), and the
    # citizen feedback counts; plus one for the reports returned to the user (the "needs your
    # action" panel, jalin/lib/templatetags/queue.py)
    "dashboard": 11,
    "partner_list": 5,
    "audit_list": 12,
}


def expected_queries(page: str) -> int:
    value = EXPECTED_QUERIES[page]
    return value[connection.vendor] if isinstance(value, dict) else value


def _partner(government, name, partner_type, **extra) -> Partner:
    return Partner.objects.create(
        government=government, name=name, normalised_name=normalise_name(name), partner_type=partner_type, **extra
    )


def _dates(i: int, today: datetime.date) -> dict:
    """Dates spread over four years, cycling through every derived status."""
    signed = today - (30 + (i * 37) % 1400) * DAY
    pattern = i % 6
    if pattern == 0:  # expired: ended halfway between signing and today
        return {"signed_on": signed, "effective_on": signed, "ends_on": signed + ((today - signed) // 2)}
    if pattern == 1:  # expiring within the 180-day horizon
        return {"signed_on": signed, "effective_on": signed, "ends_on": today + (1 + i % 150) * DAY}
    if pattern == 2:  # draft: not signed yet
        return {"signed_on": None, "effective_on": None, "ends_on": today + 400 * DAY}
    if pattern == 3:  # terminated early
        return {
            "signed_on": signed,
            "effective_on": signed,
            "ends_on": today + 500 * DAY,
            "terminated_on": today - 5 * DAY,
            "termination_ground": TerminationGround.AGREED,
        }
    return {"signed_on": signed, "effective_on": signed, "ends_on": today + (400 + i) * DAY}


def build_register(world) -> dict:
    """Bulk-create the Pesawaran register; returns the extra agencies, partners and affairs."""
    today = timezone.localdate()
    agencies = [
        world.dinkes,
        world.dispar,
        Agency.objects.create(government=world.pesawaran, name="Badan Perencanaan Pembangunan Daerah"),
        Agency.objects.create(government=world.pesawaran, name="Dinas Perhubungan"),
    ]
    partners = [
        world.unila,
        world.bank,
        _partner(world.pesawaran, "PT Hutama Karya (Persero)", PartnerType.BUMN),
        _partner(world.pesawaran, "CV Sinar Pesisir", PartnerType.PRIVATE),
        _partner(world.pesawaran, "Yayasan Tunas Harapan", PartnerType.NGO),
        _partner(world.pesawaran, "Kota Metro", PartnerType.GOVERNMENT, region=world.lamsel),
    ]
    affairs = [
        Affair.objects.get_or_create(code=code, defaults={"name": name, "group": group})[0]
        for code, name, group in (
            ("1.01", "Pendidikan", "basic"),
            ("1.02", "Kesehatan", "basic"),
            ("3.26", "Pariwisata", "optional"),
        )
    ]

    def row(i: int, parent: Agreement | None) -> Agreement:
        umbrella = i < 10
        lead = agencies[i % 4]
        dates = _dates(i, today)
        year = (dates["signed_on"] or today).year
        agreement = Agreement(
            government=world.pesawaran,
            category=CATEGORIES[i % len(CATEGORIES)],
            kind=Kind.KSB if umbrella else Kind.PKS,
            number=f"{400 + i % 7:03d}/{i + 10:03d}/{'KSB' if umbrella else 'PKS'}/{year}",
            title=f"{'KSB' if umbrella else 'PKS'} {TOPICS[i % 5]} {PLACES[i % 7]} {i:03d}",
            lead_agency=lead,
            parent=parent,
            is_public=i % 5 == 0,
            created_by=world.alice,
            **dates,
        )
        if i % 12 == 11:
            agreement.archived_at = timezone.now()
            agreement.archive_reason = "Diganti naskah baru"
        row_partners = [partners[i % 6]] + ([partners[(i + 2) % 6]] if i % 2 == 0 else [])
        # As agreements.services does: number, title, texts, partner names and numbers, lead agency; lowercased.
        agreement.search_text = agreement.build_search_text([p.name for p in row_partners] + [lead.name])
        agreement._partners = row_partners
        agreement._supporting = [agencies[(i + 1) % 4]] if i % 3 == 0 else []
        agreement._affairs = [affairs[i % 3]] if i % 4 != 3 else []
        return agreement

    umbrellas = Agreement.objects.bulk_create([row(i, None) for i in range(10)])
    rows = umbrellas + Agreement.objects.bulk_create(
        [row(i, umbrellas[i % 10] if i % 2 == 0 else None) for i in range(10, BULK)]
    )
    # bulk_create gives back the same objects, so the helper attributes are still on them.
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, partner=p, position=n) for a in rows for n, p in enumerate(a._partners)
    )
    Agreement.supporting_agencies.through.objects.bulk_create(
        Agreement.supporting_agencies.through(agreement_id=a.pk, agency_id=s.pk) for a in rows for s in a._supporting
    )
    Agreement.affairs.through.objects.bulk_create(
        Agreement.affairs.through(agreement_id=a.pk, affair_id=f.pk) for a in rows for f in a._affairs
    )
    return {"agencies": agencies, "partners": partners, "affairs": affairs}


class ListPageTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        register = build_register(cls.w)
        cls.agencies = register["agencies"]
        cls.partners = register["partners"]
        cls.affairs = register["affairs"]

    def setUp(self):
        self.client.force_login(self.w.alice)

    def get_list(self, **query):
        response = self.client.get(reverse("agreements:list"), query)
        self.assertEqual(response.status_code, 200)
        return response

    def listed(self, **query) -> list[int]:
        """The pks of every agreement the list selects, across all pages, in list order."""
        response = self.get_list(**query)
        return [agreement.pk for agreement in response.context["page"].paginator.object_list]

    def all_agreements(self) -> list[Agreement]:
        return list(
            Agreement.objects.filter(government=self.w.pesawaran).prefetch_related(
                "parties__partner", "supporting_agencies", "affairs"
            )
        )


class AgreementListQueryTests(ListPageTestCase):
    def assertPageCost(self, page: str, **query) -> None:
        """10 rows and 100 rows of the same list cost the same, pinned number of queries."""
        counts = {}
        for size in (10, 100):
            with self.assertNumQueries(expected_queries(page)) as context:
                response = self.get_list(per_page=size, **query)
            rows = len(response.context["page"].object_list)
            total = response.context["page"].paginator.count
            self.assertGreater(total, 10, f"{query} must match more than one page of 10")
            self.assertEqual(rows, min(size, total))
            counts[size] = len(context.captured_queries)
        self.assertEqual(counts[10], counts[100])

    def test_it_lists_10_or_100_rows_in_the_same_number_of_queries(self):
        self.assertPageCost("list")

    def test_each_filter_costs_the_same_for_10_or_100_rows(self):
        year = timezone.localdate().year - 1
        cases = {
            "list_with_search": [
                {"q": "telemedisin"},
                {"q": "Universitas Lampung"},
            ],
            "list": [
                {"status": Status.EXPIRED},
                {"status": Status.ARCHIVED, "sort": "title"},
                {"partner_type": PartnerType.BANK},
                {"year": year},
                {"expiring_within": 150},
                {"category": Category.KSDPK},
                {"kind": Kind.PKS},
                {"sort": "-ends"},
                {"sort": "title"},
                {"sort": "number"},
            ],
            "list_with_model_filter": [
                {"agency": self.w.dinkes.pk},
                {"affair": self.affairs[1].pk},
            ],
        }
        for page, queries in cases.items():
            for query in queries:
                with self.subTest(**query):
                    self.assertPageCost(page, **query)

    def test_all_filters_together_cost_a_fixed_number_of_queries(self):
        query = {
            "q": "pks",
            "status": Status.ACTIVE,
            "agency": self.w.dinkes.pk,
            "partner_type": PartnerType.UNIVERSITY,
            "affair": self.affairs[1].pk,
            "expiring_within": 3650,
            "sort": "-signed",
        }
        # A year some of these agreements were signed in, whatever today's date is.
        query["year"] = Agreement.objects.get(pk=self.listed(**query)[0]).signed_on.year
        for size in (10, 100):
            with self.subTest(per_page=size), self.assertNumQueries(expected_queries("list_with_all_filters")):
                response = self.get_list(per_page=size, **query)
            # Rows are shown, so the partners' prefetch is part of the count.
            self.assertTrue(response.context["page"].object_list)


class PageQueryTests(ListPageTestCase):
    """Detail, dashboard, partner list and audit trail: the count does not grow with the data."""

    def count_queries(self, user, url: str) -> int:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def test_the_detail_page_costs_the_same_for_a_small_and_a_large_agreement(self):
        small = self.family(children=1, partners=1, documents=1, supporting=1, affairs=1)
        large = self.family(children=12, partners=6, documents=9, supporting=3, affairs=3)
        for agreement in (small, large):
            with self.subTest(parties=agreement.parties.count()), self.assertNumQueries(expected_queries("detail")):
                response = self.client.get(reverse("agreements:detail", args=[agreement.pk]))
                self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("agreements:detail", args=[large.pk]))
        self.assertEqual(len(response.context["family"].children), 12)
        self.assertEqual(len(response.context["documents"]), 9)
        self.assertEqual(len(response.context["agreement"].parties.all()), 6)

    def family(self, *, children: int, partners: int, documents: int, supporting: int, affairs: int) -> Agreement:
        """A KSB with its partners, supporting agencies, affairs, documents and PKS under it."""
        today = timezone.localdate()
        chosen = self.partners[:partners]
        index = Agreement.objects.count()

        def make(kind, parent, n):
            return Agreement(
                government=self.w.pesawaran,
                category=Category.KSDPK,
                kind=kind,
                number=f"FAM/{index}/{n}",
                title=f"{kind} keluarga {index} {n}",
                lead_agency=self.w.dinkes,
                parent=parent,
                signed_on=today - 100 * DAY,
                effective_on=today - 100 * DAY,
                ends_on=today + 300 * DAY,
                created_by=self.w.alice,
            )

        (umbrella,) = Agreement.objects.bulk_create([make(Kind.KSB, None, 0)])
        pks = Agreement.objects.bulk_create([make(Kind.PKS, umbrella, n + 1) for n in range(children)])
        AgreementParty.objects.bulk_create(
            AgreementParty(agreement=a, partner=p, position=n) for a in [umbrella, *pks] for n, p in enumerate(chosen)
        )
        umbrella.supporting_agencies.set(self.agencies[1 : 1 + supporting])
        umbrella.affairs.set(self.affairs[:affairs])
        Document.objects.bulk_create(
            Document(
                agreement=umbrella,
                kind="annex",
                title=f"Lampiran {n}",
                file=f"agreements/{umbrella.pk}/{n}",
                original_name=f"lampiran-{n}.pdf",
                content_type="application/pdf",
                size=1000 + n,
                sha256="0" * 64,
                uploaded_by=self.w.alice,
            )
            for n in range(documents)
        )
        return umbrella

    def test_the_dashboard_costs_the_same_for_a_large_and_a_small_register(self):
        today = timezone.localdate()
        # Lampung Selatan has one agreement ending soon; Pesawaran has dozens (the dashboard shows 10).
        Agreement.objects.create(
            government=self.w.lamsel,
            category=Category.KSDPK,
            kind=Kind.PKS,
            title="PKS Lampung Selatan segera berakhir",
            lead_agency=self.w.lamsel_agency,
            signed_on=today - 300 * DAY,
            effective_on=today - 300 * DAY,
            ends_on=today + 20 * DAY,
        )
        # The first visit of the day computes and stores the government's summary; the count
        # pinned is every visit after it (until something of the government changes).
        self.count_queries(self.w.alice, reverse("staff-home"))
        large = self.count_queries(self.w.alice, reverse("staff-home"))
        self.count_queries(self.w.sam, reverse("staff-home"))
        small = self.count_queries(self.w.sam, reverse("staff-home"))
        self.assertEqual(large, small)
        self.assertEqual(large, expected_queries("dashboard"))
        self.client.force_login(self.w.alice)
        response = self.client.get(reverse("staff-home"))
        self.assertEqual(len(response.context["expiring"]), 10)

    def test_the_partner_list_costs_the_same_for_many_and_few_partners(self):
        for n in range(60):
            _partner(self.w.pesawaran, f"Koperasi Nelayan {n:02d}", PartnerType.PRIVATE)
        large = self.count_queries(self.w.alice, reverse("partners:list"))
        small = self.count_queries(self.w.sam, reverse("partners:list"))
        self.assertEqual(large, small)
        self.assertEqual(large, expected_queries("partner_list"))

    def test_the_audit_list_costs_the_same_for_many_and_few_entries(self):
        """The logbook names the records behind ids with one query per related model, so both
        pages name agencies, governments, users, agreements and partners (as real entries do)."""
        w = self.w
        agreement_type = ContentType.objects.get_for_model(Agreement)
        party_type = ContentType.objects.get_for_model(AgreementParty)
        entries = []
        for n in range(80):
            if n % 2:
                content_type, changes = (
                    agreement_type,
                    {
                        "title": ["lama", f"baru {n}"],
                        "lead_agency": [str(w.dinkes.pk), str(w.dispar.pk)],
                        "government": ["None", str(w.pesawaran.pk)],
                        "created_by": ["None", str(w.alice.pk)],
                    },
                )
            else:
                content_type, changes = (
                    party_type,
                    {"agreement": ["None", str(w.ksb.pk)], "partner": ["None", str(w.unila.pk)]},
                )
            entries.append(
                AuditEntry(
                    content_type=content_type,
                    object_pk=str(w.ksb.pk),
                    object_id=w.ksb.pk,
                    object_repr=w.ksb.title,
                    action=AuditEntry.Action.UPDATE,
                    changes=changes,
                    actor=(w.alice, w.oscar, w.olga)[n % 3],
                    government=w.pesawaran,
                    agreement=w.ksb,
                )
            )
        AuditEntry.objects.bulk_create(entries)
        self.assertLessEqual(AuditEntry.objects.filter(government=self.w.lamsel).count(), 20)
        self.count_queries(self.w.sam, reverse("audit:list"))  # warms the process-wide content-type cache
        large = self.count_queries(self.w.alice, reverse("audit:list"))
        small = self.count_queries(self.w.sam, reverse("audit:list"))
        self.assertEqual(large, small)
        self.assertEqual(large, expected_queries("audit_list"))
        self.client.force_login(self.w.alice)
        page = self.client.get(reverse("audit:list")).content.decode()
        self.assertIn(f"{w.dinkes} → {w.dispar}", page)  # names, not ids
        self.assertIn("WIB", page)


class AgreementSearchTests(ListPageTestCase):
    def test_it_finds_an_agreement_by_a_word_of_its_title(self):
        self.assertEqual(self.listed(q="Pahawang"), [self.w.published.pk])
        self.assertEqual(self.listed(q="pahawang DESA"), [self.w.published.pk])

    def test_it_finds_an_agreement_by_its_number(self):
        self.assertEqual(self.listed(q="556/3/PKS/2024"), [self.w.tourism.pk])
        self.assertEqual(self.listed(q="180/2/PKS/2024"), [self.w.pks.pk])
        self.assertEqual(self.listed(q="556/3/pks/2024"), [self.w.tourism.pk])
        self.assertEqual(self.listed(q="556/3"), [self.w.tourism.pk])
        bulk = Agreement.objects.get(title__endswith=" 037")
        self.assertIn(bulk.pk, self.listed(q=bulk.number))

    def test_it_finds_an_agreement_by_its_partner_name(self):
        expected = {
            a.pk
            for a in self.all_agreements()
            if not a.archived_at and any(p.partner.name == "Yayasan Tunas Harapan" for p in a.parties.all())
        }
        self.assertGreater(len(expected), 10)
        self.assertEqual(set(self.listed(q="Tunas Harapan")), expected)
        self.assertEqual(set(self.listed(q="tunas")), expected)

    def test_quotes_and_search_operators_are_plain_text(self):
        for text in ("O'Brien", "back\\slash", "a & b | !c", "x:*", "'", "(", "-", "<->", "Pahawang,"):
            with self.subTest(q=text):
                self.listed(q=text)
        self.assertEqual(self.listed(q="(Pahawang)"), [self.w.published.pk])

    def test_every_word_must_match(self):
        self.assertEqual(self.listed(q="Pahawang telemedisin"), [])
        self.assertEqual(self.listed(q="zzzz"), [])

    def test_an_empty_search_lists_everything_live(self):
        live = {a.pk for a in self.all_agreements() if not a.archived_at}
        self.assertEqual(set(self.listed(q="  ")), live)
        self.assertEqual(set(self.listed()), live)


class AgreementFilterTests(ListPageTestCase):
    def assertSelects(self, query: dict, predicate) -> None:
        everything = self.all_agreements()
        expected = {a.pk for a in everything if predicate(a)}
        self.assertTrue(expected, f"{query} selects nothing: the test data must cover it")
        self.assertNotEqual(len(expected), len(everything), f"{query} does not narrow the list")
        self.assertEqual(set(self.listed(**query)), expected)

    def test_sort_choices_are_labelled_in_indonesian(self):
        self.client.force_login(self.w.alice)
        page = self.client.get(reverse("agreements:list")).content.decode()
        self.assertIn("Tanggal penandatanganan (menurun)", page)
        self.assertNotIn("descending", page)

    def test_status_shows_only_agreements_in_that_status(self):
        for status in Status:
            with self.subTest(status=status.value):
                self.assertSelects({"status": status.value}, lambda a, status=status: a.get_status() == status)

    def test_agency_shows_agreements_the_agency_leads_or_supports(self):
        for agency in self.agencies:
            with self.subTest(agency=agency.name):
                self.assertSelects(
                    {"agency": agency.pk},
                    lambda a, agency=agency: (
                        not a.archived_at and (a.lead_agency_id == agency.pk or agency in a.supporting_agencies.all())
                    ),
                )

    def test_partner_type_shows_agreements_with_a_partner_of_that_type(self):
        for partner_type in {partner.partner_type for partner in self.partners}:
            with self.subTest(partner_type=partner_type):
                self.assertSelects(
                    {"partner_type": partner_type},
                    lambda a, t=partner_type: (
                        not a.archived_at and any(p.partner.partner_type == t for p in a.parties.all())
                    ),
                )

    def test_affair_shows_agreements_of_that_government_affair(self):
        for affair in self.affairs:
            with self.subTest(affair=affair.code):
                self.assertSelects(
                    {"affair": affair.pk}, lambda a, affair=affair: not a.archived_at and affair in a.affairs.all()
                )

    def test_year_shows_agreements_signed_that_year(self):
        years = {a.signed_on.year for a in self.all_agreements() if a.signed_on}
        self.assertGreater(len(years), 2)
        for year in sorted(years):
            with self.subTest(year=year):
                self.assertSelects(
                    {"year": year}, lambda a, year=year: not a.archived_at and a.signed_on and a.signed_on.year == year
                )

    def test_expiring_within_shows_agreements_in_force_that_end_within_the_days(self):
        today = timezone.localdate()
        for days in (30, 90, 365):
            with self.subTest(days=days):
                self.assertSelects(
                    {"expiring_within": days},
                    lambda a, days=days: (
                        a.get_status() in (Status.ACTIVE, Status.EXPIRING) and today <= a.ends_on <= today + days * DAY
                    ),
                )

    def test_category_and_kind_narrow_the_list(self):
        self.assertSelects({"category": Category.KSDPL}, lambda a: not a.archived_at and a.category == Category.KSDPL)
        self.assertSelects({"kind": Kind.KSB}, lambda a: not a.archived_at and a.kind == Kind.KSB)

    def test_filters_combine(self):
        self.assertSelects(
            {"status": Status.EXPIRED, "partner_type": PartnerType.UNIVERSITY, "agency": self.w.dispar.pk},
            lambda a: (
                a.get_status() == Status.EXPIRED
                and any(p.partner.partner_type == PartnerType.UNIVERSITY for p in a.parties.all())
                and (a.lead_agency_id == self.w.dispar.pk or self.w.dispar in a.supporting_agencies.all())
            ),
        )

    def test_sort_orders_the_list(self):
        live = [a for a in self.all_agreements() if not a.archived_at]
        # Titles that order the same under any collation (same case pattern, no punctuation).
        telemedicine = [a for a in live if "telemedisin" in a.title]
        self.assertEqual(
            self.listed(q="telemedisin", sort="title"), [a.pk for a in sorted(telemedicine, key=lambda a: a.title)]
        )
        # Numbers have fixed-width parts, so ignoring or not ignoring the slashes gives the same order.
        self.assertEqual(
            self.listed(sort="-number"), [a.pk for a in sorted(live, key=lambda a: a.number, reverse=True)]
        )
        ends = self.listed(sort="ends")
        days = [Agreement.objects.get(pk=pk).ends_on for pk in ends]
        self.assertEqual(days, sorted(days))

    def test_without_sort_the_newest_signed_come_first(self):
        listed = self.listed(status=Status.ACTIVE)
        signed = [Agreement.objects.get(pk=pk).signed_on for pk in listed]
        self.assertEqual(signed, sorted(signed, reverse=True))

    def test_an_invalid_filter_value_shows_the_error_and_no_rows(self):
        for params in ({"status": "nonsense"}, {"agency": self.w.lamsel_agency.pk}, {"year": "1800"}):
            with self.subTest(**params):
                self.assertEqual(self.listed(**params), [])
                response = self.client.get(reverse("agreements:list"), params)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errorlist"')


class SupervisorListTests(TestCase):
    def test_a_supervisor_filters_by_agency_from_links_not_from_a_list_of_every_agency(self):
        w = build_world()
        self.client.force_login(w.vera)
        response = self.client.get(reverse("agreements:list"), {"agency": w.dispar.pk})
        self.assertContains(response, f'<input type="hidden" name="agency" value="{w.dispar.pk}"', html=False)
        self.assertNotContains(response, '<select name="agency"', html=False)
        self.assertEqual({a.lead_agency_id for a in response.context["page"].object_list}, {w.dispar.pk})
        self.client.force_login(w.alice)  # one government: a list to choose from
        self.assertContains(self.client.get(reverse("agreements:list")), '<select name="agency"', html=False)


class HomeAgencyTests(ListPageTestCase):
    def everything_listed(self, response) -> set[int]:
        return set(response.context["page"].paginator.object_list.values_list("pk", flat=True))

    def test_an_opd_officers_list_opens_on_their_agency_and_widens_on_request(self):
        self.client.force_login(self.w.oscar)  # Dinkes; also sees Dispar's published agreement
        opened = self.client.get(reverse("agreements:list"))
        self.assertContains(opened, "Menampilkan naskah kerja sama perangkat daerah Anda.")
        listed = self.everything_listed(opened)
        self.assertTrue(listed)
        self.assertNotIn(self.w.published.pk, listed)
        self.assertIn(self.w.pks.pk, listed)
        widened = self.everything_listed(self.client.get(reverse("agreements:list"), {"agency": ""}))
        self.assertIn(self.w.published.pk, widened)
        self.assertLess(len(listed), len(widened))

    def test_an_admins_list_opens_on_everything(self):
        self.client.force_login(self.w.alice)
        response = self.client.get(reverse("agreements:list"))
        self.assertNotContains(response, "Menampilkan naskah kerja sama perangkat daerah Anda.")
        self.assertIn(self.w.published.pk, self.everything_listed(response))
