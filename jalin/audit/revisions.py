"""Per-government revisions: every audit entry raises its government's counter and draws a new
random token in the same transaction, so "has anything of this government changed since?" is
one indexed read. Writes that bypass the audit trail (the scale data's bulk inserts) call
`bump` themselves."""

import uuid

from django.db.models import F

from jalin.audit.models import AuditEntry, GovernmentRevision


def bump(government_id: int) -> None:
    rows = GovernmentRevision.objects.filter(government_id=government_id)
    if rows.update(revision=F("revision") + 1, token=uuid.uuid4()):
        return
    _counter, created = GovernmentRevision.objects.get_or_create(government_id=government_id, defaults={"revision": 1})
    if not created:  # another transaction created it in between
        rows.update(revision=F("revision") + 1, token=uuid.uuid4())


def revisions(government_ids) -> dict[int, str]:
    """{government id: the token of its current revision}; "initial" for a government never
    changed through the audit trail."""
    found = dict(
        GovernmentRevision.objects.filter(government_id__in=government_ids).values_list("government_id", "token")
    )
    return {government_id: str(found.get(government_id, "initial")) for government_id in government_ids}


def on_audit_entry_saved(sender, instance: AuditEntry, created: bool, **kwargs) -> None:
    if created and instance.government_id:
        bump(instance.government_id)
