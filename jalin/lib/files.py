"""Stored files and database rows kept in step.

A file must be written before the row that refers to it is committed, and no storage can take
part in the database transaction. Two mechanisms keep "no file without its row" true:

1. `delete_unless_committed(storage, name)`, called right after a file is written inside a
   transaction: if that transaction (or the savepoint the file was written in) is rolled back
   for any reason, including an exception in an outer caller's transaction, the file is
   deleted. It relies on Django discarding the transaction's on_commit callbacks on rollback:
   the callback registered here marks the file as committed when it runs; when it is
   discarded unrun, a finaliser deletes the file.
2. `orphans()` / `manage.py check_files --delete-orphans`, for what no process can clean up
   after itself (the process was SIGKILLed or the machine lost power between writing the file
   and committing the row): files no row refers to, older than a grace period, are removed.

Rows without files cannot arise from an upload (the row is committed after its file is
written); `missing()` reports them should storage lose a file.
"""

import datetime
import errno
import logging
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class _Committed:
    __slots__ = ("__weakref__", "state")

    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


def _delete_if_not_committed(storage: Storage, name: str, state: dict) -> None:
    if state["committed"]:
        return
    try:
        storage.delete(name)
        logger.info("Deleted %s: the transaction that referred to it was rolled back.", name)
    except Exception:
        logger.exception("Could not delete %s after a rollback; `manage.py check_files` will find it.", name)


def delete_unless_committed(storage: Storage, name: str, *, using: str | None = None) -> None:
    """Delete the stored file `name` unless the current transaction commits."""
    state = {"committed": False}
    marker = _Committed(state)
    weakref.finalize(marker, _delete_if_not_committed, storage, name, state)
    transaction.on_commit(marker, using=using)


def storage_failure(error: Exception) -> ValidationError:
    """The message a user sees when storage refuses a file (disk full, bucket unreachable...)."""
    logger.error("Storage refused a file: %r", error)
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        reason = _("the storage is full")
    elif isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = _("the storage refuses writes")
    else:
        reason = _("the storage cannot be reached")
    return ValidationError(
        _(
            "The file could not be stored because %(reason)s. Nothing was saved; try again later or tell the administrator."
        )
        % {"reason": reason}
    )


# --- Consistency between storage and rows --------------------------------------------------


def file_fields() -> list[tuple[type, object]]:
    return [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField) and model._meta.managed and not model._meta.proxy
    ]


def referenced_names() -> dict[str, Storage]:
    names: dict[str, Storage] = {}
    for model, f in file_fields():
        for name in model._base_manager.exclude(**{f.attname: ""}).values_list(f.attname, flat=True).iterator():
            if name:
                names[name] = f.storage
    return names


def _walk(storage: Storage, path: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from _walk(storage, f"{path}/{directory}" if path else directory)


@dataclass
class Orphan:
    name: str
    modified: datetime.datetime | None


def orphans(storage: Storage, *, older_than: datetime.timedelta) -> list[Orphan]:
    """Stored files no row refers to, last modified before now - older_than."""
    referenced = referenced_names()
    cutoff = timezone.now() - older_than
    found = []
    for name in _walk(storage):
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            modified = None
        if modified is None or modified <= cutoff:
            found.append(Orphan(name, modified))
    return found


def missing() -> list[str]:
    """Names that rows refer to but storage does not have."""
    return sorted(name for name, storage in referenced_names().items() if not storage.exists(name))
