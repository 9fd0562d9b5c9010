"""The ``bluelamp`` command: Django's management commands under the project's own name.

bluelamp demo [--serve]      build the demo force on SQLite and (optionally) serve it
bluelamp serve               serve the site at http://127.0.0.1:8000
bluelamp migrate             create or update the database
bluelamp audit verify        check the audit hash chain
bluelamp code USERNAME       the current sign-in code of a demo user
bluelamp token USERNAME      issue an API bearer token
"""

import os
import sys

# Commands that only make sense on a developer's machine ask for development mode themselves,
# so `bluelamp demo --serve` needs no configuration; each still refuses to run if
# BLUELAMP_ENVIRONMENT says production.
DEVELOPMENT_COMMANDS = {"demo", "code"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluelamp.settings")
    if len(sys.argv) > 1 and sys.argv[1] in DEVELOPMENT_COMMANDS:
        os.environ.setdefault("BLUELAMP_ENVIRONMENT", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bluelamp", *sys.argv[1:]])


if __name__ == "__main__":
    main()
