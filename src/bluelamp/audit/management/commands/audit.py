"""``bluelamp audit verify``: check the audit log's keyed hash chain and every signed checkpoint,
naming what was found. ``bluelamp audit checkpoint``: append a signed checkpoint now (the worker
writes one every BLUELAMP_AUDIT_CHECKPOINT_MINUTES)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bluelamp.audit.checkpoints import ChainDoesNotMatch, write_checkpoint
from bluelamp.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Audit log tools. 'verify' recomputes the keyed hash chain and checks it against every "
        "signed checkpoint; 'checkpoint' appends a signed checkpoint of the chain now."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--checkpoint-file",
            type=Path,
            help="the checkpoint file (default: BLUELAMP_AUDIT_CHECKPOINT_FILE)",
        )

    def handle(self, *args, what: str, checkpoint_file: Path | None = None, **options):
        if what == "checkpoint":
            self._checkpoint(checkpoint_file)
        else:
            self._verify(checkpoint_file)

    def _checkpoint(self, path: Path | None) -> None:
        try:
            written = write_checkpoint(path=path)
        except ChainDoesNotMatch as problem:
            raise CommandError(f"No checkpoint written: {problem}") from problem
        if written is None:
            self.stdout.write("No new audit events since the last checkpoint.")
        else:
            self.stdout.write(
                f"Checkpoint written: {written.count} events up to event {written.last_id}."
            )

    def _verify(self, path: Path | None) -> None:
        report = verify_chain(path=path)
        if not report.intact:
            found = "\n".join(f"- {problem}" for problem in report.problems)
            where = (
                f"Audit chain broken at event {report.first_broken_id}"
                if report.first_broken_id is not None
                else "Audit log tampered with"
            )
            raise CommandError(
                f"{where} ({report.checked} events from the first verified). Found:\n{found}"
            )
        self.stdout.write(
            f"Audit chain intact: {report.checked} events verified "
            f"({report.unkeyed} from before the chain was keyed), "
            f"checked against {report.checkpoints} checkpoints in {report.checkpoint_file}."
        )
        if not report.anchored:
            self.stderr.write(
                f"Warning: no checkpoint in {report.checkpoint_file}, so events cut from the end "
                "of the log cannot be seen. Run `bluelamp audit checkpoint`, or `bluelamp "
                "worker`, which writes one every few minutes."
            )
