from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    """The project package as an app: it carries the `frontdesk` commands."""

    name = "frontdesk"
    verbose_name = "Frontdesk"

    def ready(self) -> None:
        from frontdesk import db  # noqa: F401 - connects the SQLite functions
