from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "bluelamp.protection"
    label = "protection"
    verbose_name = "Domestic abuse protection (Encompass, Clare's Law, DVPN/DVPO)"

    def ready(self):
        from . import access, messages  # noqa: F401 - scoping rules and message templates
