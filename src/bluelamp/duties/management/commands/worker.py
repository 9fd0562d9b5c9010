"""``bluelamp worker``: the background worker. Drains the outbox, escalates overdue duties and
delivers notifications (the tasks in BLUELAMP_WORKER_TASKS), over and over. Safe to kill at any
moment and to run more than once at a time (see duties/worker.py)."""

import os
import signal
import socket
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

from bluelamp.audit.context import acting


class Command(BaseCommand):
    help = "Run the background worker (outbox, escalations, notifications)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one cycle, then exit")
        parser.add_argument("--worker-id", default=f"{socket.gethostname()}:{os.getpid()}")
        parser.add_argument(
            "--idle-sleep", type=float, default=2.0, help="seconds between idle cycles"
        )

    def handle(self, *args, once=False, worker_id="", idle_sleep=2.0, **options):
        tasks = [(path, import_string(path)) for path in settings.BLUELAMP_WORKER_TASKS]
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
        self.stdout.write(f"worker {worker_id}: {', '.join(p for p, _ in tasks)}")
        with acting(channel="worker"):
            while not stopping:
                close_old_connections()
                worked = 0
                for path, task in tasks:
                    if stopping:
                        break
                    count = task(worker_id=worker_id)
                    worked += count
                    if count:
                        self.stdout.write(f"{path}: {count}")
                        self.stdout.flush()
                if once:
                    break
                if not worked:
                    time.sleep(idle_sleep)
        self.stdout.write(f"worker {worker_id}: stopped")
