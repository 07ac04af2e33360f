"""Project system checks for a production configuration (`manage.py check --deploy`).

Each refuses a configuration that is unsafe in production and says what to set instead.
The WSGI application runs the same checks when DEBUG is off and refuses to start on an
error (jalin/wsgi.py), so a server is never up with them. See docs/security.md.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
DEVELOPMENT_SECRET_KEYS = {
    "jalin-insecure-development-key-do-not-use-in-production",
    "change-me-to-a-long-random-string",
}
SECRET_KEY_MIN_LENGTH = 50


def _cache(errors: list) -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        errors.append(
            checks.Error(
                f"The cache ({backend}) belongs to one process: other app servers and workers would keep "
                "serving data that was changed or unpublished, and rate limits would not add up.",
                hint="Set REDIS_URL=redis://HOST:6379/0 (or CACHE_URL=redis://...), or CACHE_URL=db:// for "
                "Django's database cache after `manage.py createcachetable`.",
                id="jalin.E001",
            )
        )


def _debug(errors: list) -> None:
    if settings.DEBUG:
        errors.append(
            checks.Error(
                "DEBUG is on: error pages show settings, code and data to anyone.",
                hint="Set DEBUG=0 in production.",
                id="jalin.E002",
            )
        )


def _secret_key(errors: list) -> None:
    key = settings.SECRET_KEY
    if key in DEVELOPMENT_SECRET_KEYS or len(key) < SECRET_KEY_MIN_LENGTH or key.startswith("django-insecure"):
        errors.append(
            checks.Error(
                "SECRET_KEY is a development or example key, or shorter than "
                f"{SECRET_KEY_MIN_LENGTH} characters: sessions, password-reset links and signed URLs "
                "could be forged.",
                hint='Set SECRET_KEY to the output of `python -c "import secrets; '
                'print(secrets.token_urlsafe(50))"`, kept secret.',
                id="jalin.E003",
            )
        )


def _proxy(errors: list) -> None:
    if settings.BEHIND_PROXY and settings.TRUSTED_PROXY_COUNT <= 0:
        errors.append(
            checks.Error(
                "BEHIND_PROXY is set but TRUSTED_PROXY_COUNT is 0: every client would have the proxy's "
                "address, so one attacker's failed logins lock everyone out and rate limits count the proxy.",
                hint="Set TRUSTED_PROXY_COUNT to the number of reverse proxies that append to "
                "X-Forwarded-For (1 for nginx in front of gunicorn, deploy/nginx/jalin.conf).",
                id="jalin.E004",
            )
        )


def production_errors() -> list:
    errors: list = []
    for check in (_cache, _debug, _secret_key, _proxy):
        check(errors)
    return errors


@checks.register(checks.Tags.security, deploy=True)
def production_configuration(app_configs=None, **kwargs) -> list:
    return production_errors()


def refuse_unsafe_production() -> None:
    """Called by the WSGI application: with DEBUG off, an unsafe configuration does not start."""
    if settings.DEBUG:
        return
    errors = production_errors()
    if errors:
        raise ImproperlyConfigured(
            "Jalin refuses to start with this configuration:\n"
            + "\n".join(f"- {error.id}: {error.msg} {error.hint}" for error in errors)
        )
