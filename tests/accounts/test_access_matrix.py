"""Who gets what on every staff URL: one row per URL and object, one column per persona.

Each cell is the status the persona gets: 200, 403 (visible but not theirs to change),
404 (existence not revealed), 302 after a POST that did its work, or "login" (sent to the
login page). Every request runs in a savepoint that is rolled back afterwards, so the
cells are independent of each other; every POST that is not a 302 must change nothing.
"""

import datetime
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from personas import agreement, build_world

from jalin.accounts.models import Role, User
from jalin.agreements.models import Agreement, Category, Kind
from jalin.agreements.services import agreement_archive
from jalin.audit.models import AuditEntry
from jalin.documents.bulk import bulk_upload_start
from jalin.documents.models import Document, ItemStatus
from jalin.documents.services import document_archive, document_upload
from jalin.governments.models import Agency, Government
from jalin.governments.services import agency_archive
from jalin.partners.models import Partner, PartnerType, normalise_name
from jalin.partners.services import partner_archive

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAS = ("alice", "oscar", "olga", "lena", "audrey", "tara", "sam", "vera", "nobody", "anonymous")
LOGIN = "login"
DONE = 302

NEW_TITLE = "Judul diubah oleh matriks akses"
NEW_NUMBER = "MATRIX/1/2026"
NEW_PARTNER = "Politeknik Negeri Lampung"
RENAMED_PARTNER = "Universitas Lampung (Unila)"
NEW_AGENCY = "Dinas Pendidikan"
UPLOAD_TITLE = "Unggahan matriks"


def pdf_upload(name="a.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# POST payloads: built from the objects of the test world ------------------------------


def agreement_data(objects, target: Agreement, **changes) -> dict:
    """What the agreement form posts for `target`, with `changes` applied."""
    parties = list(target.parties.order_by("position"))
    data = {
        "category": target.category,
        "kind": target.kind,
        "number": target.number,
        "title": target.title,
        "lead_agency": target.lead_agency_id,
        "parent": target.parent_id or "",
        "predecessor": target.predecessor_id or "",
        "signed_on": target.signed_on.isoformat() if target.signed_on else "",
        "effective_on": target.effective_on.isoformat() if target.effective_on else "",
        "ends_on": target.ends_on.isoformat() if target.ends_on else "",
        "financing": target.financing,
        "supporting_agencies": list(target.supporting_agencies.values_list("pk", flat=True)),
        # As the edit page renders it: one initial form per existing party.
        "party-TOTAL_FORMS": len(parties),
        "party-INITIAL_FORMS": len(parties),
        "party-MIN_NUM_FORMS": 0,
        "party-MAX_NUM_FORMS": 20,
    }
    if target.is_public:
        data["is_public"] = "on"
    for index, party in enumerate(parties):
        data[f"party-{index}-partner"] = party.partner_id
    data.update(changes)
    return data


def retitle(objects, target):
    return agreement_data(objects, target, title=NEW_TITLE)


def new_agreement(objects, target):
    today = timezone.localdate()
    return {
        "category": Category.KSDPK,
        "kind": Kind.PKS,
        "number": NEW_NUMBER,
        "title": "PKS baru dari matriks akses",
        "lead_agency": objects["dinkes"].pk,
        "signed_on": (today - datetime.timedelta(days=10)).isoformat(),
        "effective_on": (today - datetime.timedelta(days=10)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=300)).isoformat(),
        "financing": "none",
        "party-TOTAL_FORMS": 1,
        "party-INITIAL_FORMS": 0,
        "party-MIN_NUM_FORMS": 0,
        "party-MAX_NUM_FORMS": 20,
        "party-0-partner": objects["unila"].pk,
    }


def archive_reason(objects, target):
    return {"reason": "Dibatalkan untuk pengujian"}


def restore_reason(objects, target):
    return {"reason": "Dipulihkan untuk pengujian"}


def upload(objects, target):
    return {"kind": "signed", "title": UPLOAD_TITLE, "file": pdf_upload()}


def new_partner(objects, target):
    return {"name": NEW_PARTNER, "partner_type": PartnerType.UNIVERSITY, "country": "Indonesia"}


def rename_partner(objects, target):
    return {"name": RENAMED_PARTNER, "partner_type": target.partner_type, "country": target.country}


