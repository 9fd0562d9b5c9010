"""Signals core sends for other features to keep their own records in step, in the same
transaction (core may not import them)."""

from django.dispatch import Signal

# Sent by ``services.create_people`` with ``names``: the first (and only) PersonName of each new
# person, saved, each with its ``person`` in hand. people/ indexes them for matching from these.
people_created = Signal()
