"""Periodic jobs, run by the task worker's scheduler thread.

django-tasks has no scheduler of its own. Each job is registered with its period; the worker
checks every few seconds and enqueues a job whose period has passed. The check takes a row lock
on PeriodicRun, so with several workers each period enqueues the job exactly once.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: datetime.timedelta
    task_path: str  # dotted path to a django-tasks task, imported lazily


_registry: dict[str, PeriodicJob] = {}


def register(name: str, every: datetime.timedelta, task_path: str) -> None:
    _registry[name] = PeriodicJob(name=name, every=every, task_path=task_path)


def registered_jobs() -> list[PeriodicJob]:
    return list(_registry.values())


def _import_task(path: str):
    module_name, attr = path.rsplit(".", 1)
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)


def enqueue_due_jobs(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose period has passed; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        try:
            PeriodicRun.objects.get_or_create(name=job.name, defaults={"last_run": now - job.every})
        except IntegrityError:
            pass  # another worker created it at the same moment
        with transaction.atomic():
            run = PeriodicRun.objects.select_for_update().get(name=job.name)
            if run.last_run + job.every > now:
                continue
            run.last_run = now
            run.save(update_fields=["last_run"])
            _import_task(job.task_path).enqueue()
            enqueued.append(job.name)
    return enqueued
