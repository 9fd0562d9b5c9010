"""Crime's in-transaction reactions to events, found by the duties app (duties/apps.py): the
investigation's skill rule on work.allocated (investigation/reactions.py)."""

from .investigation import reactions as _investigation_reactions  # noqa: F401
