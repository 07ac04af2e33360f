"""Staff sessions end after `SESSION_IDLE_MINUTES` without a request and, in any case,
`SESSION_ABSOLUTE_HOURS` after the login. Pages of a signed-in user carry the idle limit for
`static/js/session-timeout.js`, which warns `SESSION_WARNING_MINUTES` before the idle logout
and offers to stay signed in (a request to `session-keepalive`)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

STARTED = "jalin_session_started"
SEEN = "jalin_session_seen"
# The last-seen time is written at most this often, so that a page's many requests do not
# each rewrite the session.
TOUCH_EVERY_SECONDS = 30


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def absolute_seconds() -> int:
    return settings.SESSION_ABSOLUTE_HOURS * 3600


@receiver(user_logged_in, dispatch_uid="jalin-session-started")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


def session_expired(session, now: float) -> str | None:
    """Why the session is over ("idle" / "absolute"), or None."""
    started = session.get(STARTED)
    seen = session.get(SEEN)
    if started is None or seen is None:
        # A session from before these limits (or made by a test's force_login): starts now.
        session[STARTED] = session.get(STARTED) or int(now)
        session[SEEN] = int(now)
        return None
    if now - started > absolute_seconds():
        return "absolute"
    if now - seen > idle_seconds():
        return "idle"
    return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            reason = session_expired(request.session, now)
            if reason is not None:
                logout(request)
                if reason == "idle":
                    message = _("You were logged out after %(minutes)d minutes without activity.") % {
                        "minutes": settings.SESSION_IDLE_MINUTES
                    }
                else:
                    message = _("You were logged out: a session lasts at most %(hours)d hours.") % {
                        "hours": settings.SESSION_ABSOLUTE_HOURS
                    }
                messages.info(request, message)
            elif now - request.session[SEEN] >= TOUCH_EVERY_SECONDS:
                request.session[SEEN] = int(now)
        return self.get_response(request)


def page_context() -> dict:
    """What base.html gives session-timeout.js."""
    return {
        "session_idle_seconds": idle_seconds(),
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
        "session_warning_minutes": settings.SESSION_WARNING_MINUTES,
    }
