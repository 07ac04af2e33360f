#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The local .env that `make run` writes (DEBUG=1 and a generated development key), so that
    # the README's manage.py commands work in a fresh shell. Variables already set in the
    # environment win. Only manage.py reads it: gunicorn (jalin/wsgi.py) and the tests do not,
    # and production settings refuse its development key (jalin/settings.py).
    from dotenv import load_dotenv

    load_dotenv(os.environ.get("JALIN_ENV_FILE") or Path(__file__).resolve().parent / ".env", override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
