"""Celery jobs of the reports app: thin callers of services."""
from celery import shared_task


@shared_task(name="reports.drafts_prepare", ignore_result=True, acks_late=True)
def report_drafts_prepare_job() -> int:
    # Thin caller: a draft is unique per plan and period and only its creator notifies, so a repeat does nothing.
    from reports.services import report_drafts_prepare_due

    return len(report_drafts_prepare_due().prepared)
