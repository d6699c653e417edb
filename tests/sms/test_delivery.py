import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.periodic import registered_jobs
from apps.sms import services
from apps.sms.backends import SmsSendError
from apps.sms.models import SmsOutbox, SmsTemplate
from apps.sms.services import MAX_ATTEMPTS, RETRY_DELAYS, sms_deliver, sms_queue, sms_requeue_due

pytestmark = pytest.mark.django_db

CLOSED = {"report_code": "SM20240001", "result": "查证属实"}


def queued(template_code="closed", context=None, **kwargs) -> SmsOutbox:
    return sms_queue(to="13812345678", template_code=template_code, context=context or CLOSED, **kwargs)


def make_due(outbox: SmsOutbox) -> None:
    """Jump to the scheduled retry time without sleeping."""
    SmsOutbox.objects.filter(pk=outbox.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def down(retryable=True, code="isp.SYSTEM_ERROR"):
    return SmsSendError("服务商系统错误", retryable=retryable, code=code)


def test_success_records_the_provider_id(scripted_backend):
    SmsTemplate.objects.filter(code="closed").update(provider_template_id="SMS_42")
    outbox = queued()
    delivered = sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    assert delivered.status == outbox.status == SmsOutbox.Status.SENT
    assert outbox.attempts == 1 and outbox.sent_at and outbox.provider_message_id.startswith("scripted-")
    [message] = scripted_backend.calls
    assert message.to == "13812345678" and message.text == outbox.text
    assert message.provider_template_id == "SMS_42"
    assert list(message.params.items()) == [("report_code", "SM20240001"), ("result", "查证属实")]
    assert message.reference == str(outbox.pk)


def test_retries_back_off_then_fail_for_good(scripted_backend):
    scripted_backend.outcomes.extend(down() for _ in range(MAX_ATTEMPTS))
    outbox = queued()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        before = timezone.now()
        sms_deliver(outbox.pk)
        outbox.refresh_from_db()
        assert outbox.attempts == attempt
        assert "服务商系统错误" in outbox.last_error
        if attempt < MAX_ATTEMPTS:
            assert outbox.status == SmsOutbox.Status.PENDING
            waits.append(outbox.next_attempt_at - before)
            assert sms_deliver(outbox.pk) is None  # not due yet: nothing happens
            make_due(outbox)
    assert outbox.status == SmsOutbox.Status.FAILED and outbox.next_attempt_at is None
    assert f"已发送{MAX_ATTEMPTS}次均失败" in outbox.last_error
    assert len(scripted_backend.calls) == MAX_ATTEMPTS
    for wait, expected in zip(waits, RETRY_DELAYS, strict=True):
        assert expected <= wait < expected + datetime.timedelta(seconds=5)
    assert sms_deliver(outbox.pk) is None and len(scripted_backend.calls) == MAX_ATTEMPTS


def test_recovers_after_a_provider_outage(scripted_backend):
    scripted_backend.outcomes.extend([down(), down(), None])
    outbox = queued()
    for _ in range(3):
        sms_deliver(outbox.pk)
        make_due(outbox)
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.SENT and outbox.attempts == 3 and outbox.last_error == ""


def test_permanent_error_fails_at_once(scripted_backend):
    scripted_backend.outcomes.append(down(retryable=False, code="isv.MOBILE_NUMBER_ILLEGAL"))
    outbox = queued()
    sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.FAILED and outbox.attempts == 1
    assert "isv.MOBILE_NUMBER_ILLEGAL" in outbox.last_error


def test_unexpected_exception_keeps_the_message_for_retry(scripted_backend):
    scripted_backend.outcomes.append(ValueError("bug in a backend"))
    outbox = queued()
    sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.PENDING and "ValueError" in outbox.last_error


def test_login_code_is_not_sent_after_it_expired(scripted_backend):
    outbox = queued("login_code", {"code": "123456"})
    SmsOutbox.objects.filter(pk=outbox.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.FAILED and "有效期" in outbox.last_error
    assert scripted_backend.calls == []


def test_login_code_is_not_retried_past_its_validity(scripted_backend):
    scripted_backend.outcomes.extend([down(), down()])
    outbox = queued("login_code", {"code": "123456"})
    sms_deliver(outbox.pk)  # retry in 1 minute: still inside the 5 minutes
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.PENDING
    make_due(outbox)
    sms_deliver(outbox.pk)  # the next retry would be 5 minutes later: the code is dead by then
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.FAILED and "有效期" in outbox.last_error


def test_no_second_send_while_one_is_in_flight(scripted_backend):
    # A second worker picking up the same message while the first is talking to the provider.
    outbox = queued()
    seen = []
    scripted_backend.during_send.append(lambda message: seen.append(sms_deliver(outbox.pk)))
    sms_deliver(outbox.pk)
    assert seen == [None]
    assert len(scripted_backend.calls) == 1


def test_sent_and_failed_messages_are_never_sent_again(scripted_backend):
    outbox = queued()
    sms_deliver(outbox.pk)
    for status in [SmsOutbox.Status.SENT, SmsOutbox.Status.FAILED]:
        SmsOutbox.objects.filter(pk=outbox.pk).update(status=status, next_attempt_at=None)
        assert sms_deliver(outbox.pk) is None
    assert sms_deliver(999999) is None
    assert len(scripted_backend.calls) == 1


def test_claim_is_a_compare_and_set(scripted_backend):
    outbox = queued()
    claimed = services._claim(outbox.pk)
    assert claimed.status == SmsOutbox.Status.SENDING
    assert services._claim(outbox.pk) is None


def test_retry_is_enqueued_for_its_time_when_the_backend_can_defer(scripted_backend, db_tasks):
    scripted_backend.outcomes.append(down())
    outbox = queued()
    DBTaskResult.objects.all().delete()
    sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [outbox.pk]
    assert task.run_after == outbox.next_attempt_at


def test_sweep_recovers_lost_tasks_and_dead_workers(scripted_backend, db_tasks):
    now = timezone.now()
    fresh, overdue, stale, stale_last, sending = (queued() for _ in range(5))
    SmsOutbox.objects.filter(pk=overdue.pk).update(next_attempt_at=now - datetime.timedelta(minutes=10))
    SmsOutbox.objects.filter(pk__in=[stale.pk, stale_last.pk, sending.pk]).update(
        status=SmsOutbox.Status.SENDING,
        next_attempt_at=None,
        attempts=1,
        sending_started_at=now - datetime.timedelta(minutes=30),
    )
    SmsOutbox.objects.filter(pk=stale_last.pk).update(attempts=MAX_ATTEMPTS)
    SmsOutbox.objects.filter(pk=sending.pk).update(sending_started_at=now - datetime.timedelta(seconds=30))
    DBTaskResult.objects.all().delete()

    assert sms_requeue_due(now) == 2
    enqueued = sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all())
    assert enqueued == sorted([overdue.pk, stale.pk])
    states = dict(SmsOutbox.objects.values_list("pk", "status"))
    assert states[stale.pk] == SmsOutbox.Status.PENDING
    assert states[stale_last.pk] == SmsOutbox.Status.FAILED
    assert states[sending.pk] == SmsOutbox.Status.SENDING  # a live worker is still on it
    assert states[fresh.pk] == SmsOutbox.Status.PENDING

    # The overdue row was moved to now, so the next sweep within the grace period leaves it alone.
    DBTaskResult.objects.all().delete()
    assert sms_requeue_due(now + datetime.timedelta(minutes=1)) == 0
    later = now + services.REQUEUE_GRACE + datetime.timedelta(seconds=5)
    assert sms_requeue_due(later) == 3  # fresh, overdue and stale are all past due by then

    for row in (overdue, stale):
        make_due(row)  # the sweeps above ran at future times
        sms_deliver(row.pk)
    assert {m.reference for m in scripted_backend.calls} == {str(overdue.pk), str(stale.pk)}


def test_sweep_is_registered_as_a_periodic_job():
    [job] = [job for job in registered_jobs() if job.name == "sms.requeue_due"]
    assert job.every == datetime.timedelta(minutes=1)
    assert job.task_path == "apps.sms.tasks.requeue_due_sms"


def test_tasks_call_the_services(scripted_backend):
    from apps.sms.tasks import deliver_sms, requeue_due_sms

    outbox = queued()
    assert deliver_sms.call(outbox.pk) == SmsOutbox.Status.SENT
    assert deliver_sms.call(outbox.pk) == "skipped"
    assert requeue_due_sms.call() == 0
