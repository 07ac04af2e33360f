import csv
import io
import json
import xml.etree.ElementTree as ET

from django.core.cache import cache
from django.test import TestCase
from personas import agreement, build_world

from jalin.portal.selectors import PUBLIC_AGREEMENT_FIELDS

ATOM = "{http://www.w3.org/2005/Atom}"


class OpenDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        cache.clear()

    def test_the_json_download_has_the_licence_and_the_documented_fields(self):
        response = self.client.get("/open-data/agreements.json")
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        body = json.loads(response.content)
        self.assertEqual(body["licence"], "CC-BY-4.0")
        self.assertEqual(body["count"], 1)
        record = body["agreements"][0]
        self.assertEqual(list(record), list(PUBLIC_AGREEMENT_FIELDS))
        self.assertEqual(record["title"], self.world.published.title)
        self.assertEqual(record["partners"][0]["name"], "PT Bank Lampung")
        self.assertTrue(record["url"].endswith(f"/agreements/{self.world.published.pk}/"))

    def test_the_schema_page_documents_every_field(self):
        page = self.client.get("/open-data/").content.decode()
        for field in PUBLIC_AGREEMENT_FIELDS:
            self.assertIn(f"<code>{field}</code>", page)
        self.assertIn("CC-BY-4.0", page)

    def test_the_csv_download_is_spreadsheet_safe(self):
        agreement(self.world.alice, '=HYPERLINK("http://evil")', self.world.dispar, [self.world.bank], is_public=True)
        response = self.client.get("/open-data/agreements.csv")
        self.assertIn("attachment", response["Content-Disposition"])
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0], [*PUBLIC_AGREEMENT_FIELDS, "licence"])
        self.assertEqual(len(rows), 3)
        titles = [row[rows[0].index("title")] for row in rows[1:]]
        self.assertIn('\'=HYPERLINK("http://evil")', titles)
        self.assertTrue(all(row[-1] == "CC-BY-4.0" for row in rows[1:]))

    def test_downloads_per_government(self):
        body = json.loads(self.client.get("/open-data/agreements.json?government=18.01").content)
        self.assertEqual(body["count"], 0)
        self.assertEqual(self.client.get("/open-data/agreements.json?government=nope").status_code, 404)

    def test_the_atom_feed_lists_new_and_changed_published_agreements(self):
        response = self.client.get("/feeds/agreements.atom")
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/atom+xml", response["Content-Type"])
        root = ET.fromstring(response.content)
        entries = root.findall(f"{ATOM}entry")
        self.assertEqual([entry.find(f"{ATOM}title").text for entry in entries], [self.world.published.title])
        self.assertIsNotNone(entries[0].find(f"{ATOM}updated"))
        newer = agreement(self.world.alice, "PKS baru terbit", self.world.dispar, [self.world.bank], is_public=True)
        root = ET.fromstring(self.client.get("/feeds/agreements.atom").content)
        self.assertEqual(root.findall(f"{ATOM}entry")[0].find(f"{ATOM}title").text, newer.title)
        self.assertEqual(self.client.get("/g/18.01/feeds/agreements.atom").status_code, 200)
