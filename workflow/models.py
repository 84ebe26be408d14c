from django.db import models


class SchedulerHeartbeat(models.Model):
    """The last time the worker ran the scheduler's heartbeat job: /healthz reports it."""

    name = models.CharField(max_length=64, primary_key=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%d/%m/%Y %H:%M:%S}"
