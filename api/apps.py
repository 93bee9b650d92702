from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open-data API (OParl 1.1): views, serializers and URLs only; the rules are the core's."""

    name = "api"
    verbose_name = "Öppna data (OParl)"
