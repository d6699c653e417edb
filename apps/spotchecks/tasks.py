"""Thin tasks (house style 6): call the service."""

from django_tasks import task


@task()
def send_spotcheck_reminders() -> int:
    from apps.spotchecks.reminders import send_spotcheck_reminders as run

    return run()
