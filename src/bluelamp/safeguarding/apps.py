from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "bluelamp.safeguarding"
    label = "safeguarding"
    verbose_name = "Protecting vulnerable people: referrals, DASH, the MASH, MARAC"

    def ready(self):
        from . import access, messages  # noqa: F401 - the scoping rule; the notify templates
