import django_filters
from django.utils.translation import gettext_lazy as _

from jalin.agreements.filters import AgreementFilter
from jalin.agreements.models import Status
from jalin.governments.models import Agency, Government

PUBLIC_STATUSES = [
    (status.value, status.label) for status in (Status.ACTIVE, Status.EXPIRING, Status.EXPIRED, Status.TERMINATED)
]


class PublicAgreementFilter(AgreementFilter):
    """The staff list's filters, over published agreements only (used by the portal and the
    public API). Drafts and archived agreements are never published, so their statuses are
    not offered; agencies and governments are chosen among all (their names are public)."""

    status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES, method="filter_status", label=_("Status"))
    government = django_filters.ModelChoiceFilter(
        queryset=Government.objects.all(), to_field_name="code", field_name="government", label=_("Government")
    )

    def __init__(self, data=None, *args, government=None, **kwargs):
        super().__init__(data, *args, user=None, **kwargs)
        agencies = Agency.objects.filter(archived_at__isnull=True).order_by("name")
        if government is not None:
            agencies = agencies.filter(government=government)
        # a government's page lists its own agencies; the national list only follows links
        self.offer_agencies(agencies, listed=government is not None)
