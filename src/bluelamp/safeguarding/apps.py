from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "bluelamp.safeguarding"
    label = "safeguarding"
    verbose_name = "Protecting vulnerable people: referrals, DASH, the MASH, MARAC"

    def ready(self):
        from . import messages  # noqa: F401 - registers the notify templates
