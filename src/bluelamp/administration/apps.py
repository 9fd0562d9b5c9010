from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "bluelamp.administration"
    label = "administration"
    verbose_name = "Administration"
