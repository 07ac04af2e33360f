from django import forms
from django.utils.translation import gettext_lazy as _

from jalin.imports import parsing


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class MappingForm(forms.Form):
    """One choice per column of the sheet: which field of the register it holds."""

    def __init__(self, *args, columns: list[dict], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —")), *((key, label) for key, label in parsing.FIELDS.items())]
        for column in columns:
            self.fields[f"col_{column['key']}"] = forms.ChoiceField(
                label=f"{column['sheet']} · {column['letter']} · {column['label']}",
                choices=choices,
                required=False,
                initial=mapping.get(column["key"], ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("col_"): value for name, value in self.cleaned_data.items() if value}
