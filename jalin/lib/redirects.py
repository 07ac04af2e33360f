"""Where a `next=` parameter may send the user: only to a path on this site.

Every redirect target that comes from a request (the notification centre, the logins, the
language switch, any `next=`) goes through `safe_next`, so `https://example.org`,
`//example.org/x` or `/\\example.org` never leave the site (open redirect), and a junk
value such as `foo` falls back instead of becoming a server error.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate: str | None, fallback: str) -> str:
    """`candidate` when it is a path on this site, otherwise `fallback` (a URL or URL name)."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return resolve_url(fallback)


def redirect_next(request, fallback: str, *, field: str = "next") -> HttpResponseRedirect:
    """Redirect to the request's `next` (POST, else GET) when it is safe, else to `fallback`."""
    candidate = request.POST.get(field) or request.GET.get(field)
    return HttpResponseRedirect(safe_next(request, candidate, fallback))
