"""Items 7 and 8: redirect targets stay on the site (jalin/lib/redirects.py), and input the
database cannot hold is a 400 or a form error (jalin/lib/fields.py), never a 500."""

from django.test import TestCase
from personas import build_world
from security.forms_support import forms_of

from jalin.agreements.models import Agreement
from jalin.notifications.models import Notification

HUGE = "9" * 25


class RedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_no_next_leaves_the_site(self):
        self.client.force_login(self.world.alice)
        for target in ("https://example.org", "//example.org/x", "/\\example.org", "http:/example.org", "foo"):
            response = self.client.post("/app/notifications/read/", {"next": target})
            self.assertEqual(response.status_code, 302, target)
            self.assertEqual(response["Location"], "/app/notifications/", target)
        response = self.client.post("/app/notifications/read/", {"next": "/app/agreements/"})
        self.assertEqual(response["Location"], "/app/agreements/")

    def test_the_login_and_the_language_switch_stay_on_the_site(self):
        from personas import PASSWORD

        response = self.client.post("/app/login/?next=https://example.org", {"username": "alice", "password": PASSWORD})
        self.assertNotIn("example.org", response.get("Location", ""))
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "https://example.org/"})
        self.assertNotIn("example.org", response.get("Location", ""))


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        Notification.objects.create(
            user=cls.world.alice, government=cls.world.pesawaran, kind="test", subject="Pengingat", reason="Isi"
        )

    def setUp(self):
        self.client.force_login(self.world.alice)

    def test_the_notification_centre_refuses_bad_ids_with_a_400(self):
        for bad in ("abc", HUGE, "-1", "1.5"):
            self.assertEqual(self.client.post("/app/notifications/read/", {"id": bad}).status_code, 400, bad)
        self.assertEqual(Notification.objects.filter(read_at__isnull=True).count(), 1)

    def edit_form(self, agreement: Agreement) -> tuple[str, dict]:
        path = f"/app/agreements/{agreement.pk}/edit/"
        form = next(f for f in forms_of(self.client.get(path).content.decode(), path) if f.action == path)
        return form.action, form.data()

    def post_edit(self, **changes):
        action, data = self.edit_form(self.world.tourism)
        data.update(changes)
        return self.client.post(action, data)

    def test_the_agreement_form_refuses_impossible_values(self):
        self.assertEqual(self.post_edit().status_code, 302)  # the untouched form saves
        data = self.edit_form(self.world.tourism)[1]
        party = next(name for name in data if name.endswith("-partner"))
        for changes in (
            {"signed_on": "9999-12-31"},
            {"ends_on": "9999-12-31", "effective_on": "9999-12-30"},
            {"affairs": [HUGE]},
            {"supporting_agencies": [HUGE]},
            {party: HUGE},
            {"title": "Judul\x01"},
        ):
            response = self.post_edit(**changes)
            self.assertEqual(response.status_code, 200, changes)  # the form again, with an error
            self.assertContains(response, "errorlist", msg_prefix=str(changes))
        self.assertNotIn("\x01", Agreement.objects.get(pk=self.world.tourism.pk).title)

    def test_workflow_settings_refuse_huge_numbers(self):
        path = "/app/workflow/settings/"
        form = next(f for f in forms_of(self.client.get(path).content.decode(), path) if f.action == path)
        data = form.data()
        numbers = [f.name for f in form.fields if f.kind == "number"]
        self.assertTrue(numbers)
        for name in numbers:
            response = self.client.post(form.action, data | {name: HUGE})
            self.assertEqual(response.status_code, 200, name)
