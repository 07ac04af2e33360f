import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.agreements.models import Agreement, AgreementParty, Category, Kind, Status
from jalin.agreements.selectors import search_agreements
from jalin.governments.models import Affair
from jalin.partners.models import PartnerType


class SortFilter(django_filters.OrderingFilter):
    """django-filter's sort choices, labelled in Jalin's catalogue (django-filter ships no
    Indonesian, so its "(descending)" showed in English on every list)."""

    descending_fmt = _("%s (descending)")


class AgreementFilter(django_filters.FilterSet):
    """The staff list's filters. Every filter is an indexed condition or a subquery,
    so the list costs the same number of queries however many rows it shows."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Document kind"))
    status = django_filters.ChoiceFilter(choices=Status.choices, method="filter_status", label=_("Status"))
    partner_type = django_filters.ChoiceFilter(
        choices=PartnerType.choices, method="filter_partner_type", label=_("Partner type")
    )
    agency = django_filters.ModelChoiceFilter(queryset=None, method="filter_agency", label=_("Agency"))
    affair = django_filters.ModelChoiceFilter(
        queryset=Affair.objects.all(), method="filter_affair", label=_("Government affair")
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("Year signed"), min_value=1945, max_value=2100)
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring", label=_("Ends within (days)"), min_value=1, max_value=3650
    )
    sort = SortFilter(
        fields=(("signed_on", "signed"), ("ends_on", "ends"), ("title", "title"), ("number", "number")),
        field_labels={
            "signed_on": _("Date signed"),
            "ends_on": _("End date"),
            "title": _("Title"),
            "number": _("Number"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Agreement
        fields: list[str] = []

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Staff search the words of documents too (within the queryset's access scope);
        # the public filter (user=None) searches the agreements' own fields only.
        self.searches_documents = access.is_staff_member(user)
        self.offer_agencies(
            access.agencies_visible_to(user).filter(archived_at__isnull=True),
            listed=getattr(user, "role", None) != Role.SUPERVISOR,
        )

    def offer_agencies(self, agencies, *, listed: bool) -> None:
        """The agencies the agency filter accepts. Thousands of agencies of many governments
        (several named alike) make no usable list: unless `listed`, the filter is a hidden
        field, set by the links of the dashboard and of the agreement pages."""
        self.filters["agency"].queryset = agencies
        if not listed:
            self.filters["agency"].extra["widget"] = forms.HiddenInput

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(archived_at__isnull=True)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-signed_on", "-id")
        return queryset

    def filter_q(self, queryset, name, value):
        return search_agreements(queryset, value, in_documents=self.searches_documents)

    def filter_status(self, queryset, name, value):
        return queryset.in_status(value)

    def filter_partner_type(self, queryset, name, value):
        return queryset.filter(pk__in=AgreementParty.objects.filter(partner__partner_type=value).values("agreement_id"))

    def filter_agency(self, queryset, name, value):
        supporting = Agreement.supporting_agencies.through.objects.filter(agency_id=value.pk).values("agreement_id")
        return queryset.filter(Q(lead_agency_id=value.pk) | Q(pk__in=supporting))

    def filter_affair(self, queryset, name, value):
        return queryset.filter(
            pk__in=Agreement.affairs.through.objects.filter(affair_id=value.pk).values("agreement_id")
        )

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(signed_on__gte=datetime.date(year, 1, 1), signed_on__lte=datetime.date(year, 12, 31))

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within(int(value), timezone.localdate())
