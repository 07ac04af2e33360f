"""The Indonesian catalogue is complete, compiled, faithful to its placeholders, and used.

Jalin is Indonesian first: source strings are English and locale/id/LC_MESSAGES/django.po
carries the Indonesian. These tests fail when a string is left untranslated or fuzzy, when
the committed django.mo was not recompiled after the .po changed, or when a translation
drops or renames a placeholder. See locale/README.md for how to update the catalogue.
"""

import ast
import gettext
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)] or [""]


def _unquote(text: str, line_no: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise ValueError(f"line {line_no}: expected a quoted string, got {text!r}")
    # PO strings use C escapes (\n, \t, \", \\), which Python's string literal syntax reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """A small PO parser: comments and flags, msgctxt, msgid, msgid_plural, msgstr, msgstr[n],
    strings continued on following lines. Obsolete entries (#~) are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    started = False  # the current entry has a keyword line
    target: tuple[str, int | None] | None = None  # where a continuation line goes

    def finish():
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$")
    for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if started and target is not None and target[0] == "msgstr":
                finish()  # a comment after msgstr starts the next entry
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = keyword.match(line)
        if match:
            name, index, value = match.group(1), match.group(2), _unquote(match.group(3), line_no)
            if name in ("msgctxt", "msgid") and started and target is not None and target[0] == "msgstr":
                finish()  # entries not separated by a blank line
            if not started:
                entry.line = line_no
                started = True
            if name == "msgstr" and index is not None:
                entry.msgstr_plural[int(index)] = value
                target = ("msgstr", int(index))
            else:
                setattr(entry, name, value)
                target = (name, None)
            continue
        if line.startswith('"') and target is not None:
            value = _unquote(line, line_no)
            name, index = target
            if index is not None:
                entry.msgstr_plural[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        raise ValueError(f"{path.name} line {line_no}: cannot parse {raw!r}")
    finish()
    return entries


PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s, %(days)d
    r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %s, %d
    r"|\{\{\s*[\w.]+\s*\}\}"  # {{ name }}
)


def placeholders(text: str) -> set[str]:
    text = text.replace("%%", "")
    return {re.sub(r"\s+", "", token) for token in PLACEHOLDER.findall(text)}


class CatalogueTestCase(SimpleTestCase):
    po_path = PO_PATH  # the project catalogue; apps with their own locale/ get a subclass below
    min_entries = 100

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_entries = parse_po(cls.po_path)
        cls.header = next(entry for entry in cls.all_entries if entry.is_header)
        cls.entries = [entry for entry in cls.all_entries if not entry.is_header]


class ParserTests(SimpleTestCase):
    def test_it_reads_context_plurals_continuations_and_flags(self):
        sample = (
            '# comment\nmsgid ""\nmsgstr ""\n"Language: id\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
            '#, python-format\nmsgctxt "menu"\nmsgid "Save %(what)s"\nmsgstr "Simpan %(what)s"\n\n'
            '#, fuzzy\nmsgid ""\n"Two "\n"lines"\nmsgstr "Dua baris \\"dikutip\\""\n\n'
            'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] ""\n"%(n)s baris"\n\n'
            '#~ msgid "Gone"\n#~ msgstr "Hilang"\n'
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sample.po"
            path.write_text(sample, encoding="utf-8")
            header, with_context, fuzzy, plural = parse_po(path)
        self.assertTrue(header.is_header)
        self.assertIn("nplurals=1", header.msgstr)
        self.assertEqual((with_context.msgctxt, with_context.msgid), ("menu", "Save %(what)s"))
        self.assertIn("python-format", with_context.flags)
        self.assertEqual(fuzzy.msgid, "Two lines")
        self.assertEqual(fuzzy.msgstr, 'Dua baris "dikutip"')
        self.assertIn("fuzzy", fuzzy.flags)
        self.assertEqual(plural.msgid_plural, "%(n)s rows")
        self.assertEqual(plural.msgstr_plural, {0: "%(n)s baris"})

    def test_placeholders(self):
        self.assertEqual(
            placeholders("%(a)s, %(b)d, %s, %d, {{ c }}, {{d}}, 100%%"),
            {"%(a)s", "%(b)d", "%s", "%d", "{{c}}", "{{d}}"},
        )


class PoFileTests(CatalogueTestCase):
    def test_the_catalogue_has_entries(self):
        self.assertGreaterEqual(len(self.entries), self.min_entries)

    def test_the_header_declares_indonesian_with_one_plural_form(self):
        self.assertNotIn("fuzzy", self.header.flags)
        self.assertIn("Language: id\n", self.header.msgstr)
        self.assertIn("Plural-Forms: nplurals=1; plural=0;", self.header.msgstr)
        self.assertIn("charset=UTF-8", self.header.msgstr)

    def test_no_entry_is_untranslated(self):
        empty = [entry.label for entry in self.entries if any(not text.strip() for text in entry.translations())]
        self.assertEqual(empty, [], "untranslated entries")

    def test_plural_entries_have_exactly_one_form(self):
        wrong = [
            entry.label for entry in self.entries if entry.msgid_plural is not None and set(entry.msgstr_plural) != {0}
        ]
        self.assertEqual(wrong, [], "Indonesian has one plural form: give only msgstr[0]")

    def test_no_entry_is_fuzzy(self):
        fuzzy = [entry.label for entry in self.entries if "fuzzy" in entry.flags]
        self.assertEqual(fuzzy, [], "fuzzy entries are ignored by compilemessages: check them and drop the flag")

    def test_no_entry_is_duplicated(self):
        keys = [(entry.msgctxt, entry.msgid) for entry in self.entries]
        self.assertEqual(len(keys), len(set(keys)))

    def test_placeholders_are_preserved(self):
        wrong = []
        for entry in self.entries:
            sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
            expected = set().union(*(placeholders(source) for source in sources))
            for text in entry.translations():
                if placeholders(text) != expected:
                    wrong.append(f"{entry.label}: {sorted(expected)} != {sorted(placeholders(text))} in {text!r}")
        self.assertEqual(wrong, [], "placeholders differ between msgid and msgstr")


class MoFileTests(CatalogueTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.po_path.with_suffix(".mo").open("rb") as mo:
            cls.mo = gettext.GNUTranslations(mo)

    def test_every_po_entry_is_compiled_with_the_same_translation(self):
        stale = []
        for entry in self.entries:
            if entry.msgid_plural is None:
                if entry.msgctxt is None:
                    compiled = self.mo.gettext(entry.msgid)
                else:
                    compiled = self.mo.pgettext(entry.msgctxt, entry.msgid)
                if compiled != entry.msgstr:
                    stale.append(f"{entry.label}: .mo has {compiled!r}, .po has {entry.msgstr!r}")
                continue
            for n in (0, 1, 2, 5):
                if entry.msgctxt is None:
                    compiled = self.mo.ngettext(entry.msgid, entry.msgid_plural, n)
                else:
                    compiled = self.mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if compiled != entry.msgstr_plural.get(0):
                    stale.append(f"{entry.label} (n={n}): .mo has {compiled!r}")
        self.assertEqual(stale, [], "django.mo is out of date: run `manage.py compilemessages -l id`")

    def test_the_mo_file_holds_nothing_the_po_file_does_not(self):
        expected = set()
        for entry in self.entries:
            key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
            if entry.msgid_plural is None:
                expected.add(key)
            else:
                expected.update((key, n) for n in entry.msgstr_plural)
        compiled = {key for key in self.mo._catalog if key not in ("", ("", 0))}
        self.assertEqual(sorted(map(str, compiled - expected)), [], "django.mo has entries the .po no longer has")

    def test_the_mo_file_uses_one_plural_form(self):
        self.assertEqual(self.mo.plural(1), 0)
        self.assertEqual(self.mo.plural(7), 0)


class LabelTests(SimpleTestCase):
    def test_model_choice_labels_translate(self):
        from jalin.accounts.models import Role
        from jalin.agreements.models import Category, Status

        with translation.override("id"):
            self.assertEqual(str(Status.EXPIRING.label), "Segera berakhir")
            self.assertEqual(str(Status.EXPIRED.label), "Berakhir")
            self.assertEqual(str(Status.TERMINATED.label), "Diakhiri")
            self.assertEqual(str(Status.DRAFT.label), "Draf")
            self.assertEqual(str(Category.KSDPL.label), "KSDPL (pemerintah daerah luar negeri)")
            self.assertEqual(str(Role.ADMIN.label), "Admin Bagian Kerja Sama")
        with translation.override("en"):
            self.assertEqual(str(Status.EXPIRING.label), "Expiring")

    def test_phrases_with_numbers_translate(self):
        from jalin.lib.formatting import days_phrase

        with translation.override("id"):
            self.assertEqual(days_phrase(5), "tersisa 5 hari")
            self.assertEqual(days_phrase(0), "berakhir hari ini")
            self.assertEqual(days_phrase(-3), "berakhir 3 hari yang lalu")
        with translation.override("en"):
            self.assertEqual(days_phrase(5), "5 days left")


class RenderedLanguageTests(TestCase):
    """The home page queries the database, so this is a TestCase rather than a SimpleTestCase."""

    def test_pages_are_indonesian_by_default_even_for_an_english_browser(self):
        response = self.client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="id">')
        self.assertContains(response, "Masuk")
        self.assertContains(response, "Kerja sama daerah")
        self.assertNotContains(response, "Staff login")
        self.assertEqual(response.headers["Content-Language"], "id")

    def test_the_language_switch_turns_the_page_english_and_back(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.cookies[settings.LANGUAGE_COOKIE_NAME].value, "en")

        response = self.client.get("/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Staff login")
        self.assertContains(response, "Regional cooperation")
        self.assertNotContains(response, "Masuk")

        self.client.post("/i18n/setlang/", {"language": "id", "next": "/"})
        response = self.client.get("/")
        self.assertContains(response, '<html lang="id">')
        self.assertContains(response, "Masuk")

    def test_an_unknown_language_cookie_falls_back_to_indonesian(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = self.client.get("/")
        self.assertContains(response, '<html lang="id">')
        self.assertContains(response, "Masuk")


# Apps that keep their own catalogue (jalin/<app>/locale/id/LC_MESSAGES/django.po) are held
# to the same rules: one PoFileTests and one MoFileTests subclass per app catalogue.
for _app_po in sorted((Path(settings.BASE_DIR) / "jalin").glob("*/locale/id/LC_MESSAGES/django.po")):
    _app = _app_po.parents[3].name
    for _base in (PoFileTests, MoFileTests):
        _name = f"{_base.__name__}For{_app.capitalize()}"
        globals()[_name] = type(_name, (_base,), {"po_path": _app_po, "min_entries": 1})
