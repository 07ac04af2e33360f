from django import forms
from django.utils.translation import gettext_lazy as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements.models import UMBRELLA_KINDS, Agreement, Kind
from jalin.agreements.services import EDITABLE_FIELDS, PartyInput
from jalin.governments.models import Affair

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(forms.ModelForm):
    """Collects an agreement's fields. The rules live in agreements.services, which the
    view calls with `cleaned_data`; the form only parses input."""

    class Meta:
        model = Agreement
        fields = [*EDITABLE_FIELDS, "supporting_agencies", "affairs"]
        widgets = {
            "signed_on": DATE,
            "effective_on": DATE,
            "ends_on": DATE,
            "object": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "intended_benefits": forms.Textarea(attrs={"rows": 3}),
            "longer_term_basis": forms.Textarea(attrs={"rows": 2}),
            "supporting_agencies": forms.SelectMultiple(attrs={"size": 6}),
            "affairs": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        government_id = user.government_id
        agencies = access.agencies_visible_to(user).filter(government_id=government_id, archived_at__isnull=True)
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        self.fields["liaison_officer"].queryset = access.liaison_officers_of(government_id).order_by(
            "first_name", "last_name"
        )
        own = access.agreements_visible_to(user).filter(government_id=government_id, archived_at__isnull=True)
        if self.instance.pk:
            own = own.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = own.exclude(kind=Kind.ADDENDUM).order_by("kind", "title")
        self.fields["predecessor"].queryset = own.order_by("kind", "title")
        self.fields["affairs"].queryset = Affair.objects.all()
        self.fields["parent"].label_from_instance = _agreement_label
        self.fields["predecessor"].label_from_instance = _agreement_label

    def _post_clean(self):
        # Model validation is the service's job (with messages in the user's language).
        pass

    edited_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


def _agreement_label(agreement: Agreement) -> str:
    number = f" ({agreement.number})" if agreement.number else ""
    return f"{agreement.get_kind_display()}: {agreement.title}{number}"


class PartyForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=None, label=_("Partner"))
    party_number = forms.CharField(label=_("Partner's number"), required=False, max_length=120)
    signatory_name = forms.CharField(label=_("Partner's signatory"), required=False, max_length=200)
    signatory_title = forms.CharField(label=_("Position"), required=False, max_length=200)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            access.partners_visible_to(user).filter(government_id=user.government_id).active().order_by("name")
        )


class BasePartyFormSet(forms.BaseFormSet):
    def party_inputs(self) -> list[PartyInput]:
        return [
            PartyInput(
                partner=form.cleaned_data["partner"],
                party_number=form.cleaned_data.get("party_number", ""),
                signatory_name=form.cleaned_data.get("signatory_name", ""),
                signatory_title=form.cleaned_data.get("signatory_title", ""),
            )
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("partner") and not form.cleaned_data.get("DELETE")
        ]


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, can_delete=True, max_num=20)


def initial_for_new(parent: Agreement | None, kind: str | None) -> tuple[dict, list[dict]]:
    """Prefill a new document under `parent` (a PKS under a KSB, an addendum under a PKS)."""
    if parent is None:
        return ({"kind": kind} if kind in Kind.values else {}), []
    if kind not in Kind.values:
        kind = Kind.PKS if parent.kind in UMBRELLA_KINDS else Kind.ADDENDUM
    initial = {
        "kind": kind,
        "parent": parent.pk,
        "category": parent.category,
        "lead_agency": parent.lead_agency_id,
        "liaison_officer": parent.liaison_officer_id,
        "supporting_agencies": list(parent.supporting_agencies.values_list("pk", flat=True)),
        "affairs": list(parent.affairs.values_list("pk", flat=True)),
    }
    parties = [{"partner": party.partner_id} for party in parent.parties.all()]
    return initial, parties


def initial_parties(agreement: Agreement) -> list[dict]:
    return [
        {
            "partner": party.partner_id,
            "party_number": party.party_number,
            "signatory_name": party.signatory_name,
            "signatory_title": party.signatory_title,
        }
        for party in agreement.parties.all()
    ]


class ArchiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for archiving"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
