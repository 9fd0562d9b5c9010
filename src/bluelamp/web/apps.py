from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bluelamp.web"
    label = "web"
    verbose_name = "Web shell"
