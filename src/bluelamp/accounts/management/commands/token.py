"""``bluelamp token USERNAME``: issue an API bearer token (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from bluelamp.accounts.models import User
from bluelamp.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API bearer token for a user; it is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']}.")
        self.stdout.write(issue_api_token(user=user, name=options["name"], days=options["days"]))
