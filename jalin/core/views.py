from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.agreements import selectors
from jalin.agreements.models import Category, Status


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@staff_required
def dashboard(request):
    visible = access.agreements_visible_to(request.user)
    counts = selectors.status_counts(visible)
    by_category = dict(visible.live().values_list("category").annotate(n=Count("pk")).order_by())
    context = {
        "counts": counts,
        "statuses": [(status, counts[status.value]) for status in Status],
        "categories": [(category, by_category.get(category.value, 0)) for category in Category],
        "expiring": selectors.expiring_soon(visible, settings.EXPIRING_WITHIN_DAYS),
        "expiring_days": settings.EXPIRING_WITHIN_DAYS,
        "today": timezone.localdate(),
    }
    return render(request, "core/dashboard.html", context)
