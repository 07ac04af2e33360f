from django import forms
from django.utils.translation import gettext_lazy as _

from jalin.letterheads.models import LetterSettings
from jalin.letterheads.services import LETTER_FIELDS


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = LETTER_FIELDS
        widgets = {"copies_to": forms.Textarea(attrs={"rows": 3})}


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("Template (.docx)"))
