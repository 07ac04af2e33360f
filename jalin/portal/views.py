from django.shortcuts import render

from jalin.agreements import selectors
from jalin.agreements.models import Agreement


def home(request):
    """The public home page (a simple page until the public portal is built)."""
    published = Agreement.objects.live().filter(is_public=True)
    counts = selectors.status_counts(published)
    context = {
        "published_count": sum(counts.values()),
        "status_counts": counts,
        "in_force_count": counts["active"] + counts["expiring"],
        "latest": list(
            published.exclude(signed_on=None).select_related("government").order_by("-signed_on", "-pk")[:5]
        ),
    }
    return render(request, "core/home.html", context)
