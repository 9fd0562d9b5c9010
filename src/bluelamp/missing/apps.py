from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "bluelamp.missing"
    label = "missing"
    verbose_name = "Missing people"

    def ready(self):
        from . import access  # noqa: F401 - the scoping rule
