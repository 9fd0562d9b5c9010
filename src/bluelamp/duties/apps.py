from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "bluelamp.duties"
    label = "duties"
    verbose_name = "Duties with clocks"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each feature declares its duties in policies.py, its in-transaction reactions to other
        # features' events in reactions.py, and its worker event handlers in handlers.py.
        autodiscover_modules("policies")
        autodiscover_modules("reactions")
        autodiscover_modules("handlers")
