from django.apps import AppConfig


class VictimPortalConfig(AppConfig):
    name = "bluelamp.victims.portal"
    label = "victim_portal"
    verbose_name = "Track my crime: the victim portal"

    def ready(self):
        # Registers the staff panel on a crime's page (issue a code, unlock, add an update).
        from . import staff_views  # noqa: F401
