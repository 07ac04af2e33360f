from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jalin.accounts import access, tokens
from jalin.accounts.models import User


class Command(BaseCommand):
    help = (
        "Mint a named API token for a staff user and print it once (only its hash is stored). "
        "With --rotate, the user's other tokens are revoked first."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for (default: command line).")
        parser.add_argument(
            "--days", type=int, default=None, help=f"Days it is valid (default {settings.API_TOKEN_DAYS})."
        )
        parser.add_argument("--rotate", action="store_true", help="Revoke the user's existing tokens.")

    def handle(self, username, name="command line", days=None, rotate=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not access.is_staff_member(user):
            raise CommandError(f"{username} has no role in a government (or is inactive); the API would refuse it.")
        if rotate:
            for old in tokens.tokens_of(user).filter(revoked_at__isnull=True):
                tokens.api_token_revoke(actor=user, token=old)
        try:
            row, token = tokens.api_token_create(actor=None, user=user, name=name, days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(f"Token “{row.name}” valid until {row.expires_at:%Y-%m-%d}; it is not shown again.")
        self.stdout.write(token)
