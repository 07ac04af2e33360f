from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from jalin.accounts import access
from jalin.accounts.decorators import staff_required
from jalin.audit.forms import AuditFilterForm
from jalin.audit.logbook import logbook
from jalin.audit.selectors import audit_entries_for_government

PER_PAGE = 20


@staff_required
def audit_list(request):
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, user=request.user)
    entries = audit_entries_for_government(request.user.government_id)
    if form.is_bound:
        entries = form.apply(entries)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    lines = logbook(page.object_list, government=request.user.government)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/list.html", {"page": page, "lines": lines, "form": form, "querystring": query.urlencode()}
    )
