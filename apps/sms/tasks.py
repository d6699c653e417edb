"""Thin tasks: the work is in apps.sms.services."""

from django_tasks import task

from apps.sms import services


@task()
def deliver_sms(outbox_id: int) -> str:
    outbox = services.sms_deliver(outbox_id)
    return outbox.status if outbox else "skipped"


@task()
def requeue_due_sms() -> int:
    return services.sms_requeue_due()
