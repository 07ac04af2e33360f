"""The apps' dependencies run one way (docs/architecture.md): a lower app never imports a
higher one, nothing outside jalin/demo imports the demo data, and a view never imports
another app's models (it asks that app's selectors, services or access functions)."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

JALIN = Path(__file__).resolve().parents[1] / "jalin"

# Lower number = lower layer. An app may import apps of its own layer or below.
LAYERS = {
    "lib": 0,
    "accounts": 0,
    "governments": 0,
    "audit": 0,
    "letterheads": 0,
    "partners": 1,
    "agreements": 1,
    "documents": 1,
    "workflow": 1,
    "monitoring": 1,
    "notifications": 2,
    "reports": 2,
    "portal": 2,
    "api": 2,
    "imports": 2,
    "ops": 2,
    "demo": 3,
}
# The access rules (jalin/accounts/access.py and the apps' access modules that call it) scope
# querysets of the domain models, so the one access module reads those models (models only:
# never a domain service or selector).
ACCESS_MODULE = ("accounts", "access.py")

# Imports that break the rules today, each to be removed (issue 18); the list may only shrink:
# a test fails when an entry no longer occurs, so that it is taken off.
KNOWN_UPWARD = {
    ("monitoring/views.py", "jalin.portal"),
}
KNOWN_VIEW_MODEL_IMPORTS = {
    ("api/views.py", "jalin.accounts.models"),
    ("api/views.py", "jalin.agreements.models"),
    ("api/views.py", "jalin.governments.models"),
    ("api/views.py", "jalin.partners.models"),
    ("monitoring/views.py", "jalin.accounts.models"),
    ("monitoring/views.py", "jalin.agreements.models"),
    ("portal/views.py", "jalin.agreements.models"),
    ("portal/views.py", "jalin.governments.models"),
    ("portal/views.py", "jalin.partners.models"),
    ("workflow/views.py", "jalin.documents.models"),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every jalin.* module imported by a file (module level or inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("jalin.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jalin"):
            if node.module == "jalin":
                found += [(node.lineno, f"jalin.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def app_of(module: str) -> str:
    return module.split(".")[1]


def python_files():
    for path in sorted(JALIN.rglob("*.py")):
        relative = path.relative_to(JALIN)
        if "migrations" in relative.parts:
            continue
        yield path, relative


class LayerTests(SimpleTestCase):
    maxDiff = None

    def test_every_app_has_a_layer(self):
        apps = {path.name for path in JALIN.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
        self.assertEqual(apps - set(LAYERS), set(), "add the new app to LAYERS and to docs/architecture.md")

    def upward_imports(self) -> set[tuple[str, str, int]]:
        found = set()
        for path, relative in python_files():
            if len(relative.parts) == 1:
                continue  # root modules
            own = relative.parts[0]
            for line, module in imports_of(path):
                other = app_of(module)
                if relative.parts == ACCESS_MODULE and module.endswith(".models") and LAYERS.get(other) == 1:
                    continue
                if other in LAYERS and LAYERS[other] > LAYERS[own]:
                    found.add((str(relative), module, line))
        return found

    def test_no_import_runs_upwards(self):
        new = sorted(
            f"jalin/{file}:{line} imports {module}"
            for file, module, line in self.upward_imports()
            if (file, module) not in KNOWN_UPWARD
        )
        self.assertEqual(new, [])

    def test_the_known_exceptions_still_occur(self):
        occurring = {(file, module) for file, module, _line in self.upward_imports()}
        self.assertEqual(KNOWN_UPWARD - occurring, set(), "take the fixed import off KNOWN_UPWARD")
        occurring = {(file, module) for file, module, _line in self.view_model_imports()}
        self.assertEqual(KNOWN_VIEW_MODEL_IMPORTS - occurring, set(), "take it off KNOWN_VIEW_MODEL_IMPORTS")

    def test_nothing_outside_demo_imports_the_demo_data(self):
        offenders = [
            f"jalin/{relative}:{line}"
            for path, relative in python_files()
            if relative.parts[0] != "demo"
            for line, module in imports_of(path)
            if app_of(module) == "demo"
        ]
        self.assertEqual(offenders, [])

    def view_model_imports(self) -> set[tuple[str, str, int]]:
        found = set()
        for path, relative in python_files():
            if relative.name != "views.py" and "views" not in relative.parts:
                continue
            own = relative.parts[0]
            for line, module in imports_of(path):
                if module.endswith(".models") and app_of(module) != own:
                    found.add((str(relative), module, line))
        return found

    def test_views_do_not_import_another_apps_models(self):
        new = sorted(
            f"jalin/{file}:{line} imports {module}"
            for file, module, line in self.view_model_imports()
            if (file, module) not in KNOWN_VIEW_MODEL_IMPORTS
        )
        self.assertEqual(new, [])

    def test_it_sees_an_upward_import(self):
        """The check itself can fail: an import of a higher app from a lower one is found."""
        probe = ast.parse("from jalin.notifications import services\nimport jalin.portal.cache\n")
        modules = [node.module if isinstance(node, ast.ImportFrom) else node.names[0].name for node in probe.body]
        self.assertTrue(all(LAYERS[app_of(module)] > LAYERS["monitoring"] for module in modules))
