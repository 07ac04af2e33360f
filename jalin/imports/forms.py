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

    def __init__(self, *args, table: parsing.Table, mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —")), *((key, label) for key, label in parsing.FIELDS.items())]
        self.table = table
        for column in table.columns:
            self.fields[f"col_{column.index}"] = forms.ChoiceField(
                label=f"{column.letter} · {column.label}",
                choices=choices,
                required=False,
                initial=mapping.get(str(column.index), ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("col_"): value for name, value in self.cleaned_data.items() if value}
