"""A government's revision: the id of its newest audit entry.

Every change of a government's data writes an audit entry in the same transaction (writes that
bypass the services, such as the scale data's bulk inserts, write their audit entries in bulk
too), so "has anything of this government changed since?" is one index probe per government,
with no counter to update: no row is locked by a writer, however long its transaction (an
import of thousands of rows), and a transaction sees its own changes. Ids grow with every
entry; after a restore from backup they start again from the backup's, which is why the
restore clears the cache (jalin/ops/backup.py).
"""

from django.db.models import OuterRef, Subquery

from jalin.audit.models import AuditEntry
from jalin.governments.models import Government


def revisions(government_ids) -> dict[int, int]:
    """{government id: the id of its newest audit entry}; 0 for a government without any."""
    newest = AuditEntry.objects.filter(government_id=OuterRef("pk")).order_by("-id").values("id")[:1]
    found = dict(
        Government.objects.filter(pk__in=government_ids)
        .annotate(revision=Subquery(newest))
        .values_list("pk", "revision")
    )
    return {government_id: found.get(government_id) or 0 for government_id in government_ids}
