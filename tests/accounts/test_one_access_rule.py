"""The rules that used to be restated outside the access module: "published" (public,
signed, live) and who may be a liaison officer (an active agency officer of the government)."""

from django.template import Context, Template
from django.test import TestCase
from personas import agreement, build_world

from jalin.accounts import access


class PublishedRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        w = cls.world
        # Marked public but not signed yet: not published.
        cls.unsigned = agreement(
            w.alice, "PKS belum ditandatangani", w.dispar, [w.bank], is_public=True, signed_on=None, effective_on=None
        )

    def test_an_unsigned_public_agreement_is_not_published_anywhere(self):
        self.assertFalse(access.is_published(self.unsigned))
        self.assertTrue(access.is_published(self.world.published))
        self.assertNotIn(self.unsigned, access.published_agreements())
        # An officer of another agency sees published agreements only.
        self.assertNotIn(self.unsigned, access.agreements_visible_to(self.world.oscar))
        self.assertIn(self.world.published, access.agreements_visible_to(self.world.oscar))
        panel = Template("{% load monitoring_tags %}{% monitoring_public_panel agreement %}")
        self.assertEqual(panel.render(Context({"agreement": self.unsigned})).strip(), "")

    def test_the_detail_page_calls_only_a_published_agreement_published(self):
        self.client.force_login(self.world.alice)
        page = self.client.get(f"/app/agreements/{self.unsigned.pk}/")
        self.assertFalse(page.context["is_published"])


class LiaisonOfficerRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_only_an_active_agency_officer_of_the_government_may_be_liaison_officer(self):
        w = self.world
        self.assertTrue(access.may_be_liaison_officer(w.oscar, w.pesawaran.pk))
        self.assertFalse(access.may_be_liaison_officer(w.lena, w.pesawaran.pk))  # a leader
        self.assertFalse(access.may_be_liaison_officer(w.sam, w.pesawaran.pk))  # another government
        self.assertEqual(
            set(access.liaison_officers_of(w.pesawaran.pk)), {u for u in (w.oscar, w.olga) if u.role == "opd_officer"}
        )

    def test_the_api_refuses_a_leader_as_liaison_officer(self):
        from jalin.accounts.tokens import api_token_create

        token = api_token_create(actor=None, user=self.world.alice, name="t")[1]
        response = self.client.patch(
            f"/api/v1/agreements/{self.world.ksb.pk}",
            {"liaison_officer": self.world.lena.pk},
            content_type="application/json",
            headers={"authorization": f"Bearer {token}"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("liaison_officer", str(response.json()))
