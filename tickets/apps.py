from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from tickets import stored_files

        # A view's transaction that rolled back leaves no attachment files.
        request_finished.connect(stored_files.after_request, dispatch_uid="tickets.stored_files")
