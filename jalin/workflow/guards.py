"""The guard the agreement services call, so that no entry point (form, import, API) can
skip the workflow: while a process runs, signing and approvals are recorded only by
`jalin.workflow.services.transition_apply`."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from jalin.workflow.models import Process

GUARDED_FIELDS = ("signed_on", "dprd_approval_ref", "central_approval_ref")


def _normal(value):
    return (value or "").strip() if isinstance(value, str) or value is None else value


def check_agreement_write(*, fields: dict, instance=None) -> None:
    errors: dict[str, list[str]] = {}
    if instance is not None and instance.pk:
        process = Process.objects.active().filter(Q(agreement=instance) | Q(implementing=instance)).first()
        if process is not None:
            for name in GUARDED_FIELDS:
                if name in fields and _normal(fields[name]) != _normal(getattr(instance, name)):
                    errors.setdefault(name, []).append(
                        _(
                            "This agreement is in the workflow (stage: %(stage)s). Signing and approvals are "
                            "recorded through the workflow on the agreement's page."
                        )
                        % {"stage": process.get_stage_display()}
                    )
    parent = fields.get("parent")
    if parent is not None and fields.get("signed_on"):
        process = Process.objects.active().filter(agreement=parent).first()
        if process is not None:
            errors.setdefault("parent", []).append(
                _(
                    "The parent document is still in the workflow (stage: %(stage)s); the documents under it "
                    "are drafted and signed through the workflow."
                )
                % {"stage": process.get_stage_display()}
            )
    if errors:
        raise ValidationError(errors)
