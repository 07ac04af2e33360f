"""GET /readyz: may a load balancer send requests to this process?"""

import hmac
import logging
import os
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jalin.lib.delivery import is_local

logger = logging.getLogger(__name__)


def check_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage() -> None:
    """The document storage answers: a local folder that exists and is writable, or a bucket
    that answers a HEAD request."""
    if is_local(default_storage):
        location = default_storage.path("")
        if not os.path.isdir(location) or not os.access(location, os.W_OK | os.X_OK):
            raise OSError(f"{location} is not a writable folder")
        return
    if hasattr(default_storage, "bucket_name"):  # S3-compatible: the bucket must exist and answer
        default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
        return
    default_storage.exists("readyz-probe")


def check_queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()


CHECKS = {"queue": check_queue, "storage": check_storage}


@never_cache
@require_safe
def readyz(request):
    results = {}
    ok = True
    checks = {f"database:{alias}" if alias != "default" else "database": alias for alias in settings.DATABASES}
    plan = [(name, lambda alias=alias: check_database(alias)) for name, alias in checks.items()]
    plan += list(CHECKS.items())
    for name, check in plan:
        started = time.monotonic()
        try:
            check()
        except Exception as error:
            ok = False
            logger.warning("readyz: %s failed: %s", name, error)
            # The error's class only: no addresses or credentials in a public response.
            results[name] = {"ok": False, "error": type(error).__name__}
        else:
            results[name] = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    body = {"status": "ok" if ok else "unavailable"}
    if _may_see_details(request):
        body["checks"] = results
    return JsonResponse(body, status=200 if ok else 503)


def _may_see_details(request) -> bool:
    """Which checks ran and how long they took: for a probe on the machine itself (loopback,
    not forwarded by the proxy) or one presenting `READYZ_TOKEN`; everyone else gets the status."""
    token = settings.READYZ_TOKEN
    presented = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(presented.encode(), f"Bearer {token}".encode()):
        return True
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get("HTTP_X_REAL_IP")
    return not forwarded and remote in ("127.0.0.1", "::1")


def healthz(request):
    """Liveness: the process answers (no database, no cache). /readyz checks the dependencies."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers and link previews ask for /favicon.ico whatever the page's <link rel="icon"> says."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
