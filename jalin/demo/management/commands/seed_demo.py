"""Build the demo data set (Kabupaten Pesawaran and a neighbour; see jalin/demo/) or
scale data for benchmarks (see jalin/demo/scale.py)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalin.demo import builder as demo
from jalin.demo import logins
from jalin.demo import scale as national


class Command(BaseCommand):
    help = (
        "Creates the demo: Kabupaten Pesawaran with agencies, partners, agreements and one user per role, "
        "plus Kabupaten Lampung Selatan. Running it again creates nothing new. Needs load_reference_data first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "small", "national"],
            default="demo",
            help=(
                "demo (default): one realistic regency, through the services; small: every government of "
                "Lampung (~1,900 agreements); national: every government (~100,000 agreements), bulk-inserted "
                "for benchmarks (see bench/)."
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (the demo's users have a published password)."
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="Seed for the small variations in the demo data."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "DEBUG is off: this looks like a production installation, and the demo creates users with a "
                    "published password. Use --force to run it anyway."
                )
            )
        if options["scale"] != "demo":
            started = time.monotonic()
            progress = national.build_scale(options["scale"], seed=options["seed"], report=self.stdout.write)
            self.stdout.write(
                _("Scale data %(scale)s: %(new)d governments filled, %(skipped)d already present, %(seconds).0f s.")
                % {
                    "scale": options["scale"],
                    "new": progress.governments,
                    "skipped": progress.skipped,
                    "seconds": time.monotonic() - started,
                }
            )
            return
        try:
            tally = demo.build_demo(seed=options["seed"])
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
        logins.enrol_demo_second_factor()
        for line in tally.lines():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(logins.format_logins())
