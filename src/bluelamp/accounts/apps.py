from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bluelamp.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and units"
