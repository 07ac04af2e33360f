import datetime

from auditlog.registry import auditlog
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from jalin.accounts import access


class AuditFilterForm(forms.Form):
    """Narrow the audit trail to one kind of record, one person or a few days."""

    kind = forms.ModelChoiceField(queryset=ContentType.objects.none(), required=False, label=_("Record"))
    actor = forms.ModelChoiceField(queryset=None, required=False, label=_("Person"))
    since = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    agreement = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        content_types = ContentType.objects.get_for_models(*auditlog.get_models())  # one query, then cached
        self.fields["kind"].queryset = ContentType.objects.filter(pk__in=[ct.pk for ct in content_types.values()])
        self.fields["kind"].label_from_instance = lambda content_type: str(
            content_type.model_class()._meta.verbose_name
        ).capitalize()
        self.fields["actor"].queryset = access.audit_actors_for(user).order_by("first_name", "username")
        self.fields["actor"].label_from_instance = lambda person: person.get_full_name() or person.username

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("must be on or after the first day"))
        for name in ("since", "until"):
            if cleaned.get(name) and not datetime.date(2000, 1, 1) <= cleaned[name] <= datetime.date(2100, 12, 31):
                self.add_error(name, _("must be between 2000 and 2100"))
        return cleaned

    def apply(self, entries):
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["agreement"]:
            entries = entries.filter(agreement_id=data["agreement"])
        if data["kind"]:
            entries = entries.filter(content_type=data["kind"])
        if data["actor"]:
            entries = entries.filter(actor=data["actor"])
        if data["since"]:
            entries = entries.filter(timestamp__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(timestamp__date__lte=data["until"])
        return entries
