"""Every live agreement with its health signals and their one-sentence reasons."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from jalin.agreements.models import Agreement
from jalin.governments.models import Government
from jalin.monitoring.health import signals_of, with_health


class Command(BaseCommand):
    help = (
        "List agreements with their health signals (expiring, expired, report overdue, dormant, off track, paper only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--government", help="Kemendagri code of one government, e.g. 18.09")
        parser.add_argument("--today", help="Compute as on this day (YYYY-MM-DD); default today")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--only-flagged", action="store_true", help="Leave out agreements without any signal")
        parser.add_argument("--language", default=None, help="Language of the reasons (id or en)")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("--today must be a date like 2026-07-01.")) from None
        queryset = Agreement.objects.live()
        if options["government"]:
            government = Government.objects.filter(code=options["government"]).first()
            if government is None:
                raise CommandError(_("No government with code %(code)s.") % {"code": options["government"]})
            queryset = queryset.filter(government=government)
        rows = (
            with_health(queryset, today, details=True)
            .select_related("government", "lead_agency")
            .order_by("-health_score", "government__code", "pk")
        )
        if options["only_flagged"]:
            rows = rows.filter(health_score__gt=0)
        with translation.override(options["language"] or translation.get_language()):
            records = []
            for agreement in rows.iterator(chunk_size=1000):
                signals = signals_of(agreement, today)
                records.append(
                    {
                        "id": agreement.pk,
                        "government": agreement.government.code,
                        "number": agreement.number,
                        "title": agreement.title,
                        "lead_agency": str(agreement.lead_agency),
                        "score": agreement.health_score,
                        "signals": [{"signal": item.signal.value, "reason": item.reason} for item in signals],
                    }
                )
            if options["format"] == "json":
                self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
                return
            for record in records:
                flags = ", ".join(item["signal"] for item in record["signals"]) or "-"
                self.stdout.write(
                    f"{record['government']}\t{record['id']}\t{record['number'] or '-'}\t{flags}\t{record['title']}"
                )
                for item in record["signals"]:
                    self.stdout.write(f"\t\t{item['signal']}: {item['reason']}")
