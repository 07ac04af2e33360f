"""The import pipeline, run in the background queue (jalin/imports/tasks.py):

1. `import_upload` (web request): the file's cheap checks (size, type, zip directory) and
   keeping it. Nothing is parsed in the request.
2. `import_stage` (worker): parse with the limits of `parsing`, outside any transaction;
   decide every row without writing (a dry run); store the decisions as `StagedRow`s and
   the proposals on the import. Progress: `rows_staged` of `rows_total`, written in short
   autocommit updates.
3. The admin reads the preview, confirms the proposals (`import_confirm`).
4. `import_apply` (worker): the one writing step, one transaction. The file is parsed
   again first (outside the transaction), so the transaction only writes. A killed worker
   leaves nothing applied (the transaction never commits); running it again completes.
   Progress of the rows written goes to a small file, as nothing inside the transaction is
   visible to the page until it commits.
5. `import_undo`: what the import created archived, what it updated restored, audited;
   rows changed since are named and left as they are unless the admin confirms.
"""

import json
import uuid
from pathlib import Path

from auditlog.cid import correlation_id
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts.models import User
from jalin.agreements import services as agreement_services
from jalin.agreements.models import Agreement, AgreementParty
from jalin.audit.context import acting_as
from jalin.governments import services as agency_services
from jalin.governments.models import Agency
from jalin.imports import parsing
from jalin.imports.models import ImportStatus, RegisterImport, StagedRow
from jalin.imports.services import (
    Action,
    ImportFailed,
    ImportResult,
    Problem,
    RowResult,
    can_import,
    run_import,
    validate_mapping,
)
from jalin.lib.uploads import sanitise_name
from jalin.partners import services as partner_services
from jalin.partners.models import Partner

PROGRESS_EVERY = 100  # rows between two progress updates


def _digest(handle) -> str:
    import hashlib

    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _check_access(actor: User, register_import: RegisterImport) -> None:
    if not can_import(actor) or register_import.government_id != actor.government_id:
        raise PermissionDenied


def _queue(task_name: str, pk: int) -> None:
    from jalin.imports import tasks

    transaction.on_commit(lambda: getattr(tasks, task_name)(pk))


# 1. Upload ------------------------------------------------------------------------------


