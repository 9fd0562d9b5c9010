"""``bluelamp audit verify``: check the audit hash chain and name the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from bluelamp.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. 'verify' recomputes the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["verify"])

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at event {report.first_broken_id}: {report.reason} "
                f"({report.checked} events before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} events verified.")
