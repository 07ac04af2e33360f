"""Recompute the stored dashboard summaries that are stale (the nightly task, by hand)."""

import datetime
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jalin.governments.models import Government
from jalin.monitoring import selectors


class Command(BaseCommand):
    help = "Recompute every government's dashboard summary that is stale for the day."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="the day (YYYY-MM-DD); default today")
        parser.add_argument("--government", help="only this government (code)")

    def handle(self, *args, **options):
        ids = None
        if options["government"]:
            ids = list(Government.objects.filter(code=options["government"]).values_list("pk", flat=True))
        started = time.monotonic()
        count = selectors.refresh_summaries(today=options["today"], government_ids=ids)
        self.stdout.write(
            _("%(count)d dashboard summaries recomputed in %(seconds).1f s.")
            % {"count": count, "seconds": time.monotonic() - started}
        )
