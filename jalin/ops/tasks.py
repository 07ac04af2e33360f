"""Operations tasks (huey). Thin wrappers, as every task in Jalin."""

import datetime

from django.core.cache import cache
from django.core.files.storage import default_storage
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, task

from jalin.lib import files


@task()
def ping(token: str) -> str:
    """Proves the queue end to end: a worker runs it and writes to the shared cache."""
    cache.set(f"ops:ping:{token}", "pong", timeout=300)
    return "pong"


@db_periodic_task(crontab(minute="17", hour="3"))
def remove_orphan_files() -> int:
    """Daily: remove stored files no row refers to (left by a killed process), older than a day."""
    found = files.orphans(default_storage, older_than=datetime.timedelta(days=1))
    for orphan in found:
        default_storage.delete(orphan.name)
    return len(found)
