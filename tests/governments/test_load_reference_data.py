from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from jalin.audit.models import AuditEntry
from jalin.governments.models import Affair, Government


def load(verbosity: int = 1) -> str:
    out = StringIO()
    with translation.override("en"):  # the output follows the UI language; assert on English
        call_command("load_reference_data", verbosity=verbosity, stdout=out)
    return out.getvalue()


class LoadReferenceDataTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load()

    def test_it_loads_every_government_and_affair(self):
        self.assertEqual(Government.objects.filter(level=Government.Level.NATIONAL).count(), 1)
        self.assertEqual(Government.objects.filter(level=Government.Level.PROVINCE).count(), 38)
        self.assertEqual(
            Government.objects.filter(level__in=[Government.Level.REGENCY, Government.Level.CITY]).count(), 514
        )
        self.assertEqual(Government.objects.count(), 553)
        self.assertEqual(Affair.objects.count(), 32)
        self.assertIn("553 created, 0 updated", self.output)
        self.assertIn("32 created, 0 updated", self.output)

    def test_every_government_it_writes_reaches_the_audit_trail(self):
        government_type = ContentType.objects.get_for_model(Government)
        created = AuditEntry.objects.filter(content_type=government_type, action=AuditEntry.Action.CREATE)
        self.assertEqual(created.count(), 553)
        Government.objects.filter(code="18.09").update(name="Kab. Pesawaran")
        load()
        change = AuditEntry.objects.filter(
            content_type=government_type,
            action=AuditEntry.Action.UPDATE,
            object_pk=str(Government.objects.get(code="18.09").pk),
        ).get()
        self.assertEqual(change.changes["name"], ["Kab. Pesawaran", "Kabupaten Pesawaran"])

    def test_it_makes_the_national_government_parent_of_every_province(self):
        national = Government.objects.get(code="00")
        self.assertEqual(national.name, "Pemerintah Pusat (Kementerian Dalam Negeri)")
        self.assertEqual(national.level, Government.Level.NATIONAL)
        self.assertIsNone(national.parent)
        self.assertEqual(national.children.count(), 38)
        self.assertFalse(Government.objects.filter(level=Government.Level.PROVINCE).exclude(parent=national).exists())

    def test_it_loads_a_regency_under_its_province(self):
        pesawaran = Government.objects.select_related("parent").get(code="18.09")
        self.assertEqual(pesawaran.name, "Kabupaten Pesawaran")
        self.assertEqual(pesawaran.level, Government.Level.REGENCY)
        self.assertEqual(pesawaran.parent.code, "18")
        self.assertEqual(pesawaran.parent.name, "Provinsi Lampung")
        self.assertEqual(pesawaran.parent.level, Government.Level.PROVINCE)

    def test_it_gives_a_kota_the_city_level(self):
        bandar_lampung = Government.objects.get(code="18.71")
        self.assertEqual(bandar_lampung.name, "Kota Bandar Lampung")
        self.assertEqual(bandar_lampung.level, Government.Level.CITY)
        self.assertEqual(Government.objects.filter(level=Government.Level.CITY).count(), 98)

    def test_it_loads_affairs_with_their_group(self):
        self.assertEqual(Affair.objects.get(code="1.01").name, "Pendidikan")
        self.assertEqual(Affair.objects.get(code="1.01").group, Affair.Group.BASIC_SERVICE)
        self.assertEqual(Affair.objects.get(code="2.17").name, "Koperasi, Usaha Kecil, dan Menengah")
        self.assertEqual(Affair.objects.get(code="3.32").group, Affair.Group.OPTIONAL)
        self.assertEqual(Affair.objects.filter(group=Affair.Group.NON_BASIC).count(), 18)

    def test_it_changes_nothing_when_run_again(self):
        before = list(Government.objects.values_list("id", "code", "name", "level", "parent_id"))
        affairs_before = list(Affair.objects.values_list("id", "code", "name", "group"))

        # A re-run reads each tier in one query and writes nothing
        with self.assertNumQueries(8):
            output = load()

        self.assertIn("0 created, 0 updated", output)
        self.assertEqual(list(Government.objects.values_list("id", "code", "name", "level", "parent_id")), before)
        self.assertEqual(list(Affair.objects.values_list("id", "code", "name", "group")), affairs_before)
        self.assertEqual(Government.objects.get(code="18.09").name, "Kabupaten Pesawaran")

    def test_it_restores_changed_names(self):
        Government.objects.filter(code="18.09").update(name="Kab. Pesawaran")
        Government.objects.filter(code="18").update(name="Lampung")
        Affair.objects.filter(code="1.01").update(name="Education")

        output = load()

        self.assertIn("Governments: 0 created, 2 updated", output)
        self.assertIn("Government affairs: 0 created, 1 updated", output)
        self.assertEqual(Government.objects.get(code="18.09").name, "Kabupaten Pesawaran")
        self.assertEqual(Government.objects.get(code="18").name, "Provinsi Lampung")
        self.assertEqual(Affair.objects.get(code="1.01").name, "Pendidikan")
        self.assertEqual(Government.objects.count(), 553)

    def test_it_creates_what_is_missing(self):
        Affair.objects.filter(code="3.32").delete()

        output = load()

        self.assertIn("Government affairs: 1 created, 0 updated", output)
        self.assertEqual(Affair.objects.get(code="3.32").name, "Transmigrasi")

    def test_it_prints_nothing_at_verbosity_zero(self):
        self.assertEqual(load(verbosity=0), "")
