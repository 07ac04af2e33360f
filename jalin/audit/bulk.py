"""Bulk inserts that still reach the audit trail.

`Model.objects.bulk_create` sends no signal, so django-auditlog never sees the rows. A
service that writes many rows at once (an indicator's periods, a report's beneficiaries, a
correction's copied values) calls `bulk_create` here instead: one INSERT for the rows, then
one audit entry per row through auditlog's own receiver, exactly as a `save()` would write it
(actor, government and agreement included, and the cache scopes bumped)."""

from auditlog.receivers import log_create


def bulk_create(model, objects, **options) -> list:
    created = model.objects.bulk_create(list(objects), **options)
    for instance in created:
        log_create(sender=model, instance=instance, created=True)
    return created
