"""Item 4 (input): U+0001 in a title is refused by the form, the API and the import, with a
clear message (jalin/lib/text.py, installed for every form and serializer by jalin/lib/fields.py)."""

import io

from django.test import TestCase
from personas import build_world
from security.forms_support import forms_of

from jalin.accounts.tokens import api_token_create
from jalin.agreements.models import Agreement
from jalin.imports import parsing, services


class ControlCharacterInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_the_form_shows_an_error(self):
        self.client.force_login(self.world.alice)
        path = f"/app/agreements/{self.world.tourism.pk}/edit/"
        form = next(f for f in forms_of(self.client.get(path).content.decode(), path) if f.action == path)
        response = self.client.post(path, form.data() | {"title": "PKS\x01 wisata"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hapus karakter kontrol tak terlihat")  # translated (Indonesian first)
        self.assertNotIn("\x01", Agreement.objects.get(pk=self.world.tourism.pk).title)

    def test_the_api_answers_400(self):
        token = api_token_create(actor=None, user=self.world.alice, name="tests")[1]
        response = self.client.patch(
            f"/api/v1/agreements/{self.world.tourism.pk}",
            {"title": "PKS\x01 wisata"},
            content_type="application/json",
            headers={"authorization": f"Token {token}"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("title", str(response.json()))

    def test_the_import_refuses_the_row(self):
        header = ["Nomor", "Judul", "Jenis Naskah", "Mitra", "OPD", "Tgl TTD"]
        rows = [header, ["660/9/PKS/2025", "PKS\x01 beasiswa", "PKS", "Universitas Lampung", "Dinkes", "2025"]]
        text = "\n".join(";".join(row) for row in rows) + "\n"
        table = parsing.read_table(io.BytesIO(text.encode("utf-8-sig")), "register.csv")
        result = services.run_import(
            actor=self.world.alice, table=table, mapping=table.guessed_mapping(), dry_run=False
        )
        self.assertTrue(result.has_errors)
        self.assertEqual(result.rows[0].action, "error")
        self.assertFalse(Agreement.objects.filter(number="660/9/PKS/2025").exists())
