from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and accounts"

    def ready(self) -> None:
        from accounts import audit, sessions, signals  # noqa: F401
