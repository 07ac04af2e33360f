from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalin.monitoring.models import (
    BeneficiaryGroup,
    Direction,
    FundingSource,
    IndicatorType,
    Measure,
    ObligationStatus,
    Recommendation,
    ResponsibleParty,
)
from jalin.monitoring.periods import Period, period_containing, periods_between

DATE = forms.DateInput(attrs={"type": "date"})
# What is wrong with a negative amount or count, said as such (not a generic "invalid value").
NOT_NEGATIVE = {"min_value": _("Must be 0 or more.")}
WEIGHT = {"min_value": _("The weight must be at least 1."), "max_value": _("The weight is at most 100.")}
BENEFICIARY_ROWS = 2


class ObligationForm(forms.Form):
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the obligation.")},
    )
    party = forms.ChoiceField(label=_("Responsible party"), choices=ResponsibleParty.choices)
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1, error_messages=WEIGHT)
    is_public = forms.BooleanField(label=_("Show on the public portal"), required=False, initial=True)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300, error_messages={"required": _("Name the indicator.")})
    indicator_type = forms.ChoiceField(label=_("Type"), choices=IndicatorType.choices)
    obligation = forms.ModelChoiceField(label=_("Under obligation"), queryset=None, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline_value = forms.DecimalField(label=_("Baseline"), max_digits=16, decimal_places=2, initial=0)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1945, max_value=2100, required=False)
    target_value = forms.DecimalField(
        label=_("Final target"),
        max_digits=16,
        decimal_places=2,
        error_messages={"required": _("Give the final target.")},
    )
    rpjmd_code = forms.CharField(label=_("RPJMD target code"), max_length=60, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1, error_messages=WEIGHT)
    is_public = forms.BooleanField(label=_("Show on the public portal"), required=False, initial=True)

    def __init__(self, *args, obligations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = obligations


class BudgetLineForm(forms.Form):
    description = forms.CharField(
        label=_("Description"), max_length=300, error_messages={"required": _("Describe what the money is for.")}
    )
    party = forms.ChoiceField(label=_("Party"), choices=ResponsibleParty.choices)
    source = forms.ChoiceField(label=_("Source"), choices=FundingSource.choices)
    planned = forms.DecimalField(
        label=_("Planned (Rp)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        error_messages={**NOT_NEGATIVE, "required": _("Give the planned amount (zero or more).")},
    )


class ReportStartForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        start = agreement.start_date or today
        end = min(agreement.ends_on or today, today)
        periods = periods_between(start, max(end, start)) if start <= today else []
        self.periods = {p.key: p for p in reversed(periods)}
        self.fields["period"].choices = [(key, period.label) for key, period in self.periods.items()]
        current = period_containing(today).previous()
        if current.key in self.periods:
            self.fields["period"].initial = current.key


@dataclass
class IndicatorField:
    """One indicator's field on the report form, with what the officer needs beside it: the
    target for the report's period and the latest verified value of an earlier period."""

    indicator: object
    field: object
    target: Decimal | None
    previous: Decimal | None
    previous_label: str


def _beside(indicator, period_starts_on) -> tuple[Decimal | None, Decimal | None, str]:
    """(target of this period, previous verified value, its period) from the prefetched periods."""
    target, previous, previous_label = None, None, ""
    for period in indicator.periods.all():  # ordered by start
        if period.starts_on == period_starts_on:
            target = period.target
        elif period.starts_on < period_starts_on and period.actual is not None:
            previous, previous_label = period.actual, Period(period.starts_on, period.ends_on).label
    return target, previous, previous_label


class ReportForm(forms.Form):
    """The OPD officer's report: one field per indicator, obligation and budget line, a few
    rows of beneficiaries, and the narrative."""

    summary = forms.CharField(label=_("Summary of progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    problems = forms.CharField(label=_("Problems"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    follow_up = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.FileField(
        label=_("Photo or document as evidence"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}),
        help_text=_(
            "On a phone you can take the photo now; its date and location are kept when the camera records them."
        ),
    )
    photo_caption = forms.CharField(label=_("What it shows"), max_length=300, required=False)
    photo_public = forms.BooleanField(label=_("May be shown to the public"), required=False)

    def __init__(self, *args, report, indicators, obligations, budget_lines, **kwargs):
        values = {v.indicator_id: v.value for v in report.indicator_values.all()}
        updates = {u.obligation_id: u for u in report.obligation_updates.all()}
        realised = {r.budget_line_id: r.amount for r in report.budget_realisations.all()}
        beneficiaries = list(report.beneficiaries.all())
        initial = {"summary": report.summary, "problems": report.problems, "follow_up": report.follow_up}
        super().__init__(*args, initial=initial, **kwargs)
        self.indicator_fields = []
        for indicator in indicators:
            name = f"ind_{indicator.pk}"
            label = f"{indicator.name}" + (f" ({indicator.unit})" if indicator.unit else "")
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=16,
                decimal_places=2,
                initial=values.get(indicator.pk),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                help_text=_("Yes = 1, no = 0") if indicator.measure == Measure.YES_NO else "",
            )
            self.indicator_fields.append(
                IndicatorField(indicator, self[name], *_beside(indicator, report.period_starts_on))
            )
        self.obligation_fields = []
        for obligation in obligations:
            update = updates.get(obligation.pk)
            status_name, date_name = f"obl_{obligation.pk}", f"obl_{obligation.pk}_met_on"
            self.fields[status_name] = forms.ChoiceField(
                label=obligation.description,
                required=False,
                choices=[("", _("(no change)")), *ObligationStatus.choices],
                initial=update.status if update else "",
            )
            self.fields[date_name] = forms.DateField(
                label=_("Met on"), required=False, widget=DATE, initial=update.met_on if update else None
            )
            self.obligation_fields.append((obligation, self[status_name], self[date_name]))
        self.budget_fields = []
        for line in budget_lines:
            name = f"bud_{line.pk}"
            self.fields[name] = forms.DecimalField(
                label=line.description,
                required=False,
                min_value=0,
                max_digits=18,
                decimal_places=2,
                error_messages=NOT_NEGATIVE,
                initial=realised.get(line.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.budget_fields.append((line, self[name]))
        self.beneficiary_rows = []
        for index in range(max(BENEFICIARY_ROWS, len(beneficiaries) + 1)):
            existing = beneficiaries[index] if index < len(beneficiaries) else None
            self.fields[f"ben_{index}_group"] = forms.ChoiceField(
                label=_("Group"),
                required=False,
                choices=[("", "–"), *BeneficiaryGroup.choices],
                initial=existing.group if existing else "",
            )
            self.fields[f"ben_{index}_count"] = forms.IntegerField(
                label=_("Number of people"),
                required=False,
                min_value=0,
                error_messages=NOT_NEGATIVE,
                initial=existing.count if existing else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"ben_{index}_method"] = forms.CharField(
                label=_("How they were counted"),
                required=False,
                max_length=300,
                initial=existing.method if existing else "",
            )
            self.beneficiary_rows.append(
                (self[f"ben_{index}_group"], self[f"ben_{index}_count"], self[f"ben_{index}_method"])
            )
        self.row_count = len(self.beneficiary_rows)

    def service_kwargs(self) -> dict:
        from jalin.monitoring.services import BeneficiaryInput

        data = self.cleaned_data
        beneficiaries = []
        for index in range(self.row_count):
            group = data.get(f"ben_{index}_group")
            if group:
                beneficiaries.append(
                    BeneficiaryInput(
                        group=group,
                        count=data.get(f"ben_{index}_count") or 0,
                        method=data.get(f"ben_{index}_method") or "",
                    )
                )
        return {
            "summary": data["summary"],
            "problems": data["problems"],
            "follow_up": data["follow_up"],
            "indicator_values": {
                row.indicator.pk: data.get(f"ind_{row.indicator.pk}") for row in self.indicator_fields
            },
            "obligation_updates": {
                o.pk: (data.get(f"obl_{o.pk}") or "", data.get(f"obl_{o.pk}_met_on"))
                for o, _s, _d in self.obligation_fields
            },
            "realisations": {line.pk: data.get(f"bud_{line.pk}") for line, _f in self.budget_fields},
            "beneficiaries": beneficiaries,
        }


class EvidenceForm(forms.Form):
    caption = forms.CharField(label=_("What it shows"), max_length=300)
    file = forms.FileField(
        label=_("Photo or document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx,.odt"}),
    )
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")
    is_public = forms.BooleanField(label=_("May be shown to the public"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


SCORES = [(n, str(n)) for n in range(1, 6)]


def _score(label, message) -> forms.TypedChoiceField:
    """A score from 1 to 5 that starts empty: the evaluator chooses every score deliberately."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("Choose a score")), *SCORES],
        coerce=int,
        empty_value=None,
        error_messages={"required": message, "invalid_choice": message},
    )


def _justification() -> forms.CharField:
    return forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Justify the score in a sentence.")},
    )


class EvaluationForm(forms.Form):
    period = forms.CharField(
        label=_("Period evaluated"), max_length=40, error_messages={"required": _("Say which period is evaluated.")}
    )
    effectiveness = _score(_("Effectiveness"), _("Choose a score from 1 to 5 for effectiveness."))
    effectiveness_note = _justification()
    efficiency = _score(_("Efficiency"), _("Choose a score from 1 to 5 for efficiency."))
    efficiency_note = _justification()
    benefit = _score(_("Benefit to citizens"), _("Choose a score from 1 to 5 for the benefit to citizens."))
    benefit_note = _justification()
    compliance = _score(_("Compliance"), _("Choose a score from 1 to 5 for compliance."))
    compliance_note = _justification()
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", _("Choose a recommendation")), *Recommendation.choices],
        error_messages={"required": _("Choose continue, revise or terminate.")},
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
