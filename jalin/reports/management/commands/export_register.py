"""python manage.py export_register --format xlsx|csv --output FILE [--government CODE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jalin.agreements.models import Agreement
from jalin.governments.models import Government
from jalin.reports import services


class Command(BaseCommand):
    help = "Export the register of agreements (streamed; bounded memory for any size)."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=services.REGISTER_FORMATS)
        parser.add_argument("--output", required=True)
        parser.add_argument("--government", help="Kemendagri code; without it, every government")

    def handle(self, *args, format, output, government=None, **options):
        queryset = Agreement.objects.live()
        if government:
            chosen = Government.objects.filter(code=government).first()
            if chosen is None:
                raise CommandError(f"No government with code {government}.")
            queryset = queryset.filter(government=chosen)
        count = services.write_register(
            queryset.order_by("government__code", "-signed_on", "-id"), format, Path(output)
        )
        self.stdout.write(self.style.SUCCESS(f"{output}: {count} agreements."))
