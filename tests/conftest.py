import shutil
import tempfile

import pytest
from django.test.utils import override_settings

_override = None
_media_root = None


def pytest_configure(config):
    """Tests use plain static files (no collectstatic manifest) and a throwaway folder for
    uploaded documents, so a test run never touches var/."""
    global _override, _media_root
    _media_root = tempfile.mkdtemp(prefix="jalin-test-media-")
    _override = override_settings(
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": _media_root, "base_url": None},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PRIVATE_MEDIA_ROOT=_media_root,
        SECURE_SSL_REDIRECT=False,
        AXES_ENABLED=True,
    )
    _override.enable()


def pytest_unconfigure(config):
    if _override is not None:
        _override.disable()
    if _media_root:
        shutil.rmtree(_media_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. Tests roll their data back, so ids (the audit
    entry ids that key cached dashboard sums, jalin/audit/revisions.py) are used again by the
    next test for other data; in production ids only grow (a restore clears the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
