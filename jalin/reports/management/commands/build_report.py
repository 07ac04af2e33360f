"""python manage.py build_report --period YYYY-S1|YYYY-S2|YYYY --format pdf|docx|xlsx --output FILE [--government CODE]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jalin.governments.models import Government
from jalin.reports import selectors, services


def government_for(code: str | None) -> Government:
    if code:
        government = Government.objects.filter(code=code).first()
        if government is None:
            raise CommandError(f"No government with code {code}.")
        return government
    owners = Government.objects.filter(agreements__isnull=False).distinct()
    if owners.count() != 1:
        raise CommandError("Give --government CODE (several governments have agreements).")
    return owners.get()


class Command(BaseCommand):
    help = "Build the report on the implementation of regional cooperation for a period."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-S1, YYYY-S2 or YYYY")
        parser.add_argument("--format", required=True, choices=services.PERIODIC_FORMATS)
        parser.add_argument("--output", required=True)
        parser.add_argument("--government", help="Kemendagri code; a province includes the governments below it")
        parser.add_argument("--language", default="id", choices=services.LANGUAGES)

    def handle(self, *args, period, format, output, government=None, language="id", **options):
        chosen = government_for(government)
        scope = selectors.scope_for_government(chosen, include_below=chosen.level in ("province", "national"))
        try:
            services.build_periodic_file(
                scope=scope, period_key=period, fmt=format, language=language, path=Path(output)
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{output}: {scope.title}, {period}."))
