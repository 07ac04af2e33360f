"""Filling a DOCX template: docxtpl renders the Jinja tags the division typed in Word
(`{{ title }}`, `{%p if parent %}`, `{%tr for row in rows %}`), so every filled value keeps
the style of the run it stands in and the rest of the document is untouched. The Jinja
environment is sandboxed (an uploaded template cannot reach Python internals) and escapes
values for XML. Every section of the result is A4 with the government margins."""

import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jalin.lib.pages import docx_a4
from jalin.lib.text import xml_text

# Punctuation the template already writes after a tag: a value never ends with its own.
_TRAILING = re.compile(r"[\s.,;:]+$")


def clause(text: str | None) -> str:
    """A value to stand inside a sentence: trimmed, without a trailing full stop, comma,
    semicolon or colon (the template writes its own), so "… sendiri." + "." never gives "..".
    """
    return _TRAILING.sub("", (text or "").strip())


def _environment():
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)


def _template(source):
    from docxtpl import DocxTemplate

    return DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def template_tags(source) -> set[str]:
    """The top-level names a template uses (raises ValidationError on a syntax error)."""
    from jinja2 import TemplateSyntaxError

    try:
        return set(_template(source).get_undeclared_template_variables(_environment()))
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The template has a tag that cannot be read (line %(line)s): %(message)s")
            % {"line": error.lineno, "message": error.message}
        ) from error


def _xml_safe(value):
    """The context with every text made XML-safe: rows stored before the input check may hold
    control characters, which no .docx can carry (jalin/lib/text.py)."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_xml_safe(item) for item in value]
    return value


def render(source, context: dict) -> bytes:
    """Fill `source` (a path or the bytes of a .docx) with `context`; return the .docx bytes."""
    template = _template(source)
    template.render(_xml_safe(context), _environment(), autoescape=True)
    docx_a4(template.docx)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
