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
