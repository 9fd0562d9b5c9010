from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "bluelamp.crime"
    label = "crime"
    verbose_name = "Crime recording and investigation"
