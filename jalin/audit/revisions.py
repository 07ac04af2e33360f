"""Per-government revision counters: every audit entry raises its government's counter in the
same transaction, so "has anything of this government changed since?" is one indexed read.
Writes that bypass the audit trail (the scale data's bulk inserts) do not move the counter."""

from django.db.models import F

from jalin.audit.models import AuditEntry, GovernmentRevision


def bump(government_id: int) -> None:
    rows = GovernmentRevision.objects.filter(government_id=government_id)
    if rows.update(revision=F("revision") + 1):
        return
    _counter, created = GovernmentRevision.objects.get_or_create(government_id=government_id, defaults={"revision": 1})
    if not created:  # another transaction created it in between
        rows.update(revision=F("revision") + 1)


def revisions(government_ids) -> dict[int, int]:
    """{government id: revision}; a government never changed through the audit trail is 0."""
    found = dict(
        GovernmentRevision.objects.filter(government_id__in=government_ids).values_list("government_id", "revision")
    )
    return {government_id: found.get(government_id, 0) for government_id in government_ids}


def on_audit_entry_saved(sender, instance: AuditEntry, created: bool, **kwargs) -> None:
    if created and instance.government_id:
        bump(instance.government_id)
