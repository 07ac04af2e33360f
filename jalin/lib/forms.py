"""Small forms that are not about one domain."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RestoreForm(forms.Form):
    """The reason for bringing an archived record back (required; it goes to the audit trail)."""

    reason = forms.CharField(
        label=_("Reason for restoring"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("State why it is restored.")},
    )
