import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("sauro")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Our job modules are named jobs.py so that tasks/tasks.py never exists.
app.autodiscover_tasks(related_name="jobs")