@transaction.atomic
def import_upload(*, actor: User, upload, mapping: dict | None = None) -> RegisterImport:
    """Keep an uploaded register after its cheap checks, and queue the staging pass."""
    if not can_import(actor):
        raise PermissionDenied
    name = sanitise_name(upload.name) or "register.xlsx"
    parsing.check_file(upload, name)
    with acting_as(actor):
        register_import = RegisterImport(
            government=actor.government,
            created_by=actor,
            original_name=name,
            size=upload.size,
            sha256=_digest(upload),
            mapping=mapping or {},
            status=ImportStatus.STAGING,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        register_import.file.save(name, File(upload), save=False)
        register_import.save()
    _queue("stage_import", register_import.pk)
    return register_import


def register_of(register_import: RegisterImport) -> parsing.Register:
    with register_import.file.open("rb") as handle:
        return parsing.read_table(handle, register_import.original_name)


@transaction.atomic
def import_set_mapping(*, actor: User, register_import: RegisterImport, mapping: dict) -> RegisterImport:
    """A corrected column mapping: checked against the columns the staging pass found, then staged again."""
    _check_access(actor, register_import)
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.status not in (ImportStatus.PENDING, ImportStatus.STAGED, ImportStatus.FAILED):
        raise ValidationError(_("This import is already done."))
    keys = {column["key"] for column in register_import.columns}
    if any(str(key) not in keys for key in mapping):
        raise ValidationError(_("The column mapping refers to a column or field that does not exist."))
    with acting_as(actor):
        register_import.mapping = {str(key): value for key, value in mapping.items() if value}
        register_import.status = ImportStatus.STAGING
        register_import.rows_staged = 0
        register_import.message = ""
        register_import.save()
    _queue("stage_import", register_import.pk)
    return register_import


# 2. Staging -----------------------------------------------------------------------------


def _columns(register: parsing.Register) -> list[dict]:
    out = []
    for table_index, table in enumerate(register.tables):
        for column in table.columns:
            samples = []
            for row in table.rows[:3]:
                value = row.cells[column.index] if column.index < len(row.cells) else None
                samples.append("" if value is None else str(value)[:60])
            key = parsing.mapping_key(table_index, column.index)
            out.append({"key": key, "sheet": table.sheet, "letter": column.letter, "label": column.label,
                        "guess": column.guess or "", "samples": samples})  # fmt: skip
    return out


def _fail(pk: int, status: str, message: str, **fields) -> None:
    RegisterImport.objects.filter(pk=pk).update(status=status, message=message, **fields)


def import_stage(*, import_id: int) -> None:
    """The staging pass (worker): parse, decide every row, store the decisions. Holds no
    transaction while parsing or deciding; the decisions are stored in one short one."""
    register_import = RegisterImport.objects.select_related("created_by__government").get(pk=import_id)
    if register_import.status != ImportStatus.STAGING:
        return
    actor = register_import.created_by
    with translation.override(register_import.language or settings.LANGUAGE_CODE):
        try:
            register = register_of(register_import)
        except ValidationError as error:
            _fail(import_id, ImportStatus.FAILED, " ".join(error.messages))
            return
        mapping = register_import.mapping or register.guessed_mapping()
        RegisterImport.objects.filter(pk=import_id).update(
            columns=_columns(register), rows_total=register.row_count, mapping=mapping,
            skipped_sheets=[list(item) for item in register.skipped],
        )  # fmt: skip
        try:
            validate_mapping(mapping, register)
        except ValidationError as error:
            _fail(import_id, ImportStatus.PENDING, " ".join(error.messages))
            return

        def progress(done: int) -> None:
            if done % PROGRESS_EVERY == 0:
                RegisterImport.objects.filter(pk=import_id).update(rows_staged=done)

        result = run_import(actor=actor, table=register, mapping=mapping, dry_run=True, on_row=progress)
    _store_stage(import_id, result)


@transaction.atomic
def _store_stage(import_id: int, result: ImportResult) -> None:
    register_import = RegisterImport.objects.select_for_update().get(pk=import_id)
    register_import.staged_rows.all().delete()
    StagedRow.objects.bulk_create((_staged(register_import, position, row) for position, row in enumerate(result.rows)),
                                  batch_size=500)  # fmt: skip
    register_import.status = ImportStatus.STAGED
    register_import.rows_staged = len(result.rows)
    register_import.problem_count = result.problem_count
    register_import.proposals = [proposal.as_dict() for proposal in result.proposals.values()]
    register_import.accepted = [proposal["key"] for proposal in register_import.proposals]
    _counts(register_import, result)
    register_import.save()


def _staged(register_import: RegisterImport, position: int, row: RowResult) -> StagedRow:
    detail = {
        "partners": row.partners,
        "new_partners": row.new_partners,
        "changes": row.changes,
        "problems": [[problem.column, problem.message] for problem in row.problems],
        "notes": [[note.column, note.message] for note in row.warnings],
        "proposals": row.proposals,
    }
    return StagedRow(
        register_import=register_import, position=position, sheet=row.sheet, row=row.row, action=row.action,
        number=row.number[:255], title=row.title, detail=detail, agreement_id=row.agreement_id,
        before=row.before, after_version=row.after_version,
    )  # fmt: skip


def _counts(register_import: RegisterImport, result: ImportResult) -> None:
    register_import.created_count = result.count(Action.CREATE)
    register_import.updated_count = result.count(Action.UPDATE)
    register_import.unchanged_count = result.count(Action.UNCHANGED)
    register_import.skipped_count = result.count(Action.SKIP)


def staged_result(register_import: RegisterImport) -> ImportResult:
    """The staged rows as an ImportResult (the preview and the report read it)."""
    rows = []
    for staged in register_import.staged_rows.all():
        detail = staged.detail
        rows.append(
            RowResult(
                row=staged.row, action=staged.action, sheet=staged.sheet, number=staged.number, title=staged.title,
                partners=detail.get("partners", []), new_partners=detail.get("new_partners", []),
                changes=detail.get("changes", []), problems=[Problem(*item) for item in detail.get("problems", [])],
                warnings=[Problem(*item) for item in detail.get("notes", [])],
                proposals=detail.get("proposals", []), agreement_id=staged.agreement_id,
            )
        )  # fmt: skip
    return ImportResult(rows=rows, skipped_sheets=[tuple(item) for item in register_import.skipped_sheets])


# 3.–4. Confirm and apply ----------------------------------------------------------------


@transaction.atomic
def import_confirm(*, actor: User, register_import: RegisterImport, accepted: list[str]) -> RegisterImport:
    """The admin's go: the proposals confirmed, the writing step queued. Also the re-run of an
    apply whose worker died (status still *applying*, nothing applied)."""
    _check_access(actor, register_import)
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.status not in (ImportStatus.STAGED, ImportStatus.APPLYING):
        raise ValidationError(_("This import is not waiting for confirmation."))
    if register_import.status == ImportStatus.STAGED and register_import.problem_count:
        raise ValidationError(_("Nothing can be imported while any row has a problem."))
    known = {proposal["key"] for proposal in register_import.proposals}
    with acting_as(actor):
        register_import.accepted = [key for key in accepted if key in known]
        register_import.status = ImportStatus.APPLYING
        register_import.message = ""
        register_import.save()
    _queue("apply_import", register_import.pk)
    return register_import


def progress_path(pk: int):
    """Where a running apply reports its rows written (removed when the apply ends)."""
    folder = Path(settings.VAR_DIR) / "import-progress"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{pk}.json"


def written_rows(pk: int) -> int:
    try:
        return int(json.loads(progress_path(pk).read_text()).get("written", 0))
    except (OSError, ValueError):
        return 0


def _write_progress(pk: int, written: int) -> None:
    path = progress_path(pk)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"written": written}))
    temporary.replace(path)


