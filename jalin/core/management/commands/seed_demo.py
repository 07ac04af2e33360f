"""Build the demo data set (Kabupaten Pesawaran and a neighbour); see jalin/core/demo.py."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jalin.core import demo


class Command(BaseCommand):
    help = (
        "Creates the demo: Kabupaten Pesawaran with agencies, partners, agreements and one user per role, "
        "plus Kabupaten Lampung Selatan. Running it again creates nothing new. Needs load_reference_data first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help="demo (default): one realistic regency; national: every government (not available yet).",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="Seed for the small variations in the demo data."
        )

    def handle(self, *args, **options):
        if options["scale"] == "national":
            raise CommandError(
                _(
                    "The national data set (every government, ~100,000 agreements) is built by the benchmark work "
                    "(issue 7) and is not available yet. Use --scale demo."
                )
            )
        try:
            tally = demo.build_demo(seed=options["seed"])
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
        for line in tally.lines():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(demo.format_logins())
