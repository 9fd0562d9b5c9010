"""JSON API for victims/."""

from ninja import Router

router = Router(tags=["victims"])
