from django import forms
from django.utils.translation import gettext_lazy as _

from jalin.documents.models import DocumentKind


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Upload with the same title and kind to add a new version."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the bulk upload service."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Signed scans as PDF, JPG or PNG (or DOCX, ODT, XLSX), or one ZIP file holding them. Each is matched "
            'to its agreement by the number in its file name ("/" written as "_", "-" or a space), else by '
            "the number in its text."
        ),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt,.xlsx,.zip"}),
    )


class ScanForm(forms.Form):
    file = forms.FileField(
        label=_("Signed scan"),
        help_text=_("PDF, JPG or PNG. Jalin reads its first pages and proposes what it found."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt"}),
    )


class AssignForm(forms.Form):
    number = forms.CharField(label=_("Agreement number"), max_length=120)


class ProposalForm(forms.Form):
    """Each proposed value with a box to accept it; the officer may correct a value first."""

    use_number = forms.BooleanField(label=_("Use"), required=False)
    number = forms.CharField(label=_("Number"), required=False, max_length=120)
    use_title = forms.BooleanField(label=_("Use"), required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    use_signed_on = forms.BooleanField(label=_("Use"), required=False)
    signed_on = forms.DateField(
        label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    use_effective_on = forms.BooleanField(label=_("Use"), required=False)
    effective_on = forms.DateField(
        label=_("In force from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    use_ends_on = forms.BooleanField(label=_("Use"), required=False)
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    use_partner = forms.BooleanField(label=_("Use"), required=False)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, required=False)
    use_party_number = forms.BooleanField(label=_("Use"), required=False)
    party_number = forms.CharField(label=_("Partner's number"), required=False, max_length=120)

    FIELDS = ("number", "title", "signed_on", "effective_on", "ends_on", "partner", "party_number")

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners

    def rows(self):
        return [(self[f"use_{name}"], self[name]) for name in self.FIELDS]

    def accepted(self) -> dict[str, str]:
        """The accepted values, as text for the registration form's query string."""
        values = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if self.cleaned_data.get(f"use_{name}") and value not in (None, ""):
                values[name] = str(value.pk if name == "partner" else value)
        return values
