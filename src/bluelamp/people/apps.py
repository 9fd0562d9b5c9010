from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bluelamp.people"
    label = "people"
    verbose_name = "Knowing who is who: nominal matching and de-duplication"

    def ready(self):
        from . import signals  # noqa: F401 - keeps the match keys in step with the records
