"""The audit trail as a logbook people can read: who (name and role), when (in the
government's own time zone), what (the field's label in the reader's language), and before
→ after with names instead of ids, labels instead of codes, "Ya"/"Tidak" instead of
True/False. A page of entries is resolved with one query per related model, whatever the
number of entries (pinned in tests/audit/test_logbook.py)."""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalin.audit.models import AuditEntry

# Indonesia's three time zones by province code (Kemendagri): WITA for Bali, Nusa Tenggara,
# South/East/North Kalimantan and Sulawesi; WIT for Maluku and Papua; WIB elsewhere.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}
ZONES = {
    "WIB": zoneinfo.ZoneInfo("Asia/Jakarta"),
    "WITA": zoneinfo.ZoneInfo("Asia/Makassar"),
    "WIT": zoneinfo.ZoneInfo("Asia/Jayapura"),
}
ACTIONS = {
    AuditEntry.Action.CREATE: gettext_lazy("Created"),
    AuditEntry.Action.UPDATE: gettext_lazy("Changed"),
    AuditEntry.Action.DELETE: gettext_lazy("Deleted"),
    AuditEntry.Action.ACCESS: gettext_lazy("Viewed"),
}
EMPTY = "–"


def zone_name(government) -> str:
    """WIB, WITA or WIT for a government (WIB when there is none, as for national data)."""
    province = (getattr(government, "code", "") or "").split(".")[0]
    return "WITA" if province in _WITA else "WIT" if province in _WIT else "WIB"


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    m2m_operation: str = ""
    m2m_objects: str = ""


@dataclass
class Line:
    """One entry of the logbook."""

    entry: AuditEntry
    when: datetime.datetime
    zone: str
    who: str
    role: str
    action: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model, name: str, field) -> str:
    if field is not None:
        return str(field.verbose_name)
    # a column name without a model field ("lead_agency_id"): the field it belongs to
    if name.endswith("_id") and _field(model, name[:-3]) is not None:
        return str(_field(model, name[:-3]).verbose_name)
    return name.replace("_", " ")


def _is_empty(value) -> bool:
    return value in (None, "None", "", "null", "[]")


def _plain(field, value, names: dict) -> str:
    """A stored value as a person reads it."""
    if _is_empty(value):
        return EMPTY
    if field is not None and field.many_to_one:
        return names.get((field.related_model, str(value)), f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, models.BooleanField) or value in ("True", "False"):
        return _("Yes") if value in (True, "True") else _("No")
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return formats.date_format(timezone.localtime(moment), "j F Y H:i")
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        try:
            return formats.number_format(Decimal(str(value)), use_l10n=True, force_grouping=True)
        except (InvalidOperation, ValueError):
            return str(value)
    return str(value)


def _foreign_ids(entries) -> dict:
    """Every (related model, id) named by the entries' changes, grouped by model."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            if field is not None and field.many_to_one and isinstance(values, list | tuple):
                for value in values:
                    if not _is_empty(value):
                        wanted[field.related_model].add(str(value))
    return wanted


def _names(entries) -> dict:
    """(model, id) -> the object's name, one query per related model."""
    names = {}
    for model, ids in _foreign_ids(entries).items():
        keys = [int(key) for key in ids if key.isdigit()]
        for obj in model._base_manager.filter(pk__in=keys):
            names[(model, str(obj.pk))] = str(obj)
    return names


def _changes(entry, names: dict) -> list[Change]:
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        if name == "id":
            continue  # a new record's own id says nothing to a reader
        field = _field(model, name)
        label = _label(model, name, field)
        if isinstance(values, dict) and values.get("type") == "m2m":
            operation = _("added") if values.get("operation") == "add" else _("removed")
            changes.append(Change(label, m2m_operation=operation, m2m_objects=", ".join(values.get("objects", []))))
        elif isinstance(values, list | tuple) and len(values) == 2:
            changes.append(Change(label, _plain(field, values[0], names), _plain(field, values[1], names)))
    return changes


def logbook(entries, *, government=None) -> list[Line]:
    """The lines of a page of audit entries (with actor, content type and government
    selected), times in the government's zone (the reader's own government)."""
    from jalin.accounts.models import Role

    entries = list(entries)
    names = _names(entries)
    lines = []
    for entry in entries:
        zone = zone_name(entry.government or government)
        actor = entry.actor
        lines.append(
            Line(
                entry=entry,
                when=timezone.localtime(entry.timestamp, ZONES[zone]),
                zone=zone,
                who=(actor.get_full_name() or actor.username) if actor else _("system"),
                role=str(Role(actor.role).label) if actor and actor.role else "",
                action=str(ACTIONS.get(entry.action, "")),
                kind=str(entry.content_type.model_class()._meta.verbose_name)
                if entry.content_type.model_class()
                else entry.content_type.model,
                changes=_changes(entry, names),
            )
        )
    return lines
