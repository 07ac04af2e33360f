import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.notifications import services


class Command(BaseCommand):
    help = "Send the day's reminders (one line per recipient and agreement), then the daily digests."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be sent.")
        parser.add_argument("--today", help="Run as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(_("--today must be a date as YYYY-MM-DD, not %(value)s.") % {"value": today}) from error
        lines = services.reminders_send(today=day, dry_run=dry_run)
        for line in lines:
            self.stdout.write(str(line))
        mailed = services.digests_send(today=day, dry_run=dry_run)
        if dry_run:  # the reminders above were not written, so count their addresses too
            mailed = sorted(set(mailed) | {line.recipient for line in lines if "@" in line.recipient})
        if dry_run:
            summary = _("%(lines)d reminder lines and %(mails)d digest e-mails would be sent (%(day)s).")
        else:
            summary = _("%(lines)d reminder lines and %(mails)d digest e-mails were sent (%(day)s).")
        self.stdout.write(summary % {"lines": len(lines), "mails": len(mailed), "day": day.isoformat()})
