"""``bluelamp synth --population N --years Y --seed S [--districts D]``: generate a synthetic
force into the configured database (see synth/generate.py)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bluelamp.synth.generate import generate_force, generate_people


class Command(BaseCommand):
    help = "Generate a synthetic force: people, places and years of events."

    def add_arguments(self, parser):
        parser.add_argument("--population", type=int, default=50_000)
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--districts", type=int, default=None, help="at most this many")
        parser.add_argument(
            "--people-only",
            type=int,
            default=None,
            metavar="N",
            help="only N people (8%% also recorded twice) and their homes, no events",
        )

    def handle(self, *args, population, years, seed, districts, people_only=None, **options):
        if population < 100 or not 1 <= years <= 20:
            raise CommandError("Give --population of at least 100 and --years from 1 to 20.")
        if districts is not None and districts < 1:
            raise CommandError("--districts must be at least 1.")
        call_command("migrate", verbosity=0, interactive=False)
        console = Console(stderr=True)
        started = time.monotonic()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            tasks = {}

            def report(stage, done, total):
                if stage not in tasks:
                    tasks[stage] = progress.add_task(f"Generating {stage}", total=total)
                if done % 1000 == 0 or done == total:
                    progress.update(tasks[stage], completed=done)

            if people_only:
                result = generate_people(people=people_only, seed=seed, progress=report)
            else:
                result = generate_force(
                    population=population,
                    years=years,
                    seed=seed,
                    districts=districts,
                    progress=report,
                )
        console.print(
            f"Synthetic force in {time.monotonic() - started:.1f} s: {result.districts} districts, "
            f"{result.officers} officers, {result.people:,} people ({result.duplicates:,} also "
            f"recorded a second time), {result.locations:,} places, "
            f"{result.total_events:,} events {dict(result.events)}."
        )
