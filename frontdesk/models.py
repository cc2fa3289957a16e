"""How the background work fares: the last run of each periodic job, and the
processes `frontdesk run` had to start again. The panel shows both to administrators."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobRun(models.Model):
    """The last run of a periodic job (frontdesk/jobs.py): one row per job."""

    name = models.CharField(max_length=50, unique=True)
    started_at = models.DateTimeField()
    # The last run that finished without an error; a run that fails leaves it alone.
    completed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # machine:pid of the worker that started the last run.
    ran_by = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Supervised(models.TextChoices):
    WEB = "web", "web server"
    WORKER = "worker", "worker"


class Restart(models.Model):
    """A web server or worker of `frontdesk run` that stopped and was started again."""

    process = models.CharField(max_length=10, choices=Supervised.choices)
    pid = models.PositiveIntegerField()
    # As subprocess reports it: negative for the signal that killed it.
    exit_code = models.IntegerField()
    stopped_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-stopped_at"]
        indexes = [models.Index(fields=["stopped_at"], name="restart_stopped_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(process__in=Supervised.values), name="restart_process"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_process_display()} {self.pid} ({self.exit_code})"
