import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jalin.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write one consistent archive of the database and every stored file, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Archive file to write (default: jalin-backup-<UTC time>.tar.gz in the current folder). "
            "Written under a temporary name and renamed when complete.",
        )
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--allow-missing", action="store_true", help="Write the archive even if rows refer to missing files."
        )

    def handle(self, *args, **options):
        output = options["output"] or f"jalin-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"
        verbose = options["verbosity"] > 1
        try:
            summary = backup(
                output,
                using=options["database"],
                allow_missing=options["allow_missing"],
                log=(lambda message: self.stdout.write(message)) if verbose else (lambda message: None),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {summary.rows} rows in {len(summary.models)} tables, "
                f"{len(summary.files)} files ({summary.file_bytes} bytes), "
                f"{os.path.getsize(output)} bytes archive, {summary.seconds:.1f} s."
            )
        )
        if summary.missing_files:
            self.stderr.write(f"WARNING: {len(summary.missing_files)} referenced files were missing.")