def new_agency(objects, target):
    return {"name": NEW_AGENCY, "short_name": "Disdik"}


# Effects: did the POST do what it is for? ----------------------------------------------


def is_archived(target) -> bool:
    return type(target).objects.get(pk=target.pk).archived_at is not None


def is_restored(target) -> bool:
    return type(target).objects.get(pk=target.pk).archived_at is None


def is_retitled(target) -> bool:
    return Agreement.objects.get(pk=target.pk).title == NEW_TITLE


def agreement_created(target) -> bool:
    return Agreement.objects.filter(number=NEW_NUMBER).exists()


def document_added(target) -> bool:
    return Document.objects.filter(agreement_id=target.pk, title=UPLOAD_TITLE).exists()


def partner_created(target) -> bool:
    return Partner.objects.filter(name=NEW_PARTNER).exists()


def partner_renamed(target) -> bool:
    return Partner.objects.get(pk=target.pk).name == RENAMED_PARTNER


def agency_created(target) -> bool:
    return Agency.objects.filter(name=NEW_AGENCY).exists()


def assign_number(objects, target) -> dict:
    return {"number": objects["ksb"].number}


def item_stored(target) -> bool:
    return target.items.get().status == ItemStatus.STORED


def database_state() -> tuple:
    """Everything a staff POST could change; compared before and after a refused POST."""
    return (
        AuditEntry.objects.count(),
        list(Agreement.objects.order_by("pk").values_list("pk", "title", "archived_at", "updated_at")),
        list(Document.objects.order_by("pk").values_list("pk", "archived_at")),
        list(Partner.objects.order_by("pk").values_list("pk", "name", "archived_at")),
        list(Agency.objects.order_by("pk").values_list("pk", "name", "archived_at")),
    )


@dataclass(frozen=True)
class Row:
    url: str
    target: str | None  # name of the object whose pk goes into the URL
    expect: str  # one cell per persona, in the order of PERSONAS
    method: str = "GET"
    payload: Callable | None = None
    effect: Callable | None = None

    def cells(self) -> dict:
        values = self.expect.split()
        assert len(values) == len(PERSONAS), f"{self.url} {self.target}: {len(values)} cells"
        return {
            persona: value if value == LOGIN else int(value) for persona, value in zip(PERSONAS, values, strict=True)
        }


def post(url, target, expect, payload=None, effect=None) -> Row:
    return Row(url, target, expect, method="POST", payload=payload, effect=effect)


