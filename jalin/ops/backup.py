"""One consistent archive of the database and every stored file, and its restore.

The archive is a gzipped tar file:

    data/<app_label>.<model>.jsonl   one JSON object per row, Django's "python" serialisation
                                     (primary keys kept, content types and permissions referred
                                     to by natural key), canonical JSON (sorted keys, full
                                     microseconds), rows in primary-key order
    files/<storage name>             the bytes of every file a row refers to (FileField)
    manifest.json                    format, date, source database vendor, applied migrations,
                                     per model: rows and SHA-256 of its .jsonl member; per file:
                                     size and SHA-256

Consistency: all rows are read in one transaction (REPEATABLE READ on PostgreSQL, so one
snapshot; on SQLite the transaction holds the database lock). Files are only ever added under
new random names and never overwritten or deleted, so the files referred to by the snapshot's
rows are exactly the files to copy, even while uploads go on.

The same canonical serialisation is used to verify a restore: after loading, every model is
serialised again from the new database and must give the same row count and checksum, and
every file is read back from storage and hashed. A SQLite <-> PostgreSQL round trip therefore
proves that no row, no field value and no file byte was lost.
"""

import contextlib
import datetime
import decimal
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from jalin.audit import revisions

FORMAT = "jalin-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rebuilt by `migrate` on every installation (or ephemeral): never archived.
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
BATCH = 1000
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be written, read or verified; the message says why."""


@dataclass
class Summary:
    models: dict[str, dict] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(entry["rows"] for entry in self.models.values())

    @property
    def file_bytes(self) -> int:
        return sum(entry["size"] for entry in self.files.values())


# --- Serialisation ---------------------------------------------------------------------


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full microseconds, unlike DjangoJSONEncoder
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"Cannot serialise {type(value).__name__}")


def _canonical(row: dict, m2m: set[str]) -> str:
    fields = row["fields"]
    for name in m2m & fields.keys():
        fields[name] = sorted(fields[name], key=lambda item: json.dumps(item, default=_encode))
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_encode)


def archived_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every concrete model whose table exists, in an order that loads without dangling keys."""
    tables = set(connections[using].introspection.table_names())
    by_app: dict = {}
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in EXCLUDED_MODELS or meta.db_table not in tables:
            continue
        by_app.setdefault(meta.app_config, []).append(model)
    return serializers.sort_dependencies(list(by_app.items()), allow_cycles=True)


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def serialise_model(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> Iterator[tuple[str, models.Model]]:
    """(canonical JSON line, instance) for every row of the model, in primary-key order, in batches."""
    serializer = serializers.get_serializer("python")()
    m2m = {f.name for f in model._meta.many_to_many}
    pk_name = model._meta.pk.attname
    queryset = model._base_manager.using(using).order_by(pk_name)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(**{f"{pk_name}__gt": last})
        batch = list(page[:BATCH])
        if not batch:
            return
        rows = serializer.serialize(batch, use_natural_foreign_keys=True)
        for row, instance in zip(rows, batch, strict=True):
            yield _canonical(row, m2m), instance
        last = getattr(batch[-1], pk_name)


def model_digests(using: str = DEFAULT_DB_ALIAS, only: Iterable[str] | None = None) -> dict[str, dict]:
    """{label: {"rows", "sha256"}} of the database as it is now (used to verify a restore)."""
    wanted = set(only) if only is not None else None
    result = {}
    for model in archived_models(using):
        label = model._meta.label_lower
        if wanted is not None and label not in wanted:
            continue
        digest, count = hashlib.sha256(), 0
        for line, _instance in serialise_model(model, using):
            digest.update(line.encode() + b"\n")
            count += 1
        result[label] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connections[using]).applied_migrations())


# --- Backup ----------------------------------------------------------------------------


class _HashingReader:
    """Hashes and counts the bytes tarfile copies."""

    def __init__(self, raw):
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o600
    tar.addfile(info, io.BytesIO(data))


