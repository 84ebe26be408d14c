"""Scheduler jobs of the indicators app: thin callers of services."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="indicators.figures_generate", ignore_result=True, acks_late=True)
def figures_generate_job() -> int:
    # The figures owed ahead of time, as recurring occurrences are: (indicator, period) is unique and
    # new rows are claimed before they are announced, so a repeat or a second worker creates nothing twice.
    from indicators.services import figure_due_generate

    return figure_due_generate()