# fmt: off
# alice (admin), oscar (OPD Dinkes), olga (OPD Dispar), lena (leader), audrey (auditor), tara (TKKSD),
# sam (admin, Lampung Selatan), vera (province supervisor), nobody (no role), anonymous.
# Cells per persona:                                   ali osc olg len aud tar sam ver nob anonymous
HOME_ROWS = [
    Row("staff-home", None,                           "200 200 200 200 200 200 200 200 403 login"),
    Row("audit:list", None,                           "200 403 403 403 200 403 200 403 403 login"),
]
AGREEMENT_ROWS = [
    Row("agreements:list", None,                      "200 200 200 200 200 200 200 200 403 login"),
    Row("agreements:detail", "ksb",                   "200 200 404 200 200 200 404 200 403 login"),
    Row("agreements:detail", "tourism",               "200 404 200 200 200 200 404 200 403 login"),
    Row("agreements:detail", "published",             "200 200 200 200 200 200 404 200 403 login"),
    Row("agreements:detail", "supported",             "200 200 200 200 200 200 404 200 403 login"),
    Row("agreements:detail", "lamsel_agreement",      "404 404 404 404 404 404 200 200 403 login"),
    Row("agreements:detail", "jakarta_agreement",     "404 404 404 404 404 404 404 404 403 login"),
    Row("agreements:create", None,                    "200 200 200 403 403 403 200 403 403 login"),
    # Olga may not register for Dinkes; Sam's form does not accept Pesawaran's agency and partner.
    post("agreements:create", None,                   "302 302 200 403 403 403 200 403 403 login", new_agreement, agreement_created),
    Row("agreements:edit", "ksb",                     "200 200 404 403 403 403 404 403 403 login"),
    Row("agreements:edit", "tourism",                 "200 404 200 403 403 403 404 403 403 login"),
    Row("agreements:edit", "published",               "200 403 200 403 403 403 404 403 403 login"),
    Row("agreements:edit", "supported",               "200 200 200 403 403 403 404 403 403 login"),
    Row("agreements:edit", "lamsel_agreement",        "404 404 404 404 404 404 200 403 403 login"),
    Row("agreements:edit", "jakarta_agreement",       "404 404 404 404 404 404 404 404 403 login"),
    post("agreements:edit", "ksb",                    "302 302 404 403 403 403 404 403 403 login", retitle, is_retitled),
    post("agreements:edit", "published",              "302 403 302 403 403 403 404 403 403 login", retitle, is_retitled),
    post("agreements:edit", "lamsel_agreement",       "404 404 404 404 404 404 302 403 403 login", retitle, is_retitled),
    post("agreements:archive", "pks",                 "302 403 404 403 403 403 404 403 403 login", archive_reason, is_archived),
    post("agreements:archive", "published",           "302 403 403 403 403 403 404 403 403 login", archive_reason, is_archived),
    post("agreements:archive", "lamsel_agreement",    "404 404 404 404 404 404 302 403 403 login", archive_reason, is_archived),
    post("agreements:archive", "jakarta_agreement",   "404 404 404 404 404 404 404 404 403 login", archive_reason, is_archived),
    # Restoring is the admin's of the government; Olga (Dispar led it) sees it but may not restore it.
    post("agreements:restore", "archived_agreement",  "302 404 403 403 403 403 404 403 403 login", restore_reason, is_restored),
    post("agreements:restore", "archived_lamsel",     "404 404 404 404 404 404 302 403 403 login", restore_reason, is_restored),
    post("agreements:restore", "published",           "403 403 403 403 403 403 404 403 403 login", restore_reason),
]
DOCUMENT_ROWS = [
    post("documents:upload", "ksb",                   "302 302 404 403 403 403 404 403 403 login", upload, document_added),
    post("documents:upload", "published",             "302 403 302 403 403 403 404 403 403 login", upload, document_added),
    post("documents:upload", "lamsel_agreement",      "404 404 404 404 404 404 302 403 403 login", upload, document_added),
    post("documents:upload", "jakarta_agreement",     "404 404 404 404 404 404 404 404 403 login", upload, document_added),
    Row("documents:download", "ksb_document",         "200 200 404 200 200 200 404 200 403 login"),
    Row("documents:download", "published_document",   "200 200 200 200 200 200 404 200 403 login"),
    Row("documents:download", "lamsel_document",      "404 404 404 404 404 404 200 200 403 login"),
    Row("documents:download", "jakarta_document",     "404 404 404 404 404 404 404 404 403 login"),
    Row("documents:download", "withdrawn_document",   "404 404 404 404 404 404 404 404 403 login"),
    post("documents:archive", "ksb_document",         "302 403 404 403 403 403 404 403 403 login", None, is_archived),
    Row("documents:bulk_upload", None,                "200 403 403 403 403 403 200 403 403 login"),
    Row("documents:bulk", "alice_batch",              "200 404 404 404 404 404 404 404 403 login"),
    post("documents:bulk_assign", "alice_batch",      "302 404 404 404 404 404 404 404 403 login", assign_number, item_stored),
    Row("documents:scan_upload", None,                "200 200 200 403 403 403 200 403 403 login"),
    Row("documents:scan", "oscar_scan",               "200 200 404 404 404 404 404 404 403 login"),
    post("documents:archive", "published_document",   "302 403 403 403 403 403 404 403 403 login", None, is_archived),
    post("documents:archive", "lamsel_document",      "404 404 404 404 404 404 302 403 403 login", None, is_archived),
    post("documents:archive", "jakarta_document",     "404 404 404 404 404 404 404 404 403 login", None, is_archived),
]
PARTNER_ROWS = [
    Row("partners:list", None,                        "200 200 200 200 200 200 200 200 403 login"),
    Row("partners:detail", "unila",                   "200 200 200 200 200 200 404 200 403 login"),
    Row("partners:detail", "lamsel_partner",          "404 404 404 404 404 404 200 200 403 login"),
    Row("partners:detail", "jakarta_partner",         "404 404 404 404 404 404 404 404 403 login"),
    Row("partners:create", None,                      "200 403 403 403 403 403 200 403 403 login"),
    post("partners:create", None,                     "302 403 403 403 403 403 302 403 403 login", new_partner, partner_created),
    Row("partners:edit", "unila",                     "200 403 403 403 403 403 404 403 403 login"),
    Row("partners:edit", "lamsel_partner",            "404 404 404 404 404 404 200 403 403 login"),
    Row("partners:edit", "jakarta_partner",           "404 404 404 404 404 404 404 404 403 login"),
    post("partners:edit", "unila",                    "302 403 403 403 403 403 404 403 403 login", rename_partner, partner_renamed),
    post("partners:archive", "unila",                 "302 403 403 403 403 403 404 403 403 login", None, is_archived),
    post("partners:archive", "lamsel_partner",        "404 404 404 404 404 404 302 403 403 login", None, is_archived),
    post("partners:archive", "jakarta_partner",       "404 404 404 404 404 404 404 404 403 login", None, is_archived),
    post("partners:restore", "archived_partner",      "302 403 403 403 403 403 404 403 403 login", restore_reason, is_restored),
    post("partners:restore", "unila",                 "403 403 403 403 403 403 404 403 403 login", restore_reason),
]
AGENCY_ROWS = [
    Row("agencies:list", None,                        "200 200 200 200 200 200 200 200 403 login"),
    Row("agencies:create", None,                      "200 403 403 403 403 403 200 403 403 login"),
    post("agencies:create", None,                     "302 403 403 403 403 403 302 403 403 login", new_agency, agency_created),
    Row("agencies:edit", "dinkes",                    "200 403 403 403 403 403 404 403 403 login"),
    Row("agencies:edit", "lamsel_agency",             "404 404 404 404 404 404 200 403 403 login"),
    Row("agencies:edit", "jakarta_agency",            "404 404 404 404 404 404 404 404 403 login"),
    post("agencies:archive", "dinkes",                "302 403 403 403 403 403 404 403 403 login", None, is_archived),
    post("agencies:archive", "lamsel_agency",         "404 404 404 404 404 404 302 403 403 login", None, is_archived),
    post("agencies:archive", "jakarta_agency",        "404 404 404 404 404 404 404 404 403 login", None, is_archived),
    post("agencies:restore", "archived_agency",       "302 403 403 403 403 403 404 403 403 login", restore_reason, is_restored),
    post("agencies:restore", "dinkes",                "403 403 403 403 403 403 404 403 403 login", restore_reason),
]
# fmt: on


class AccessMatrixTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # Uploaded documents go to a throwaway folder, removed when the class is done.
        cls.media = media = Path(tempfile.mkdtemp(prefix="jalin-access-matrix-"))
        cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
        storages = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media, "base_url": None},
            },
        }
        cls.enterClassContext(override_settings(PRIVATE_MEDIA_ROOT=media, STORAGES=storages))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        world = build_world()
        objects = dict(vars(world))
        # Dispar leads, Dinkes supports: Oscar sees and edits it through his supporting agency.
        objects["supported"] = agreement(
            world.alice,
            "PKS wisata kesehatan",
            world.dispar,
            [world.bank],
            number="556/5/PKS/2024",
            supporting_agencies=[world.dinkes],
        )
        # A government outside Vera's province (DKI Jakarta), with its own admin and records.
        dki = Government.objects.create(code="31", name="Provinsi DKI Jakarta", level="province", parent=world.national)
        jakpus = Government.objects.create(code="31.71", name="Kota Jakarta Pusat", level="city", parent=dki)
        objects["jakarta_agency"] = Agency.objects.create(government=jakpus, name="Dinas Kesehatan Jakarta Pusat")
        objects["jakarta_partner"] = Partner.objects.create(
            government=jakpus,
            name="Universitas Indonesia",
            normalised_name=normalise_name("Universitas Indonesia"),
            partner_type=PartnerType.UNIVERSITY,
        )
        joko = User.objects.create_user("joko", government=jakpus, role=Role.ADMIN)
        objects["jakarta_agreement"] = agreement(
            joko, "PKS Jakarta Pusat", objects["jakarta_agency"], [objects["jakarta_partner"]], number="JP/1/2024"
        )

        def stored(actor, target, title="Naskah ditandatangani"):
            return document_upload(actor=actor, agreement=target, kind="signed", title=title, upload=pdf_upload())

        objects["ksb_document"] = stored(world.alice, world.ksb)
        objects["published_document"] = stored(world.alice, world.published)
        objects["lamsel_document"] = stored(world.sam, world.lamsel_agreement)
        objects["jakarta_document"] = stored(joko, objects["jakarta_agreement"])
        objects["withdrawn_document"] = document_archive(
            actor=world.alice, document=stored(world.alice, world.ksb, title="Draf lama")
        )
        # Archived records, for restoring.
        objects["archived_agreement"] = agreement_archive(
            actor=world.alice,
            agreement=agreement(world.alice, "PKS lama wisata", world.dispar, [world.bank], number="556/6/PKS/2024"),
            reason="Tercatat ganda",
        )
        objects["archived_lamsel"] = agreement_archive(
            actor=world.sam,
            agreement=agreement(
                world.sam, "PKS lama Lamsel", world.lamsel_agency, [world.lamsel_partner], number="LS/2"
            ),
            reason="Tercatat ganda",
        )
        objects["archived_partner"] = partner_archive(
            actor=world.alice,
            partner=Partner.objects.create(
                government=world.pesawaran,
                name="CV Lama Sekali",
                normalised_name=normalise_name("CV Lama Sekali"),
                partner_type=PartnerType.PRIVATE,
            ),
        )
        objects["archived_agency"] = agency_archive(
            actor=world.alice, agency=Agency.objects.create(government=world.pesawaran, name="Dinas Lama")
        )

        held = SimpleUploadedFile("scan0001.pdf", PDF + b"%held", content_type="application/pdf")
        objects["alice_batch"] = bulk_upload_start(actor=world.alice, uploads=[held])
        objects["alice_batch"].items.update(status=ItemStatus.UNMATCHED)
        scan = SimpleUploadedFile("pindaian.pdf", PDF + b"%scan", content_type="application/pdf")
        objects["oscar_scan"] = bulk_upload_start(actor=world.oscar, uploads=[scan], scan=True)
        cls.objects = objects
        cls.users = {name: getattr(world, name, None) for name in PERSONAS}
        # Logged in, but with no role: not a staff member of any government.
        cls.users["nobody"] = User.objects.create_user("nobody", government=world.pesawaran)

    def url_of(self, row: Row) -> str:
        if row.target is None:
            return reverse(row.url)
        if row.url == "documents:bulk_assign":
            batch = self.target_of(row)
            return reverse(row.url, kwargs={"pk": batch.pk, "item_pk": batch.items.get().pk})
        return reverse(
            row.url, kwargs={"pk" if row.url != "documents:upload" else "agreement_pk": self.target_of(row).pk}
        )

    def target_of(self, row: Row):
        return self.objects[row.target] if row.target else None

    def check_cell(self, row: Row, persona: str, expected) -> None:
        url = self.url_of(row)
        target = self.target_of(row)
        client = Client()
        if self.users[persona] is not None:
            client.force_login(self.users[persona])
        # Each cell runs in its own savepoint, rolled back at the end: cells do not see each other's changes.
        with transaction.atomic():
            before = database_state() if row.method == "POST" else None
            if row.method == "POST":
                data = row.payload(self.objects, target) if row.payload else {}
                response = client.post(url, data)
            else:
                response = client.get(url)
            if expected == LOGIN:
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], f"{reverse('login')}?next={url}")
            else:
                self.assertEqual(response.status_code, expected)
                if expected == 302:
                    self.assertFalse(response["Location"].startswith(reverse("login")), response["Location"])
            if row.url == "documents:download" and expected == 200:
                # Reading the stream to its end also closes the file (the test client closes the response).
                self.assertEqual(b"".join(response.streaming_content), PDF)
                self.assertIn("attachment", response["Content-Disposition"])
            if row.method == "POST":
                if row.effect is not None:
                    self.assertEqual(row.effect(target), expected == DONE, "effect of the POST")
                if expected != DONE:
                    self.assertEqual(database_state(), before, "a refused POST changed something")
            transaction.set_rollback(True)

    def check_rows(self, rows: list[Row]) -> None:
        for row in rows:
            for persona, expected in row.cells().items():
                with self.subTest(url=row.url, target=row.target, method=row.method, persona=persona):
                    self.check_cell(row, persona, expected)

    def test_it_guards_the_dashboard_and_the_audit_trail(self):
        self.check_rows(HOME_ROWS)

    def test_it_guards_agreements(self):
        self.check_rows(AGREEMENT_ROWS)

    def test_it_guards_documents(self):
        self.check_rows(DOCUMENT_ROWS)

    def test_it_guards_partners(self):
        self.check_rows(PARTNER_ROWS)

    def test_it_guards_agencies(self):
        self.check_rows(AGENCY_ROWS)

    def test_documents_are_stored_in_the_class_folder(self):
        for name in ("ksb_document", "lamsel_document", "withdrawn_document"):
            path = Path(self.objects[name].file.path)
            self.assertTrue(path.is_file())
            self.assertTrue(path.is_relative_to(self.media), path)
            self.assertEqual(path.read_bytes(), PDF)

    def test_the_matrix_covers_every_staff_url(self):
        from django.urls import get_resolver

        names = {
            row.url for rows in (HOME_ROWS, AGREEMENT_ROWS, DOCUMENT_ROWS, PARTNER_ROWS, AGENCY_ROWS) for row in rows
        }
        staff = set()
        for namespace in ("agreements", "partners", "agencies", "documents", "audit"):
            resolver = get_resolver().namespace_dict[namespace][1]
            staff |= {f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)}
        staff.add("staff-home")
        self.assertEqual(staff - names, set())

    def listed(self, persona: str, url: str, key: str = "page", **query) -> set[str]:
        client = Client()
        client.force_login(self.users[persona])
        response = client.get(url, query)
        self.assertEqual(response.status_code, 200)
        return {str(item) for item in response.context[key]}

    def test_each_persona_lists_only_the_agreements_they_may_see(self):
        pesawaran = {"ksb", "pks", "tourism", "published", "supported"}
        expected = {
            "alice": pesawaran,
            "lena": pesawaran,
            "audrey": pesawaran,
            "tara": pesawaran,
            "oscar": {"ksb", "pks", "published", "supported"},
            "olga": {"tourism", "published", "supported"},
            "sam": {"lamsel_agreement"},
            "vera": pesawaran | {"lamsel_agreement"},
        }
        url = reverse("agreements:list")
        for persona, names in expected.items():
            with self.subTest(persona=persona):
                titles = {self.objects[name].title for name in names}
                self.assertEqual(self.listed(persona, url, per_page=100), titles)

    def test_search_and_filters_stay_inside_what_the_user_may_see(self):
        url = reverse("agreements:list")
        self.assertEqual(self.listed("oscar", url, q="wisata pantai"), set())
        self.assertEqual(self.listed("olga", url, q="wisata pantai"), {self.objects["tourism"].title})
        self.assertEqual(self.listed("sam", url, q="keliling"), set())
        self.assertEqual(self.listed("vera", url, q="jakarta"), set())
        dinkes = self.objects["dinkes"].pk
        # Another government's agency is not a valid choice: the list shows the error and no rows.
        self.assertEqual(self.listed("sam", url, agency=dinkes), set())

    def test_each_persona_lists_only_the_partners_and_agencies_of_their_governments(self):
        partners = {
            "alice": {"unila", "bank"},
            "oscar": {"unila", "bank"},
            "sam": {"lamsel_partner"},
            "vera": {"unila", "bank", "lamsel_partner"},
        }
        agencies = {
            "alice": {"dinkes", "dispar"},
            "oscar": {"dinkes", "dispar"},
            "sam": {"lamsel_agency"},
            "vera": {"dinkes", "dispar", "lamsel_agency"},
        }
        for persona in partners:
            with self.subTest(persona=persona):
                names = {str(self.objects[name]) for name in partners[persona]}
                self.assertEqual(self.listed(persona, reverse("partners:list")), names)
                names = {str(self.objects[name]) for name in agencies[persona]}
                self.assertEqual(self.listed(persona, reverse("agencies:list"), key="agencies"), names)

    def test_the_audit_trail_shows_only_the_users_government(self):
        client = Client()
        client.force_login(self.users["sam"])
        response = client.get(reverse("audit:list"))
        governments = {entry.government_id for entry in response.context["page"]}
        self.assertEqual(governments, {self.objects["lamsel"].pk})
