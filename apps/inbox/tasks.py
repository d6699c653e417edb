"""Thin tasks (house style 6): call the service."""

from django_tasks import task


@task()
def send_deadline_reminders() -> int:
    from apps.inbox.reminders import send_deadline_reminders as run

    return run()
