"""Published reference data every feature may read: the Home Office offence codes today; school
term calendars and other published tables as features need them. Each table is loaded from a
file kept as published under ``reference/data/`` (see its README.md for sources), never written
from memory. This package imports nothing else of bluelamp."""
