from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Logging in and out, and re-authentication when signing (with its failure limit)."""

    name = "accounts"
    verbose_name = "Inloggning"
