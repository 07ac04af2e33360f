from django import forms

from jalin.governments.models import Agency
from jalin.governments.services import EDITABLE_FIELDS


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = list(EDITABLE_FIELDS)

    def _post_clean(self):
        # The service validates.
        pass
