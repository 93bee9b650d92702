from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = "Sammanträden och protokoll"

    def ready(self) -> None:
        from . import (
            locking,  # noqa: F401 - connects the signal handlers that lock protokoll content
            publication,  # noqa: F401 - a change to an announced meeting changes the board
        )

        _check_task_backends()


def _check_task_backends() -> None:
    """Refuse to start with a task backend that cannot be imported (TASKS_BACKEND as a dotted path):
    otherwise the first e-mail or render would fail, and only in a log."""
    for alias, config in settings.TASKS.items():
        try:
            import_string(config["BACKEND"])
        except ImportError as exc:
            raise ImproperlyConfigured(f"TASKS_BACKEND: cannot import {config['BACKEND']!r} ({alias}): {exc}") from exc
