"""Text that goes in and out of Jalin safely: control characters and spreadsheet formulas.

- **Input.** `refuse_control_characters` (a validator) refuses the C0 control characters
  other than tab, newline and carriage return, and DEL: they are invisible, break XML (XLSX,
  DOCX, Atom) and serve no purpose in a register. Applied to every text field of every form
  and API serializer (`jalin.lib.fields`) and to every imported cell.
- **Output.** Rows stored before that check may still hold them: every XML writer passes
  its text through `xml_text`, which drops what XML 1.0 cannot carry.
- **Spreadsheets.** A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
  is run as a formula by spreadsheet programs (CSV injection): `spreadsheet_cell` prefixes
  such text with an apostrophe, for every CSV and XLSX writer. Numbers, dates and empty
  cells are left alone, so they stay numbers.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

# C0 controls except \t \n \r, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What XML 1.0 cannot carry at all (C0 controls except \t \n \r; lone surrogates; U+FFFE/F).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@deconstructible
class ControlCharacterValidator:
    message = _("Remove the invisible control characters from this text (often pasted from another program).")
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator)


refuse_control_characters = ControlCharacterValidator()


def xml_text(value):
    """The text with the characters XML cannot carry removed (anything else unchanged)."""
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    return value


def spreadsheet_cell(value):
    """A value ready for a CSV or XLSX cell: text that a spreadsheet would run as a formula
    starts with an apostrophe; text is XML-safe; anything that is not text is unchanged."""
    if not isinstance(value, str):
        return value
    value = xml_text(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def escaping_appends(sheet):
    """Make every `append` of this openpyxl (write-only) sheet pass its cells through
    `spreadsheet_cell`; returns the sheet (still a real worksheet, for charts)."""
    append = sheet.append
    sheet.append = lambda row: append([spreadsheet_cell(value) for value in row])
    return sheet


class XmlSafeAtom1Feed(Atom1Feed):
    """Django's Atom feed, with every text of the feed and its items made XML-safe (Django
    refuses control characters with an error, which made the whole feed a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_text, args), **{name: xml_text(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_text, args), **{name: xml_text(value) for name, value in kwargs.items()})
