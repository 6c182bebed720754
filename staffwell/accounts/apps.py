from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "staffwell.accounts"
    label = "accounts"
