import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from jalin.lib import files


class Command(BaseCommand):
    help = (
        "Compare stored files with the rows that refer to them: report files without a row (left by a "
        "process killed mid-upload) and rows whose file is missing. Optionally delete the orphans."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete-orphans", action="store_true", help="Delete files no row refers to.")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="Only count files older than this as orphans, so uploads in progress are left alone (default 60).",
        )

    def handle(self, *args, **options):
        found = files.orphans(default_storage, older_than=datetime.timedelta(minutes=options["grace_minutes"]))
        for orphan in found:
            self.stdout.write(f"orphan file: {orphan.name} (modified {orphan.modified})")
            if options["delete_orphans"]:
                default_storage.delete(orphan.name)
        lost = files.missing()
        for name in lost:
            self.stdout.write(f"missing file: {name}")
        action = "deleted" if options["delete_orphans"] else "found"
        self.stdout.write(f"{len(found)} orphan file(s) {action}; {len(lost)} row(s) refer to missing files.")
        if lost:
            raise CommandError("Some rows refer to files that are not in storage: restore them from a backup.")
