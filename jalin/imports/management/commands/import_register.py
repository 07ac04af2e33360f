"""python manage.py import_register FILE [--government CODE] [--user USERNAME] [--dry-run] [--accept-proposals]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jalin.accounts.models import Role, User
from jalin.imports import pipeline
from jalin.imports.services import Action, ImportFailed


def import_actor(*, government_code: str | None, username: str | None) -> User:
    """The admin the import is attributed to (audit trail, access checks)."""
    users = User.objects.filter(is_active=True, role=Role.ADMIN).select_related("government").order_by("pk")
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active admin named {username}.")
        if government_code and user.government.code != government_code:
            raise CommandError(f"{username} is not an admin of government {government_code}.")
        return user
    if government_code:
        user = users.filter(government__code=government_code).first()
        if user is None:
            raise CommandError(f"Government {government_code} has no active admin to import as.")
        return user
    governments = set(users.values_list("government__code", flat=True))
    if len(governments) != 1:
        raise CommandError("Several governments have admins: give --government CODE (or --user USERNAME).")
    return users.first()


class Command(BaseCommand):
    help = "Import an existing register of agreements (.xlsx or .csv). All or nothing; re-running changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--government", help="Kemendagri code of the government the register belongs to")
        parser.add_argument("--user", help="username of the admin the import is attributed to")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
        parser.add_argument(
            "--accept-proposals",
            action="store_true",
            help="confirm every proposal (agencies and partners to create, matches to accept), as the preview does",
        )

    def handle(self, *args, file, government=None, user=None, dry_run=False, accept_proposals=False, **options):
        actor = import_actor(government_code=government, username=user)
        try:
            result = pipeline.import_file(actor=actor, path=file, dry_run=dry_run, accept_proposals=accept_proposals)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        except ImportFailed as failed:
            result = failed.result
        for row in result.rows:
            label = f"{row.sheet + ' ' if row.sheet and row.sheet != 'CSV' else ''}row {row.row}: {row.action}"
            if row.number or row.title:
                label += f" — {row.number or ''} {row.title[:60]}".rstrip()
            if row.new_partners:
                label += f" (new partners: {', '.join(row.new_partners)})"
            self.stdout.write(label)
            for warning in row.warnings:
                self.stdout.write(f"    note: {warning.column + ': ' if warning.column else ''}{warning.message}")
        for name, reason in result.skipped_sheets:
            self.stdout.write(f"sheet {name}: skipped ({reason})")
        if result.proposals:
            verb = "confirmed" if accept_proposals else "to confirm"
            self.stdout.write(f"{len(result.proposals)} proposal(s) {verb}:")
            for proposal in result.proposals.values():
                self.stdout.write(
                    f"    {proposal.kind}: {proposal.text} -> {proposal.target} ({', '.join(proposal.rows[:5])})"
                )
        summary = (
            f"{result.count(Action.CREATE)} to create, {result.count(Action.UPDATE)} to update, "
            f"{result.count(Action.UNCHANGED)} unchanged, {result.count(Action.SKIP)} skipped"
        )
        if result.has_errors:
            raise CommandError(
                f"{result.problem_count} problem(s); nothing was changed.\n" + "\n".join(result.problem_lines())
            )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run: {summary}. Nothing was changed."))
        elif result.proposals and not accept_proposals:
            raise CommandError(
                "Proposals need confirming: run again with --accept-proposals to accept them all. Nothing was changed."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported: {summary.replace('to create', 'created').replace('to update', 'updated')}."
                )
            )
