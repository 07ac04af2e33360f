from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from jalin.accounts import access
from jalin.accounts.models import User


class Command(BaseCommand):
    help = "Create (or, with --rotate, replace) the API token of a staff user and print it."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token with a new one.")

    def handle(self, username, rotate=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not access.is_staff_member(user):
            raise CommandError(f"{username} has no role in a government (or is inactive); the API would refuse it.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if not created:
            self.stderr.write("This user already has a token (use --rotate to replace it).")
        self.stdout.write(token.key)
