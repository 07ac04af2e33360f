from django.shortcuts import render

from jalin.accounts.decorators import staff_required


@staff_required
def inbox(request):
    """The personal work queue (built by the lifecycle workflow issue)."""
    return render(request, "workflow/inbox.html", {})
