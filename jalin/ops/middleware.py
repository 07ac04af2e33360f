"""Operations middleware: a clear 503 while the database is unreachable; replica routing."""

import contextlib
import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

from jalin.ops.routers import reading_from_replica

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15


def is_database_unavailable(error: BaseException) -> bool:
    """Connection refused, server shut down, connection lost, too many clients, database locked.

    Django wraps driver errors in OperationalError / InterfaceError; programming errors and
    integrity errors are bugs or bad data, not an outage, and stay 500 / 400.
    """
    return isinstance(error, OperationalError | InterfaceError)


def unavailable_response(request) -> HttpResponse:
    """A 503 page in both languages, rendered without touching the database."""
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {
                "detail": "Service temporarily unavailable: the database cannot be reached. Try again shortly.",
                "detail_id": "Layanan sementara tidak tersedia: basis data tidak dapat dihubungi. Coba lagi sebentar lagi.",
            },
            status=503,
        )
    else:
        sections = []
        for language in ("id", "en"):
            with translation.override(language):
                sections.append(render_to_string("ops/unavailable_section.html", {"language": language}))
        try:
            html = render_to_string("ops/unavailable.html", {"sections": sections, "retry": RETRY_AFTER_SECONDS})
        except Exception:  # e.g. static files not collected: the message matters, not the style
            logger.exception("Could not render the full 503 page")
            html = "".join(sections)
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _remember_exception(sender, request=None, **kwargs):
    """Django turns an exception raised inside a middleware (the session or user lookup, for
    example) into a 500 response before an outer middleware can catch it; it sends this signal
    first, so the exception is kept on the request for DatabaseUnavailableMiddleware."""
    if request is not None:
        request._jalin_exception = sys.exc_info()[1]


got_request_exception.connect(_remember_exception, dispatch_uid="jalin.ops.remember_exception")


def _close_broken_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            with contextlib.suppress(DatabaseError):
                connection.close()


class DatabaseUnavailableMiddleware:
    """Turns "database unavailable" errors into a clear 503 page, wherever they are raised:
    in a view (process_exception) or in a middleware further in (a 500 response whose cause,
    remembered from got_request_exception, was the database).

    Recovery needs no restart: broken connections are closed here, and with
    CONN_HEALTH_CHECKS the next request opens a fresh one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        error = getattr(request, "_jalin_exception", None)
        if response.status_code == 500 and error is not None and is_database_unavailable(error):
            logger.warning("Database unavailable for %s %s: %s", request.method, request.path, error)
            _close_broken_connections()
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        _close_broken_connections()
        return unavailable_response(request)


class ReplicaRoutingMiddleware:
    """Reads of the public portal and of reports go to the `replica` database when one is
    configured (DATABASE_REPLICA_URL). Only safe methods; everything else reads the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.namespaces = set(getattr(settings, "REPLICA_NAMESPACES", ()))

    def __call__(self, request):
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        use_replica = (
            "replica" in settings.DATABASES
            and request.method in ("GET", "HEAD")
            and match is not None
            and bool(set(match.namespaces) & self.namespaces)
        )
        if not use_replica:
            return self.get_response(request)
        with reading_from_replica():
            return self.get_response(request)
