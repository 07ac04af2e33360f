"""The notifications app sits above the domain apps: none of them imports it (not even
inside a function). They offer reminders (jalin.lib.reminders), queue sections
(jalin.lib.queues) and hand-overs (jalin.lib.handovers) through contracts below them."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2] / "jalin"
LOWER_APPS = (
    "accounts",
    "governments",
    "lib",
    "audit",
    "partners",
    "agreements",
    "documents",
    "workflow",
    "monitoring",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


class LayeringTests(SimpleTestCase):
    def test_it_finds_no_domain_module_importing_notifications(self):
        offenders = []
        checked = 0
        for app in LOWER_APPS:
            for path in sorted((ROOT / app).rglob("*.py")):
                if "migrations" in path.parts:
                    continue
                checked += 1
                for module in imported_modules(path):
                    if module == "jalin.notifications" or module.startswith("jalin.notifications."):
                        offenders.append(f"{path.relative_to(ROOT.parent)} imports {module}")
        self.assertGreater(checked, 50)
        self.assertEqual(offenders, [])

    def test_it_would_catch_an_import_inside_a_function(self, tmp=None):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "example.py"
            path.write_text("def f():\n    from jalin.notifications.services import handover_notify\n")
            self.assertIn("jalin.notifications.services", imported_modules(path))
