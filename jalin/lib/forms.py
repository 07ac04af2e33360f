"""Small forms that are not about one domain."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class RestoreForm(forms.Form):
    """The reason for bringing an archived record back (required; it goes to the audit trail)."""

    reason = forms.CharField(
        label=_("Reason for restoring"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("State why it is restored.")},
    )


def restore_from_post(request, restore: Callable[[str], object], success: str) -> bool:
    """Bind the reason posted with a restore, call `restore(reason)` (the record's restore
    service) and tell the user the outcome: the one shape of every restore view. True when
    the record was restored."""
    form = RestoreForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        restore(form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True