def import_apply(*, import_id: int) -> ImportResult | None:
    """The writing step (worker): every staged decision written in one transaction."""
    register_import = RegisterImport.objects.select_related("created_by__government").get(pk=import_id)
    if register_import.status != ImportStatus.APPLYING:
        return None
    with translation.override(register_import.language or settings.LANGUAGE_CODE):
        register = register_of(register_import)  # parsed before the transaction opens
        _write_progress(import_id, 0)
        cid = f"import-{uuid.uuid4().hex}"
        token = correlation_id.set(cid)
        try:
            result = _apply(import_id, register, cid)
        except ImportFailed as failed:
            for row in failed.result.rows:  # what the rolled-back transaction wrote is gone
                if row.action != Action.UNCHANGED:
                    row.agreement_id, row.before, row.after_version = None, None, ""
            _store_stage(import_id, failed.result)
            _fail(
                import_id,
                ImportStatus.STAGED,
                _(
                    "Nothing was imported: the rows below have problems (a refused proposal, or the register changed since the preview)."
                ),
            )
            return failed.result
        finally:
            correlation_id.reset(token)
            progress_path(import_id).unlink(missing_ok=True)
    return result


@transaction.atomic
def _apply(import_id: int, register: parsing.Register, cid: str) -> ImportResult:
    register_import = RegisterImport.objects.select_for_update().get(pk=import_id)
    if register_import.status != ImportStatus.APPLYING:  # another worker completed it meanwhile
        raise ImportFailed(staged_result(register_import))
    accepted = set(register_import.accepted)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            _write_progress(import_id, done)

    result = run_import(
        actor=register_import.created_by, table=register, mapping=register_import.mapping, dry_run=False,
        accepted=accepted, on_row=progress,
    )  # fmt: skip
    if not result.committed:
        raise ImportFailed(result)
    register_import.staged_rows.all().delete()
    StagedRow.objects.bulk_create((_staged(register_import, position, row) for position, row in enumerate(result.rows)),
                                  batch_size=500)  # fmt: skip
    with acting_as(register_import.created_by):
        register_import.status = ImportStatus.DONE
        register_import.completed_at = timezone.now()
        register_import.correlation_id = cid
        register_import.created_partner_ids = result.created_partner_ids
        register_import.created_agency_ids = result.created_agency_ids
        _counts(register_import, result)
        register_import.save()
    return result


# The command's path ----------------------------------------------------------------------


def import_file(*, actor: User, path, dry_run: bool, accept_proposals: bool = False) -> ImportResult:
    """The command: check, guess the mapping, stage; then (not a dry run, every proposal
    confirmed) apply in one transaction, keeping the source file as a RegisterImport."""
    if not can_import(actor):
        raise PermissionDenied
    name = sanitise_name(str(path)) or "register"
    with open(path, "rb") as handle:
        register = parsing.read_table(handle, name)
        mapping = register.guessed_mapping()
        staged = run_import(actor=actor, table=register, mapping=mapping, dry_run=True)
        if dry_run or staged.has_errors or (staged.proposals and not accept_proposals):
            return staged
        handle.seek(0, 2)
        size = handle.tell()
        with acting_as(actor):
            register_import = RegisterImport(
                government=actor.government, created_by=actor, original_name=name, size=size,
                sha256=_digest(handle), mapping=mapping, status=ImportStatus.APPLYING,
                accepted=list(staged.proposals), proposals=[p.as_dict() for p in staged.proposals.values()],
                rows_total=register.row_count, rows_staged=len(staged.rows),
                skipped_sheets=[list(item) for item in register.skipped],
            )  # fmt: skip
            register_import.file.save(name, File(handle), save=False)
            register_import.save()
    cid = f"import-{uuid.uuid4().hex}"
    token = correlation_id.set(cid)
    try:
        result = _apply(register_import.pk, register, cid)
    except ImportFailed as failed:
        RegisterImport.objects.filter(pk=register_import.pk).update(status=ImportStatus.FAILED)
        raise ImportFailed(failed.result) from None
    finally:
        correlation_id.reset(token)
    result.proposals = staged.proposals
    return result


