"""``bluelamp demo``: create the database, build the demo force, print the sign-ins, serve."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from bluelamp.accounts.models import User
from bluelamp.synth.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    base32_secret,
    build_demo_force,
    totp_key_for,
)


class Command(BaseCommand):
    help = "Build the demo force on the configured database and print demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="then serve on 127.0.0.1:8000")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--population", type=int, default=50_000, help="of the synthetic force (one year)"
        )

    def handle(self, *args, **options):
        if settings.ENVIRONMENT == "production":
            raise CommandError("The demo force is refused in production.")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        console = Console(width=max(Console().width, 110))
        portal = None
        if User.objects.exists():
            console.print("Demo force already built; reusing it (delete var/ to start again).")
        else:
            with console.status(
                f"Building a synthetic force of {options['population']:,} people (one year)..."
            ):
                force = build_demo_force(seed=options["seed"], population=options["population"])
            console.print(f"Built {force.force}: {force.people} people, {force.events} events.")
            portal = force.portal
        table = Table(title=f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        table.add_column("username", no_wrap=True)
        table.add_column("role")
        table.add_column("authenticator secret (TOTP)", no_wrap=True, overflow="ignore")
        for username, role, *_ in DEMO_USERS:
            table.add_row(username, role.label, base32_secret(totp_key_for(username)))
        console.print(table)
        console.print(
            "Sign-in codes: add a secret to an authenticator app, or run "
            "[bold].venv/bin/bluelamp code USERNAME[/bold] for the current code."
        )
        if portal is not None:
            born = portal.date_of_birth
            console.print(
                f"Victim portal: open [bold]/track/[/bold] and sign in as {portal.name} with "
                f"crime reference [bold]{portal.reference}[/bold], code [bold]{portal.code}[/bold]"
                f" (one use) and date of birth {born.day} {born:%B} {born.year}."
            )
        else:
            console.print(
                "Victim portal: the demo victim's code was printed when the force was built; "
                "an investigator can issue a new one from the crime's page."
            )
        if options["serve"]:
            call_command("serve", port=options["port"])
