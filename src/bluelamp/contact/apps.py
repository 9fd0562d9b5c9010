from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "bluelamp.contact"
    label = "contact"
    verbose_name = "Calls, THRIVE grading and incidents"
