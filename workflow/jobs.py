"""Celery jobs of the workflow app: thin callers of services."""
from celery import shared_task
from django.utils import timezone

from workflow.models import SchedulerHeartbeat


@shared_task(name="workflow.heartbeat", ignore_result=True)
def heartbeat() -> None:
    # Safe to run twice: it only moves a timestamp forward.
    SchedulerHeartbeat.objects.update_or_create(name="beat", defaults={"last_seen": timezone.now()})


@shared_task(name="workflow.occurrences_generate", ignore_result=True, acks_late=True)
def occurrences_generate_job() -> int:
    # Thin caller: the service claims its rows, so a repeat or a second worker creates nothing twice.
    from workflow.services import occurrences_generate

    return occurrences_generate()


@shared_task(name="workflow.escalations_run", ignore_result=True, acks_late=True)
def escalations_run_job() -> None:
    # Thin caller: every notification is keyed (occurrence, rung, recipient), so a repeat sends nothing twice.
    from workflow.escalation import escalations_run

    escalations_run()
