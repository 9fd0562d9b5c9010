"""``bluelamp people reindex|train|dedupe``: keep match keys and match records current, estimate
the match model from the force's own records, and queue likely duplicate records for review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bluelamp.accounts.models import User
from bluelamp.audit.context import acting
from bluelamp.core.models import Person
from bluelamp.people import dedupe
from bluelamp.people.models import PersonKey
from bluelamp.people.records import reindex_all


class Command(BaseCommand):
    help = "Nominal matching: reindex match keys, train the match model, find duplicates."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["reindex", "train", "dedupe"])
        parser.add_argument(
            "--as", dest="username", help="the user acting (train and dedupe are audited)"
        )
        parser.add_argument("--purpose", default="", help="recorded in the audit log")
        parser.add_argument(
            "--workers", type=int, default=1, help="dedupe: processes sharing the scoring"
        )
        parser.add_argument(
            "--max-block",
            type=int,
            default=None,
            help="dedupe: skip blocks of more people than this (default BLUELAMP_DEDUPE_MAX_BLOCK)",
        )

    def handle(self, *args, what, username=None, purpose="", workers=1, max_block=None, **options):
        console = Console()
        if what == "reindex":
            with Progress(console=console) as progress:
                task = progress.add_task("Reindexing people", total=Person.objects.count())
                written = reindex_all(progress=lambda n: progress.advance(task, n))
            console.print(f"{written} match keys and a match record per person written.")
            return
        if not username:
            raise CommandError(
                "--as USERNAME is required: training and de-duplication are audited."
            )
        try:
            actor = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        try:
            with acting(purpose=purpose or f"people {what}", channel="cli"):
                if what == "train":
                    trained = dedupe.train_model(actor=actor)
                    console.print(f"Match model trained on {trained.records} people.")
                else:
                    queued = self._dedupe(console, actor, max(workers, 1), max_block)
                    console.print(f"{queued} likely duplicate pairs queued for review.")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None

    def _dedupe(self, console: Console, actor: User, workers: int, max_block: int | None) -> int:
        # Each worker reads every stored key (to know every block's size): the bar counts
        # keys read over all workers.
        total = PersonKey.objects.count() * workers
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(f"Finding duplicates ({workers} workers)", total=total)
            return dedupe.find_duplicates(
                actor=actor,
                workers=workers,
                max_block=max_block,
                progress=lambda n: progress.advance(task, n),
            )
