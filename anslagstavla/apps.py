from django.apps import AppConfig


class AnslagstavlaConfig(AppConfig):
    """The public digital anslagstavla: board, anslag with the public protokoll, archive, search,
    feed and verification. No login; views, forms and URLs only (the rules live in ``meetings``)."""

    name = "anslagstavla"
    verbose_name = "Anslagstavla"
