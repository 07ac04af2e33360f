from django import forms
from django.utils.translation import gettext_lazy as _

from jalin.governments.models import Government
from jalin.partners.models import Partner
from jalin.partners.services import EDITABLE_FIELDS


class PartnerForm(forms.ModelForm):
    allow_duplicate = forms.BooleanField(
        label=_("I checked: this is a different partner from the similar ones listed"), required=False
    )

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = list(EDITABLE_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Government.objects.exclude(level=Government.Level.NATIONAL)

    def _post_clean(self):
        # The service validates, with duplicate detection.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
