"""Upload page: upload -> (background) reading -> columns -> preview with proposals ->
confirm -> (background) import -> report, undo. Every step that parses or writes rows runs
in the background queue (jalin/imports/pipeline.py); these views only read and queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jalin.accounts.decorators import staff_required
from jalin.imports import pipeline, services
from jalin.imports.access import import_for_user, imports_visible_to
from jalin.imports.forms import MappingForm, UploadForm
from jalin.imports.models import ImportStatus
from jalin.imports.report import report_xlsx


@staff_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    if not services.can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            register_import = pipeline.import_upload(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:detail", register_import.pk)
    recent = imports_visible_to(request.user).select_related("created_by")[:20]
    return render(request, "imports/start.html", {"form": form, "imports": recent})


def _progress(register_import) -> dict:
    total = register_import.rows_total or 0
    if register_import.status == ImportStatus.APPLYING:
        done = pipeline.written_rows(register_import.pk)
    else:
        done = register_import.rows_staged
    return {"status": register_import.status, "done": min(done, total) if total else done, "total": total}


@staff_required
def import_progress(request, pk):
    return JsonResponse(_progress(import_for_user(request.user, pk)))


@staff_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    register_import = import_for_user(request.user, pk)
    if register_import.status not in (ImportStatus.PENDING, ImportStatus.STAGED, ImportStatus.FAILED):
        return redirect("imports:detail", pk)
    form = MappingForm(request.POST or None, columns=register_import.columns, mapping=register_import.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            pipeline.import_set_mapping(actor=request.user, register_import=register_import, mapping=form.mapping())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("imports:detail", pk)
    rows = [(form[f"col_{column['key']}"], column) for column in register_import.columns]
    context = {"import": register_import, "form": form, "rows": rows, "data_rows": register_import.rows_total}
    return render(request, "imports/mapping.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    register_import = import_for_user(request.user, pk)
    if register_import.status != ImportStatus.STAGED:
        return redirect("imports:detail", pk)
    if request.method == "POST":
        try:
            pipeline.import_confirm(
                actor=request.user, register_import=register_import, accepted=request.POST.getlist("accept")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The import is running in the background; you may leave this page."))
        return redirect("imports:detail", pk)
    result = pipeline.staged_result(register_import)
    counts = {action: result.count(action) for action in ("create", "update", "unchanged", "skip")}
    context = {"import": register_import, "result": result, "counts": counts, "proposals": register_import.proposals}
    return render(request, "imports/preview.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    register_import = import_for_user(request.user, pk)
    if register_import.status == ImportStatus.STAGED:
        return redirect("imports:preview", pk)
    if register_import.status == ImportStatus.PENDING:
        return redirect("imports:mapping", pk)
    changed = pipeline.undo_plan(register_import) if register_import.status == ImportStatus.DONE else []
    context = {"import": register_import, "progress": _progress(register_import), "changed": changed}
    return render(request, "imports/detail.html", context)


@staff_required
@require_POST
def import_rerun(request, pk):
    """Run the writing step again (a worker that died leaves the import *applying*, nothing applied)."""
    register_import = import_for_user(request.user, pk)
    try:
        pipeline.import_confirm(actor=request.user, register_import=register_import, accepted=register_import.accepted)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:detail", pk)


@staff_required
@require_POST
def import_undo(request, pk):
    register_import = import_for_user(request.user, pk)
    try:
        left = pipeline.import_undo(
            actor=request.user, register_import=register_import, include_changed=bool(request.POST.get("changed"))
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was undone."))
        for line in left:
            messages.warning(request, line)
    return redirect("imports:detail", pk)


@staff_required
def import_report(request, pk):
    register_import = import_for_user(request.user, pk)
    response = HttpResponse(
        report_xlsx(register_import), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{register_import.pk}-report.xlsx"'
    return response


@staff_required
def import_source(request, pk):
    register_import = import_for_user(request.user, pk)
    return FileResponse(register_import.file.open("rb"), as_attachment=True, filename=register_import.original_name)
