from django.test import TestCase
from personas import build_world


class WorldTests(TestCase):
    def test_it_builds_the_personas_world(self):
        world = build_world()
        self.assertEqual(world.pks.parent, world.ksb)
        self.assertEqual(world.oscar.agency, world.dinkes)
