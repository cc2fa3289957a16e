from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Customer portal"

    def ready(self) -> None:
        from portal import receivers  # noqa: F401  (connects sign-ins and requester changes)
