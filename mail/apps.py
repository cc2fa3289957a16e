from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = "Mail in and out"

    def ready(self) -> None:
        from mail import receivers  # noqa: F401  (connects the outbox to ticket signals)
