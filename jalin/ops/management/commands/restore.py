from django.core.management.base import BaseCommand, CommandError

from jalin.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Rebuild this installation from an archive written by `backup`: verifies the archive, migrates, "
        "loads every row and file, and verifies the result against the manifest. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data of a non-empty installation (default: refuse)."
        )

    def handle(self, *args, **options):
        try:
            summary = restore(
                options["archive"],
                using=options["database"],
                force=options["force"],
                log=lambda message: self.stdout.write(message),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {summary.rows} rows in {len(summary.models)} tables, "
                f"{len(summary.files)} files ({summary.file_bytes} bytes) in {summary.seconds:.1f} s."
            )
        )
