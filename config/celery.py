"""The Celery app. Broker: Redis when REDIS_URL is set, else an in-memory broker consumed by the
in-process worker that `manage.py rundev` starts (see generation/worker.py)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("rightscast")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