@contextlib.contextmanager
def _snapshot(using: str):
    """A transaction that sees one state of the whole database."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup(
    output: str, *, using: str = DEFAULT_DB_ALIAS, allow_missing: bool = False, log: Callable = print
) -> Summary:
    """Write the archive to `output` (written to a temporary name, renamed when complete)."""
    started = time.monotonic()
    summary = Summary()
    now = timezone.now()
    directory = os.path.dirname(os.path.abspath(output))
    fd, partial = tempfile.mkstemp(prefix=".jalin-backup-", suffix=".partial", dir=directory)
    os.close(fd)
    try:
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            with _snapshot(using):
                referenced: dict[str, object] = {}
                order = []
                for model in archived_models(using):
                    label = model._meta.label_lower
                    order.append(label)
                    fields = file_fields(model)
                    digest, count = hashlib.sha256(), 0
                    with tempfile.TemporaryFile() as spool:
                        for line, instance in serialise_model(model, using):
                            data = line.encode() + b"\n"
                            digest.update(data)
                            spool.write(data)
                            count += 1
                            for f in fields:
                                name = getattr(instance, f.attname)
                                if name:
                                    referenced.setdefault(str(name), f.storage)
                        info = tarfile.TarInfo(f"data/{label}.jsonl")
                        info.size, info.mtime, info.mode = spool.tell(), int(now.timestamp()), 0o600
                        spool.seek(0)
                        tar.addfile(info, spool)
                    summary.models[label] = {"rows": count, "sha256": digest.hexdigest()}
                    log(f"{label}: {count} rows")
                migrations = applied_migrations(using)
                vendor = connections[using].vendor
            # Files are immutable once referenced: copying them after the snapshot is safe.
            for name in sorted(referenced):
                storage = referenced[name]
                try:
                    size = storage.size(name)
                    handle = storage.open(name, "rb")
                except Exception as error:  # missing, unreadable or unreachable
                    summary.missing_files.append(name)
                    log(f"MISSING FILE {name}: {error}")
                    continue
                with handle:
                    reader = _HashingReader(handle)
                    info = tarfile.TarInfo(f"files/{name}")
                    info.size, info.mtime, info.mode = size, int(now.timestamp()), 0o600
                    tar.addfile(info, reader)
                if reader.size != size:
                    raise BackupError(f"{name} changed size while it was copied ({size} -> {reader.size}).")
                summary.files[name] = {"size": size, "sha256": reader.digest.hexdigest()}
            if summary.missing_files and not allow_missing:
                raise BackupError(
                    f"{len(summary.missing_files)} file(s) referred to by rows are missing from storage: "
                    + ", ".join(summary.missing_files[:10])
                    + ". Run `manage.py check_files` to investigate, or pass --allow-missing."
                )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": now.isoformat(),
                "database_vendor": vendor,
                "migrations": migrations,
                "order": order,
                "models": summary.models,
                "files": summary.files,
                "missing_files": summary.missing_files,
                "totals": {
                    "rows": summary.rows,
                    "files": len(summary.files),
                    "file_bytes": summary.file_bytes,
                },
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode(), now.timestamp())
        os.chmod(partial, 0o600)
        os.replace(partial, output)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    summary.seconds = time.monotonic() - started
    return summary


# --- Reading and verifying an archive ---------------------------------------------------


def read_manifest(path: str) -> dict:
    try:
        with tarfile.open(path, "r:*") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(member)
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{path} is not a readable Jalin backup ({error}).") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} is not a Jalin backup of format version {FORMAT_VERSION}.")
    return manifest


def verify_archive(path: str, manifest: dict) -> None:
    """Check every member against the manifest before anything is touched."""
    expected_data = {f"data/{label}.jsonl": entry for label, entry in manifest["models"].items()}
    expected_files = {f"files/{name}": entry for name, entry in manifest["files"].items()}
    seen = set()
    problems = []
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or ".." in member.name.split("/") or member.name.startswith("/"):
                    problems.append(f"unexpected member {member.name}")
                    continue
                handle = tar.extractfile(member)
                digest, size = hashlib.sha256(), 0
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                entry = expected_data.get(member.name) or expected_files.get(member.name)
                if entry is None:
                    problems.append(f"unexpected member {member.name}")
                elif entry["sha256"] != digest.hexdigest() or ("size" in entry and entry["size"] != size):
                    problems.append(f"{member.name} does not match its checksum")
                seen.add(member.name)
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"The archive is damaged: {error}") from error
    missing = (expected_data.keys() | expected_files.keys()) - seen
    problems += [f"{name} is missing from the archive" for name in sorted(missing)]
    if problems:
        raise BackupError("The archive failed verification: " + "; ".join(problems[:20]))


# --- Restore ---------------------------------------------------------------------------


# Rows people entered: an installation with any of these is "in use" and is only replaced with
# --force. Reference data (load_reference_data) or rows a migration seeds do not count: the
# archive's own copy replaces them.
IN_USE_MODELS = ("accounts.user", "agreements.agreement")


def installation_rows(using: str = DEFAULT_DB_ALIAS) -> int:
    return sum(model._base_manager.using(using).count() for model in archived_models(using))


def rows_in_use(using: str = DEFAULT_DB_ALIAS) -> int:
    return sum(apps.get_model(label)._base_manager.using(using).count() for label in IN_USE_MODELS)


def restore(path: str, *, using: str = DEFAULT_DB_ALIAS, force: bool = False, log: Callable = print) -> Summary:
    """Rebuild this installation from the archive, all or nothing, and verify it."""
    from auditlog.context import disable_auditlog

    started = time.monotonic()
    manifest = read_manifest(path)
    verify_archive(path, manifest)
    log("Archive verified against its manifest.")
    call_command("migrate", database=using, interactive=False, verbosity=0, skip_checks=True)
    ours = {tuple(item) for item in applied_migrations(using)}
    theirs = {tuple(item) for item in manifest["migrations"]}
    if ours != theirs:
        unknown = sorted(theirs - ours)
        newer = sorted(ours - theirs)
        raise BackupError(
            "The archive was made by a different version of Jalin. "
            + (f"Migrations in the archive that this code does not have: {unknown[:5]}. " if unknown else "")
            + (f"Migrations this code has that the archive lacks: {newer[:5]}. " if newer else "")
            + "Restore with the version that made the backup, then upgrade (migrate)."
        )
    connection = connections[using]
    storage = default_storage
    written: list[str] = []
    summary = Summary()
    try:
        with transaction.atomic(using=using):
            in_use = rows_in_use(using)
            if in_use and not force:
                raise BackupError(
                    f"This installation is not empty ({in_use} users and agreements). Restore into a fresh "
                    "database, or pass --force to replace everything in it."
                )
            existing = installation_rows(using)
            if existing:
                log(f"Removing the {existing} rows of this installation first.")
                call_command("flush", database=using, interactive=False, verbosity=0)
            loaded_models = []
            with disable_auditlog(), connection.constraint_checks_disabled(), tarfile.open(path, "r:*") as tar:
                for label in manifest["order"]:
                    model = apps.get_model(label)
                    loaded_models.append(model)
                    handle = tar.extractfile(f"data/{label}.jsonl")
                    _load_lines(io.TextIOWrapper(handle, encoding="utf-8", newline="\n"), using)
            table_names = [m._meta.db_table for m in loaded_models]
            connection.check_constraints(table_names=table_names)
            sequences = connection.ops.sequence_reset_sql(no_style(), loaded_models)
            if sequences:
                with connection.cursor() as cursor:
                    for sql in sequences:
                        cursor.execute(sql)
            summary.models = model_digests(using, only=manifest["order"])
            differences = [
                label
                for label, entry in manifest["models"].items()
                if summary.models.get(label) != {"rows": entry["rows"], "sha256": entry["sha256"]}
            ]
            if differences:
                raise BackupError(f"After loading, these tables differ from the archive: {', '.join(differences)}")
            log(f"Database: {summary.rows} rows in {len(summary.models)} tables match the manifest.")
            with tarfile.open(path, "r:*") as tar:
                for name, entry in sorted(manifest["files"].items()):
                    _restore_file(tar, storage, name, entry, force=force, written=written)
                    summary.files[name] = entry
            log(f"Files: {len(summary.files)} files, {summary.file_bytes} bytes, checksums verified.")
    except BaseException:
        for name in written:
            with contextlib.suppress(Exception):  # best effort: the restore already failed
                storage.delete(name)
        raise
    # Cached values are keyed by audit entry ids and scope tokens (jalin/audit/revisions.py);
    # the ids start again from the backup's, so nothing cached before the restore may be taken
    # for the restored data. A new epoch retires every key at once; `cache.clear()` would also
    # flush the task queue and the sessions that share the Redis database.
    revisions.new_epoch()
    log("Cache retired (new cache epoch).")
    summary.seconds = time.monotonic() - started
    return summary


def _load_lines(lines: Iterable[str], using: str) -> None:
    batch: list[dict] = []
    for line in lines:
        if line.strip():
            batch.append(json.loads(line))
        if len(batch) >= BATCH:
            _save_objects(batch, using)
            batch = []
    if batch:
        _save_objects(batch, using)


def _save_objects(rows: list[dict], using: str) -> None:
    deferred = []
    for obj in serializers.deserialize("python", rows, using=using, handle_forward_references=True):
        obj.save(using=using)
        if obj.deferred_fields:
            deferred.append(obj)
    for obj in deferred:
        obj.save_deferred_fields(using=using)


def _sha256_of(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _restore_file(tar, storage, name: str, entry: dict, *, force: bool, written: list[str]) -> None:
    if storage.exists(name):
        if _sha256_of(storage, name) == entry["sha256"]:
            return
        if not force:
            raise BackupError(f"{name} already exists in storage with other content; pass --force to replace it.")
        storage.delete(name)
    handle = tar.extractfile(f"files/{name}")
    stored = storage.save(name, File(handle, name=os.path.basename(name)))
    written.append(stored)
    if stored != name:
        raise BackupError(f"Storage renamed {name} to {stored}; cannot restore it under its own name.")
    if _sha256_of(storage, name) != entry["sha256"]:
        raise BackupError(f"{name} was stored but reads back with another checksum.")
