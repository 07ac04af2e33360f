"""One error format for the whole API, with Indonesian and English messages:

    {"error": {"status": 400, "code": "invalid",
               "message": {"id": "...", "en": "..."},
               "fields": {"title": [{"id": "...", "en": "..."}], "parties[0].partner": [...]}}}

Validation runs through `bilingual()`: when the Indonesian run fails, the same validation
runs again in English inside a savepoint that is always rolled back, so each message comes
in both languages straight from the code that raised it (services and serializers alike).
"""

import itertools

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

MESSAGES = {
    "invalid": _("The request has invalid values."),
    "parse_error": _("The request body is not valid JSON."),
    "not_authenticated": _("Authentication is required: send Authorization: Token <key>."),
    "authentication_failed": _("The token is invalid or its user is inactive."),
    "permission_denied": _("You are not allowed to do this."),
    "not_found": _("Not found."),
    "method_not_allowed": _("This method is not allowed here."),
    "not_acceptable": _("This response format is not available; ask for application/json."),
    "unsupported_media_type": _("Send the request body as application/json."),
    "throttled": _("Too many requests. Try again later."),
    "error": _("The request could not be handled."),
}


def both(message) -> dict:
    with translation.override("id"):
        indonesian = str(message)
    with translation.override("en"):
        english = str(message)
    return {"id": indonesian, "en": english}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF or Django error details as {"field.path": [messages]}; "" is the whole request."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, DjangoValidationError):
        if hasattr(detail, "error_dict"):
            for field, errors in detail.message_dict.items():
                key = "" if field == "__all__" else field
                out.setdefault(_join(prefix, key), []).extend(str(e) for e in errors)
        else:
            out.setdefault(prefix, []).extend(str(e) for e in detail.messages)
        return out
    if isinstance(detail, exceptions.ValidationError):
        detail = detail.detail
    if isinstance(detail, dict):
        for field, value in detail.items():
            key = "" if field in ("non_field_errors", "__all__") else str(field)
            for path, messages in _flatten(value, _join(prefix, key)).items():
                out.setdefault(path, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out.setdefault(prefix, []).extend(str(item) for item in detail)
        else:
            for index, item in enumerate(detail):
                for path, messages in _flatten(item, f"{prefix}[{index}]").items():
                    out.setdefault(path, []).extend(messages)
    else:
        out.setdefault(prefix, []).append(str(detail))
    return {path: messages for path, messages in out.items() if messages}


def _join(prefix: str, key: str) -> str:
    if not key:
        return prefix
    return f"{prefix}.{key}" if prefix else key


class BilingualValidationError(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, indonesian: dict, english: dict):
        super().__init__(detail="invalid")
        self.fields = {}
        for path in list(indonesian) + [p for p in english if p not in indonesian]:
            pairs = itertools.zip_longest(indonesian.get(path, []), english.get(path, []))
            self.fields[path or "request"] = [{"id": a or b, "en": b or a} for a, b in pairs]


class _Rollback(Exception):
    pass


VALIDATION_ERRORS = (DjangoValidationError, exceptions.ValidationError)


def bilingual(function):
    """Run `function()`; if it raises a validation error, raise it with messages in both languages."""
    with translation.override("id"):
        try:
            return function()
        except VALIDATION_ERRORS as error:
            indonesian = _flatten(error)
    english = indonesian
    try:
        with transaction.atomic(), translation.override("en"):
            try:
                function()
            except VALIDATION_ERRORS as error:
                english = _flatten(error)
            raise _Rollback
    except _Rollback:
        pass
    raise BilingualValidationError(indonesian, english)


def _code(exc) -> str:
    for cls, code in (
        (BilingualValidationError, "invalid"),
        (exceptions.ParseError, "parse_error"),
        (exceptions.ValidationError, "invalid"),
        (exceptions.NotAuthenticated, "not_authenticated"),
        (exceptions.AuthenticationFailed, "authentication_failed"),
        (exceptions.PermissionDenied, "permission_denied"),
        (exceptions.NotFound, "not_found"),
        (exceptions.MethodNotAllowed, "method_not_allowed"),
        (exceptions.NotAcceptable, "not_acceptable"),
        (exceptions.UnsupportedMediaType, "unsupported_media_type"),
        (exceptions.Throttled, "throttled"),
    ):
        if isinstance(exc, cls):
            return code
    return "error"


def error_body(status_code: int, code: str, message=None, fields=None) -> dict:
    body = {"status": status_code, "code": code, "message": both(message or MESSAGES.get(code, MESSAGES["error"]))}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc, context):
    """DRF's exception handler, in Jalin's format. Django's Http404 / PermissionDenied /
    ValidationError (raised by access functions and services) are mapped too."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        flat = _flatten(exc)
        exc = BilingualValidationError(flat, flat)
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's 500 handling and logging
    code = _code(exc)
    fields = None
    if isinstance(exc, BilingualValidationError):
        fields = exc.fields
    elif isinstance(exc, exceptions.ValidationError):
        flat = _flatten(exc)
        fields = {path or "request": [{"id": m, "en": m} for m in messages] for path, messages in flat.items()}
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return Response(error_body(exc.status_code, code, fields=fields), status=exc.status_code, headers=headers)


@csrf_exempt  # any method, even a POST without a CSRF token, gets the API's JSON 404
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ answer in the API's format, not with the HTML 404 page."""
    return JsonResponse(error_body(404, "not_found"), status=404)
