"""The test suite's settings: bluelamp's own, in development mode, asked for by name as a
developer would (settings.py refuses the development secret key anywhere else). Subprocesses the
tests start (the served app in tests/e2e, tests/test_wsgi.py) inherit the same."""

import os

os.environ.setdefault("BLUELAMP_ENVIRONMENT", "development")

from bluelamp.settings import *  # noqa: E402, F403
