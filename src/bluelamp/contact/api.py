"""JSON API for contact/."""

from ninja import Router

router = Router(tags=["contact"])
