"""Upload page: upload -> column mapping -> preview (dry run) -> confirm (real run)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jalin.accounts.decorators import staff_required
from jalin.imports import services
from jalin.imports.access import import_for_user, imports_visible_to
from jalin.imports.forms import MappingForm, UploadForm
from jalin.imports.models import ImportStatus
from jalin.imports.parsing import FIELDS


def _table_or_message(request, register_import):
    try:
        return services.table_of(register_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@staff_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    if not services.can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            register_import = services.import_upload(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:mapping", register_import.pk)
    recent = imports_visible_to(request.user).select_related("created_by")[:20]
    return render(request, "imports/start.html", {"form": form, "imports": recent})


@staff_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    register_import = import_for_user(request.user, pk)
    if register_import.status != ImportStatus.PENDING:
        return redirect("imports:detail", pk)
    table = _table_or_message(request, register_import)
    if table is None:
        return redirect("imports:start")
    form = MappingForm(request.POST or None, table=table, mapping=register_import.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_set_mapping(actor=request.user, register_import=register_import, mapping=form.mapping())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("imports:preview", pk)
    samples = {column.index: [] for column in table.columns}
    for row in table.rows[:3]:
        for column in table.columns:
            value = row.cells[column.index] if column.index < len(row.cells) else None
            samples[column.index].append("" if value is None else str(value)[:60])
    rows = [(form[f"col_{column.index}"], column, samples[column.index]) for column in table.columns]
    context = {"import": register_import, "form": form, "rows": rows, "table": table, "data_rows": len(table.rows)}
    return render(request, "imports/mapping.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    register_import = import_for_user(request.user, pk)
    if register_import.status != ImportStatus.PENDING:
        return redirect("imports:detail", pk)
    try:
        if request.method == "POST":
            services.import_confirm(actor=request.user, register_import=register_import)
            messages.success(request, _("The register was imported."))
            return redirect("imports:detail", pk)
        result = services.import_preview(actor=request.user, register_import=register_import)
    except services.ImportFailed as failed:
        result = failed.result
        messages.error(request, _("Nothing was imported: fix the problems below and upload the file again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:mapping", pk)
    mapped = [(FIELDS[target], index) for index, target in register_import.mapping.items()]
    counts = {action: result.count(action) for action in ("create", "update", "unchanged", "skip")}
    context = {"import": register_import, "result": result, "mapped": mapped, "counts": counts}
    return render(request, "imports/preview.html", context)


@staff_required
def import_detail(request, pk):
    register_import = import_for_user(request.user, pk)
    if register_import.status == ImportStatus.PENDING:
        return redirect("imports:mapping", pk)
    return render(request, "imports/detail.html", {"import": register_import})


@staff_required
def import_source(request, pk):
    register_import = import_for_user(request.user, pk)
    return FileResponse(register_import.file.open("rb"), as_attachment=True, filename=register_import.original_name)
