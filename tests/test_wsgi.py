"""The served application (bluelamp.wsgi, what gunicorn loads)."""

import os
import subprocess
import sys

LOADED = """
import gc, bluelamp.wsgi as w
from django.urls import resolve
gc.collect()
unfrozen = len(gc.get_objects())
resolve("/api/people/match")
resolve("/crimes/new/")
gc.collect()
print(gc.get_freeze_count(), callable(w.application), unfrozen, len(gc.get_objects()))
"""


def test_the_worker_keeps_what_it_loaded_out_of_full_collections(tmp_path):
    env = {
        **os.environ,
        "BLUELAMP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bluelamp.settings",
    }
    frozen, callable_, before, after = subprocess.run(
        [sys.executable, "-c", LOADED], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(frozen) > 10_000  # Django and the app's modules, frozen
    assert callable_ == "True"
    # The URL configuration (every feature's views and API) was loaded before the freeze, not by
    # the first request: left to it, 60,000 objects stayed for every full collection to walk.
    assert int(before) < 1_000
    assert int(after) - int(before) < 1_000
