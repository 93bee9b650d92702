from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The staff back office: drafting, justering, anslag posting, rättelse, history and PDF downloads.

    Views, forms and URLs only; models, services and rules live in the core app ``meetings``.
    """

    name = "backoffice"
    verbose_name = "Sekreterarens och justerarnas sidor"
