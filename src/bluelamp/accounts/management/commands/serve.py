"""``bluelamp serve``: serve the site with gunicorn (static files by WhiteNoise)."""

import os
import shutil
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve bluelamp at http://127.0.0.1:8000 (gunicorn, 2 workers)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']} (Ctrl-C stops)")
        argv = [
            gunicorn,
            "bluelamp.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        os.execv(gunicorn, argv)  # noqa: S606 - this process becomes the server
