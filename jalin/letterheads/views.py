from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalin.accounts.decorators import staff_required
from jalin.letterheads import registry, services
from jalin.letterheads.access import can_manage_letterheads
from jalin.letterheads.forms import LetterSettingsForm, TemplateUploadForm
from jalin.letterheads.models import GovernmentTemplate

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _admin(request) -> None:
    if not can_manage_letterheads(request.user):
        raise PermissionDenied


@staff_required
def index(request):
    _admin(request)
    government = request.user.government
    form = LetterSettingsForm(request.POST or None, instance=services.letter_settings_for(government))
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_settings_update(actor=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("letterheads:index")
    uploaded = {
        t.kind: t
        for t in GovernmentTemplate.objects.filter(government=government, archived_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    }
    kinds = [{"kind": kind, "uploaded": uploaded.get(kind.key)} for kind in registry.kinds()]
    context = {"form": form, "kinds": kinds, "upload_form": TemplateUploadForm()}
    return render(request, "letterheads/index.html", context)


@staff_required
@require_POST
def upload(request, kind):
    _admin(request)
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a .docx file."))
        return redirect("letterheads:index")
    try:
        services.template_upload(actor=request.user, kind=kind, upload=form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The template was uploaded; new documents use it."))
    return redirect("letterheads:index")


@staff_required
@require_POST
def revert(request, kind):
    _admin(request)
    try:
        services.template_revert(actor=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The shipped template is used again."))
    return redirect("letterheads:index")


@staff_required
def download(request, kind):
    """The template in use (the government's own, else the shipped one), to edit in Word."""
    _admin(request)
    if registry.get_kind(kind) is None:
        raise Http404
    source = services.template_source(request.user.government_id, kind)
    if isinstance(source, bytes):
        import io

        handle = io.BytesIO(source)
    elif source.exists():
        handle = source.open("rb")
    else:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=f"templat-{kind}.docx", content_type=DOCX_TYPE)