# 5. Undo ----------------------------------------------------------------------------------


def undo_plan(register_import: RegisterImport) -> list[StagedRow]:
    """The rows written by the import that someone changed since (named before an undo)."""
    rows = register_import.staged_rows.filter(action__in=(Action.CREATE, Action.UPDATE)).select_related("agreement")
    return [
        row
        for row in rows
        if row.agreement is None or agreement_services.edit_version(row.agreement) != row.after_version
    ]


@transaction.atomic
def import_undo(*, actor: User, register_import: RegisterImport, include_changed: bool = False) -> list[str]:
    """Undo a whole import: the agreements it created archived, those it updated restored,
    the partners and agencies it created archived when nothing else uses them. Rows changed
    since are left (and returned, named) unless `include_changed`. One audit correlation id."""
    _check_access(actor, register_import)
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.status != ImportStatus.DONE:
        raise ValidationError(_("Only a completed import can be undone."))
    changed = {row.pk for row in undo_plan(register_import)}
    left = []
    token = correlation_id.set(f"undo-{register_import.correlation_id or uuid.uuid4().hex}")
    try:
        rows = register_import.staged_rows.filter(action__in=(Action.CREATE, Action.UPDATE), agreement__isnull=False)
        rows = sorted(rows.select_related("agreement"), key=lambda row: -row.position)
        rows.sort(key=lambda row: row.agreement.parent_id is None)  # documents under others first
        for row in rows:
            if row.pk in changed and not include_changed:
                left.append(_("%(where)s (%(title)s): changed after the import, left as it is.")
                            % {"where": _row_label(row), "title": row.title[:60]})  # fmt: skip
                continue
            try:
                _undo_row(actor, row)
            except ValidationError as error:
                left.append(f"{_row_label(row)} ({row.title[:60]}): {' '.join(error.messages)}")
        _archive_unused(actor, register_import)
        with acting_as(actor):
            register_import.status = ImportStatus.UNDONE
            register_import.undone_at = timezone.now()
            register_import.message = "\n".join(left)
            register_import.save()
    finally:
        correlation_id.reset(token)
    return left


def _row_label(row: StagedRow) -> str:
    label = _("Row %(row)d") % {"row": row.row}
    return f"{row.sheet} · {label}" if row.sheet and row.sheet != "CSV" else label


def _undo_row(actor: User, row: StagedRow) -> None:
    agreement = row.agreement
    if row.action == Action.CREATE:
        if agreement.archived_at is None:
            agreement_services.agreement_archive(actor=actor, agreement=agreement, reason=_("Import undone"))
        return
    fields = {}
    for name, value in row.before["fields"].items():
        model_field = Agreement._meta.get_field(name)
        if model_field.is_relation:
            fields[name] = model_field.related_model.objects.filter(pk=value).first() if value else None
        else:
            fields[name] = None if value is None else model_field.to_python(value)
    partners = Partner.objects.in_bulk([item[0] for item in row.before["parties"]])
    parties = [
        agreement_services.PartyInput(partner=partners[pk], party_number=number, signatory_name=name, signatory_title=title)
        for pk, number, name, title in row.before["parties"]
        if pk in partners
    ]  # fmt: skip
    agreement_services.agreement_update(
        actor=actor, agreement=agreement, fields=fields, parties=parties,
        supporting_agencies=list(agreement.supporting_agencies.all()), affairs=list(agreement.affairs.all()),
    )  # fmt: skip


def _archive_unused(actor: User, register_import: RegisterImport) -> None:
    live = AgreementParty.objects.filter(agreement__archived_at__isnull=True)
    for partner in Partner.objects.filter(pk__in=register_import.created_partner_ids, archived_at__isnull=True):
        if not live.filter(partner=partner).exists():
            partner_services.partner_archive(actor=actor, partner=partner)
    for agency in Agency.objects.filter(pk__in=register_import.created_agency_ids, archived_at__isnull=True):
        if not Agreement.objects.filter(lead_agency=agency, archived_at__isnull=True).exists():
            agency_services.agency_archive(actor=actor, agency=agency)
