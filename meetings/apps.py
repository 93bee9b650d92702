from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Sammanträden och protokoll"

    def ready(self) -> None:
        from . import (
            locking,  # noqa: F401 - connects the signal handlers that lock protokoll content
            publication,  # noqa: F401 - a change to an announced meeting changes the board
        )
