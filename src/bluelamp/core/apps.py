from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bluelamp.core"
    label = "core"
    verbose_name = "POLE records"
