from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "globaldialogue.accounts"
    verbose_name = "Accounts and partner keys"
