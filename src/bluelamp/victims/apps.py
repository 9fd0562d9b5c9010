from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "bluelamp.victims"
    label = "victims"
    verbose_name = "Victims' Code, updates, referrals and the victim portal"

    def ready(self):
        from . import messages  # noqa: F401 - registers the notify templates
