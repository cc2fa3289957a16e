from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = "Agent panel"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from panel import pending_uploads
        from panel.models import PendingUpload

        post_delete.connect(
            pending_uploads.remove_file, sender=PendingUpload, dispatch_uid="panel.pending_upload"
        )
