"""Print the demo users, their password and what to try as each; see jalin/demo/."""

from django.core.management.base import BaseCommand

from jalin.demo import logins


class Command(BaseCommand):
    help = "Prints the demo logins created by seed_demo: username, password, role, government, agency, what to try."

    def handle(self, *args, **options):
        self.stdout.write(logins.format_logins())
