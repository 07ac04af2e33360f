from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from jalin.accounts.access import is_staff_member


def staff_required(view):
    """Logged-in users with a role in a government; anyone else is sent to log in or refused."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
