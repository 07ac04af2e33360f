"""The audit trail reads like a logbook: names instead of ids, labels instead of codes,
Ya/Tidak instead of True/False, the government's own time zone, filters."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from personas import build_world

from jalin.agreements.models import Agreement
from jalin.audit.logbook import logbook, zone_name
from jalin.audit.models import AuditEntry
from jalin.governments.models import Government


class LogbookTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.entry = AuditEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Agreement),
            object_pk=str(cls.w.ksb.pk),
            object_id=cls.w.ksb.pk,
            object_repr=cls.w.ksb.title,
            action=AuditEntry.Action.UPDATE,
            changes={
                "lead_agency": [str(cls.w.dinkes.pk), str(cls.w.dispar.pk)],
                "is_public": ["False", "True"],
                "category": ["ksdpk", "sinergi"],
                "signed_on": ["None", "2024-03-05"],
            },
            actor=cls.w.alice,
            government=cls.w.pesawaran,
            agreement=cls.w.ksb,
            timestamp=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
        )

    def line(self):
        return logbook(
            [AuditEntry.objects.select_related("actor", "content_type", "government").get(pk=self.entry.pk)]
        )[0]

    def test_it_names_records_instead_of_ids(self):
        changes = {change.label: change for change in self.line().changes}
        lead = next(change for label, change in changes.items() if "pengampu" in label.lower())
        self.assertEqual((lead.before, lead.after), (str(self.w.dinkes), str(self.w.dispar)))

    def test_it_shows_labels_yes_no_and_indonesian_dates(self):
        values = {(change.before, change.after) for change in self.line().changes}
        self.assertIn(("Tidak", "Ya"), values)
        self.assertIn(("–", "5 Maret 2024"), values)
        self.assertNotIn("ksdpk", str(values))
        self.assertNotIn("True", str(values))

    def test_it_tells_who_and_when_in_the_governments_zone(self):
        line = self.line()
        self.assertEqual(line.zone, "WIB")
        self.assertEqual((line.when.hour, line.when.minute), (10, 4))
        self.assertEqual(line.role, "Admin Bagian Kerja Sama")

    def test_the_three_zones_of_indonesia(self):
        self.assertEqual(zone_name(Government(code="51.71")), "WITA")  # Denpasar
        self.assertEqual(zone_name(Government(code="94.71")), "WIT")  # Papua
        self.assertEqual(zone_name(Government(code="18.09")), "WIB")
        self.assertEqual(zone_name(None), "WIB")

    def test_the_page_filters_by_person_and_day_and_refuses_a_reversed_range(self):
        self.client.force_login(self.w.alice)
        url = reverse("audit:list")
        everything = self.client.get(url).context["page"].paginator.count
        mine = self.client.get(url, {"actor": self.w.alice.pk}).context["page"].paginator.count
        self.assertLess(0, mine)
        self.assertLessEqual(mine, everything)
        day = timezone.localdate(self.entry.timestamp)
        on_the_day = self.client.get(url, {"since": day, "until": day}).context["page"]
        self.assertEqual([entry.pk for entry in on_the_day.object_list], [self.entry.pk])
        reversed_range = self.client.get(url, {"since": "2026-02-01", "until": "2026-01-01"})
        self.assertEqual(reversed_range.status_code, 200)
        self.assertContains(reversed_range, "harus sama dengan atau sesudah tanggal awal")
        self.assertEqual(reversed_range.context["page"].paginator.count, 0)

    def test_the_person_filter_offers_only_the_readers_government(self):
        self.client.force_login(self.w.alice)
        response = self.client.get(reverse("audit:list"), {"actor": self.w.sam.pk})
        self.assertIn("actor", response.context["form"].errors)
