"""The audit trail: django-auditlog's log entry, scoped to a government and an agreement.

Models registered with auditlog (see `jalin/audit/registry.py`) write an entry on every
create, update and m2m change. Each entry records the government it belongs to, and the
agreement it concerns when there is one, so that an auditor's trail and an agreement's
timeline are plain indexed queries.
"""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalin.audit.context import current_actor


def _scope_of(instance) -> dict:
    scope = getattr(instance, "audit_scope", None)
    fields = scope() if callable(scope) else {}
    actor = current_actor()
    if actor is not None and getattr(actor, "pk", None):
        fields["actor"] = actor
        fields["actor_email"] = actor.email
    return fields


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        for key, value in _scope_of(instance).items():
            kwargs.setdefault(key, value)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        for key, value in _scope_of(instance).items():
            kwargs.setdefault(key, value)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("government"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["government", "-timestamp"]),
            models.Index(fields=["agreement", "-timestamp"]),
            # the newest entry of a government, its revision (jalin/audit/revisions.py)
            models.Index(fields=["government", "-id"], name="audit_government_newest"),
        ]
