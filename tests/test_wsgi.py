"""The served application (bluelamp.wsgi, what gunicorn loads)."""

import os
import subprocess
import sys


def test_the_worker_keeps_what_it_loaded_out_of_full_collections(tmp_path):
    code = "import gc, bluelamp.wsgi as w; print(gc.get_freeze_count(), callable(w.application))"
    env = {
        **os.environ,
        "BLUELAMP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bluelamp.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 10_000  # Django and the app's modules, frozen
    assert out[1] == "True"
