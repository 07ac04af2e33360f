from django import forms
from django.utils.translation import gettext_lazy as _

from jalin.accounts import access
from jalin.agreements.models import Category, Financing, TerminationGround
from jalin.governments.models import Affair
from jalin.workflow.models import Origin, Recommendation, WorkflowSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("Not answered yet")), ("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class DprdQuestionsForm(forms.Form):
    burdens_citizens = forms.ChoiceField(
        label=_("Does the plan place a burden on citizens?"), choices=YES_NO, required=False
    )
    funding_in_current_apbd = forms.ChoiceField(
        label=_("Is its funding in the current APBD?"), choices=YES_NO, required=False
    )

    def answers(self) -> dict:
        return {
            "burdens_citizens": yes_no(self.cleaned_data.get("burdens_citizens")),
            "funding_in_current_apbd": yes_no(self.cleaned_data.get("funding_in_current_apbd")),
        }


class ProposalForm(DprdQuestionsForm):
    origin = forms.ChoiceField(
        label=_("Where does the proposal come from?"),
        choices=[(Origin.AGENCY, Origin.AGENCY.label), (Origin.THIRD_PARTY, Origin.THIRD_PARTY.label)],
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    partners = forms.ModelMultipleChoiceField(label=_("Partners"), queryset=None)
    object = forms.CharField(label=_("Object of cooperation"), widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    affairs = forms.ModelMultipleChoiceField(label=_("Government affairs"), queryset=None, required=False)
    intended_benefits = forms.CharField(label=_("Intended benefits"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=None)
    financing = forms.ChoiceField(label=_("Financing"), choices=Financing.choices)
    value = forms.DecimalField(label=_("Value (Rp)"), required=False, min_value=0, max_digits=18, decimal_places=2)
    feasibility = forms.FileField(label=_("Feasibility study"), required=False)
    terms_of_reference = forms.FileField(label=_("Terms of reference (KAK)"), required=False)
    offer_letter = forms.FileField(label=_("Offer letter of the third party"), required=False)

    field_order = ["origin", "category", "title", "partners", "object", "scope", "affairs", "intended_benefits"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = (
            access.partners_visible_to(user).filter(government_id=user.government_id).active().order_by("name")
        )
        self.fields["affairs"].queryset = Affair.objects.all()
        agencies = access.agencies_visible_to(user).filter(government_id=user.government_id, archived_at__isnull=True)
        if user.agency_id and user.role == "opd_officer":
            agencies = agencies.filter(pk=user.agency_id)
            self.fields["lead_agency"].initial = user.agency_id
        self.fields["lead_agency"].queryset = agencies

    def agreement_fields(self) -> dict:
        names = ("category", "title", "object", "scope", "intended_benefits", "lead_agency", "financing", "value")
        return {name: self.cleaned_data.get(name) for name in names}

    def attachments(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in ("feasibility", "terms_of_reference", "offer_letter")}


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recommendation = forms.ChoiceField(
        label=_("TKKSD recommendation"),
        choices=[
            (Recommendation.RECOMMENDED, Recommendation.RECOMMENDED.label),
            (Recommendation.WITH_NOTES, Recommendation.WITH_NOTES.label),
        ],
        required=False,
    )
    note = forms.CharField(label=_("Notes of the TKKSD"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    title = forms.CharField(
        label=_("Final title of the signed document"),
        max_length=500,
        required=False,
        help_text=_("The title as signed, without “Usulan”: it is the title in the register."),
    )
    number = forms.CharField(label=_("Number of the signed document"), max_length=120, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)
    dprd_approval_ref = forms.CharField(label=_("DPRD approval reference"), max_length=200, required=False)
    central_approval_ref = forms.CharField(
        label=_("Central government approval reference"), max_length=200, required=False
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AttachForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))


class ExtensionForm(DprdQuestionsForm):
    pass


class AmendmentForm(forms.Form):
    addendum_title = forms.CharField(label=_("Title of the addendum"), max_length=500, required=False)
    rationale = forms.CharField(label=_("Why is the agreement amended?"), widget=forms.Textarea(attrs={"rows": 3}))


class TerminationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=TerminationGround.choices)
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    surviving_obligations = forms.CharField(
        label=_("Obligations that survive the termination"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = WorkflowSettings
        fields = [
            "ksb_validity_months",
            "dprd_response_days",
            "reporting_period_months",
            "tkksd_review_days",
            "offer_response_days",
            "drafting_days",
            "central_approval_days",
            "expiry_reminder_days",
            "expiry_overrides",
            "escalate_after",
        ]
        widgets = {"expiry_overrides": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass  # the service validates
