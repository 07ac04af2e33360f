"""Render audit entries for people: field labels instead of column names, choice labels
instead of stored values, actions in the user's language."""

from dataclasses import dataclass

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    m2m_operation: str = ""
    m2m_objects: str = ""


def _display(field, value) -> str:
    if value in (None, "None", ""):
        return "–"
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


@register.filter
def audit_changes(entry) -> list[Change]:
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = str(getattr(field, "verbose_name", name))
        if isinstance(values, dict) and values.get("type") == "m2m":
            operation = _("added") if values.get("operation") == "add" else _("removed")
            changes.append(Change(label, m2m_operation=operation, m2m_objects=", ".join(values.get("objects", []))))
        elif isinstance(values, list | tuple) and len(values) == 2:
            changes.append(Change(label, _display(field, values[0]), _display(field, values[1])))
    return changes


@register.filter
def audit_action(entry) -> str:
    return {0: _("Created"), 1: _("Changed"), 2: _("Deleted"), 3: _("Viewed")}.get(entry.action, "")


@register.filter
def audit_object_kind(entry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model
