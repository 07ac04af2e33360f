from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.audit.selectors import audit_entries_for_government


@staff_required
def audit_list(request):
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    entries = audit_entries_for_government(request.user.government_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page})
