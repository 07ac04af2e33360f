"""Uploading, reverting and reading a government's document templates; its letter settings."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts.models import User
from jalin.audit.context import acting_as
from jalin.letterheads import docx, registry
from jalin.letterheads.access import can_manage_letterheads
from jalin.letterheads.models import GovernmentTemplate, LetterSettings
from jalin.lib.uploads import DOCUMENT_TYPES, check_upload

DOCX_ONLY = {"docx": DOCUMENT_TYPES["docx"]}
LETTER_FIELDS = [
    "number_pattern",
    "place",
    "addressee",
    "addressee_place",
    "signatory_name",
    "signatory_title",
    "signatory_rank",
    "signatory_nip",
    "copies_to",
]


def _kind(key: str) -> registry.TemplateKind:
    kind = registry.get_kind(key)
    if kind is None:
        raise ValidationError(_("Unknown template."))
    return kind


def validate_template(kind: registry.TemplateKind, content: bytes) -> None:
    """Refuse a template whose tags Jalin does not fill (named in the message) or that does
    not render with a fully populated sample."""
    unknown = sorted(docx.template_tags(content) - set(kind.tags))
    if unknown:
        raise ValidationError(
            _("The template uses tags Jalin does not know: %(tags)s. Known tags: %(known)s.")
            % {
                "tags": ", ".join(f"{{{{ {tag} }}}}" for tag in unknown),
                "known": ", ".join(sorted(kind.tags)),
            }
        )
    try:
        docx.render(content, kind.sample())
    except Exception as error:  # a template error of any kind is the uploader's to fix
        raise ValidationError(
            _("The template could not be filled in: %(error)s") % {"error": str(error)[:300]}
        ) from error


@transaction.atomic
def template_upload(*, actor: User, kind: str, upload) -> GovernmentTemplate:
    if not can_manage_letterheads(actor):
        raise PermissionDenied
    template_kind = _kind(kind)
    checked = check_upload(upload, max_bytes=settings.LETTERHEAD_MAX_BYTES, allowed=DOCX_ONLY)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    validate_template(template_kind, content)
    with acting_as(actor):
        GovernmentTemplate.objects.filter(government=actor.government, kind=kind, archived_at__isnull=True).update(
            archived_at=timezone.now()
        )
        template = GovernmentTemplate(
            government=actor.government,
            kind=kind,
            filename=checked.name,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        template.file.save(checked.name, upload, save=False)
        template.save()
    return template


@transaction.atomic
def template_revert(*, actor: User, kind: str) -> None:
    """Archive the government's own template: the shipped one is used again."""
    if not can_manage_letterheads(actor):
        raise PermissionDenied
    _kind(kind)
    with acting_as(actor):
        for template in GovernmentTemplate.objects.filter(
            government=actor.government, kind=kind, archived_at__isnull=True
        ):
            template.archived_at = timezone.now()
            template.save(update_fields=["archived_at"])


def active_template(government_id: int, kind: str) -> GovernmentTemplate | None:
    return (
        GovernmentTemplate.objects.filter(government_id=government_id, kind=kind, archived_at__isnull=True)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def template_source(government_id: int | None, kind: str) -> bytes | Path:
    """The government's own template (its bytes), else the shipped default (its path)."""
    uploaded = active_template(government_id, kind) if government_id else None
    if uploaded is not None:
        with uploaded.file.open("rb") as handle:
            return handle.read()
    return _kind(kind).default_path()


def render_for(government_id: int | None, kind: str, context: dict) -> bytes:
    source = template_source(government_id, kind)
    if isinstance(source, Path) and not source.exists():
        raise ValidationError(_("The template %(name)s is missing.") % {"name": source.name})
    return docx.render(source, context)


def letter_settings_for(government) -> LetterSettings:
    """The government's letter settings (unsaved and empty when never set)."""
    found = LetterSettings.objects.filter(government=government).first()
    return found or LetterSettings(government=government)


@transaction.atomic
def letter_settings_update(*, actor: User, fields: dict) -> LetterSettings:
    if not can_manage_letterheads(actor):
        raise PermissionDenied
    current = letter_settings_for(actor.government)
    for name in LETTER_FIELDS:
        if name in fields:
            setattr(current, name, (fields[name] or "").strip())
    current.full_clean()
    with acting_as(actor):
        current.save()
    return current
