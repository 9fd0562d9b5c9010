from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "bluelamp.notify"
    label = "notify"
    verbose_name = "Notifications: the outbox and its channels"
