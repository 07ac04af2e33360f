from django.test import TestCase
from personas import build_world


class Probe(TestCase):
    def test_probe(self):
        w = build_world()
        self.client.force_login(w.alice)
        r = self.client.get("/app/agreements/")
        print(r.status_code, r.get("Location"))
        r = self.client.get("/app/agreements/", secure=True)
        print(r.status_code, r.get("Location"))
        print(r.content[:300])
