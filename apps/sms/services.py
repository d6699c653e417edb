"""Sending SMS: every message is written to the outbox first, then delivered by a task.

Why enqueue with transaction.on_commit and not inside the caller's transaction: django-tasks-db
would write its task row in the same transaction (atomic either way), but other task backends do
not: the ImmediateBackend would send before the caller commits, and send for a rolled-back
action too. on_commit is right for every backend. The one gap it leaves (process dies between
COMMIT and the enqueue) is closed by the periodic sms_requeue_due, which re-enqueues any pending
message whose time has passed, so a committed outbox row is never lost.

Delivery is at-least-once: a row is claimed (pending → sending) in a short transaction with
select_for_update(skip_locked) and a status check, so two workers never both claim it, and the
provider is called outside any transaction, so a slow provider holds no lock (SQLite locks the
whole database for writers). Only a worker that dies mid-call, or a provider timeout after it
accepted the message, can cause a duplicate; we prefer that to a lost message.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from apps.sms.backends import OutgoingSms, SmsSendError, get_backend
from apps.sms.errors import SmsError, TemplateNotFound, TemplateRenderError
from apps.sms.models import SmsOutbox, SmsTemplate
from apps.sms.phones import mask_phone, normalize_phone, phone_hash
from apps.sms.templating import clean_context

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Wait after the n-th failed attempt: covers a provider outage of about nine hours in total.
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
]
# A row still "sending" after this long belongs to a worker that died mid-send.
SENDING_STALE_AFTER = datetime.timedelta(minutes=10)
# A pending row this far past its time has probably lost its task (worker down, crash after commit).
REQUEUE_GRACE = datetime.timedelta(minutes=2)
REQUEUE_BATCH = 500
RELATED_MAX_LENGTH = SmsOutbox._meta.get_field("related").max_length


# Values that are their reader's secret: once a message is out or given up, its record keeps
# them masked. A login or phone code is useless after use; the reporter's 举报编码 is their key to
# the report, and nothing else in the system stores more of it than a keyed hash and its tail.
SECRET_PLACEHOLDERS = {
    "login_code": ("code",),
    "phone_verify": ("code",),
    "receipt_code": ("report_code",),
}
KEPT_TAIL = {"report_code": 4}  # the tail later messages name the report by (尾号1234)


def _masked(name: str, value: str) -> str:
    keep = KEPT_TAIL.get(name, 0)
    return "*" * (len(value) - keep) + (value[-keep:] if keep else "")


def forget_secrets(outbox: SmsOutbox) -> list[str]:
    """Mask the secret values of a finished message in its text and parameters; returns the
    fields changed (to save)."""
    names = [n for n in SECRET_PLACEHOLDERS.get(outbox.template_code, ()) if outbox.context.get(n)]
    if not names:
        return []
    context, text = outbox.context, outbox.text
    for name in names:
        value = str(context[name])
        context[name] = _masked(name, value)
        text = text.replace(value, context[name])
    outbox.context, outbox.text = context, text
    return ["context_json", "text"]


def sms_queue(*, to: str, template_code: str, context: dict, related: str = "") -> SmsOutbox:
    """Write one SMS to the outbox and deliver it once the caller's transaction commits.

    Raises SmsError (InvalidPhoneNumber, TemplateNotFound, TemplateRenderError) with a Chinese
    message before anything is written. A template switched off in 短信模板管理 does not raise,
    so it cannot block the business action: the row is recorded as failed with the reason.
    """
    phone = normalize_phone(to)
    template = SmsTemplate.objects.filter(code=template_code).first()
    if template is None:
        raise TemplateNotFound(f"短信模板“{template_code}”不存在。")
    unknown = sorted(set(context) - set(template.allowed_placeholders))
    if unknown:
        raise TemplateRenderError(f"短信模板“{template.code}”不支持参数：{'、'.join(unknown)}。")
    values = clean_context(template.text, context, template_code=template.code)
    if len(related) > RELATED_MAX_LENGTH:
        raise SmsError(f"关联对象标识不能超过{RELATED_MAX_LENGTH}个字符。")

    now = timezone.now()
    valid_for = datetime.timedelta(minutes=template.valid_minutes) if template.valid_minutes else None
    outbox = SmsOutbox(
        to_phone=phone,
        phone_hash=phone_hash(phone),
        template=template,
        template_code=template.code,
        text=template.render(values),
        related=related,
        expires_at=now + valid_for if valid_for else None,
    )
    outbox.context = values
    if template.is_active:
        outbox.status, outbox.next_attempt_at = SmsOutbox.Status.PENDING, now
    else:
        outbox.status, outbox.last_error = SmsOutbox.Status.FAILED, "短信模板已停用，未发送。"
        forget_secrets(outbox)
    outbox.save()
    if template.is_active:
        # robust: the caller's data is already committed; a failed enqueue is retried by the sweep.
        transaction.on_commit(lambda: _enqueue_delivery(outbox.pk), robust=True)
    return outbox


def sms_deliver(outbox_id: int) -> SmsOutbox | None:
    """One delivery attempt. Returns None when there is nothing to do: already sent or failed,
    not yet due, or claimed by another worker."""
    outbox = _claim(outbox_id)
    if outbox is None or outbox.status != SmsOutbox.Status.SENDING:
        return outbox
    template = outbox.template
    message = OutgoingSms(
        to=outbox.to_phone,
        text=outbox.text,
        template_code=outbox.template_code,
        provider_template_id=template.provider_template_id,
        params=template.ordered_params(outbox.context),
        reference=str(outbox.pk),
    )
    try:
        result = get_backend().send(message)
    except SmsSendError as exc:
        return _record_failure(outbox, str(exc), retryable=exc.retryable)
    except Exception as exc:  # an unexpected bug must not drop the message: keep it and retry
        logger.exception("SMS %s: unexpected error from the backend", outbox.pk)
        return _record_failure(outbox, f"{type(exc).__name__}: {exc}", retryable=True)
    outbox.status = SmsOutbox.Status.SENT
    outbox.sent_at = timezone.now()
    outbox.provider_message_id = result.provider_message_id[:100]
    outbox.last_error = ""
    secrets = forget_secrets(outbox)
    outbox.save(update_fields=["status", "sent_at", "provider_message_id", "last_error", *secrets])
    logger.info("SMS %s sent to %s (%s)", outbox.pk, mask_phone(outbox.to_phone), outbox.template_code)
    return outbox


def sms_requeue_due(now: datetime.datetime | None = None) -> int:
    """The safety net, run every minute: recover rows a dead worker left "sending", and enqueue
    pending rows well past their time. Returns how many deliveries were enqueued."""
    now = now or timezone.now()
    stale = SmsOutbox.objects.filter(status=SmsOutbox.Status.SENDING,
                                     sending_started_at__lt=now - SENDING_STALE_AFTER)
    interrupted = "发送过程中断（后台进程退出），"
    for given_up in stale.filter(attempts__gte=MAX_ATTEMPTS)[:REQUEUE_BATCH]:
        given_up.status, given_up.next_attempt_at = SmsOutbox.Status.FAILED, None
        given_up.last_error = interrupted + "已达最大发送次数。"
        secrets = forget_secrets(given_up)
        given_up.save(update_fields=["status", "next_attempt_at", "last_error", *secrets])
    recovered = list(stale.values_list("pk", flat=True)[:REQUEUE_BATCH])
    SmsOutbox.objects.filter(pk__in=recovered, status=SmsOutbox.Status.SENDING).update(
        status=SmsOutbox.Status.PENDING, next_attempt_at=now, last_error=interrupted + "重新发送。")

    overdue = list(
        SmsOutbox.objects.filter(status=SmsOutbox.Status.PENDING, next_attempt_at__lte=now - REQUEUE_GRACE)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    # Moving next_attempt_at to now means a row whose task is merely waiting in a long queue is
    # enqueued again at most once per grace period, not once per sweep.
    SmsOutbox.objects.filter(pk__in=overdue, status=SmsOutbox.Status.PENDING).update(next_attempt_at=now)
    due = recovered + overdue
    for pk in due:
        _enqueue_delivery(pk)
    return len(due)


def retry_delay(attempts: int) -> datetime.timedelta:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def _claim(outbox_id: int) -> SmsOutbox | None:
    now = timezone.now()
    with transaction.atomic():
        outbox = (
            SmsOutbox.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, status=SmsOutbox.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if outbox is None:
            return None
        if outbox.expires_at and outbox.expires_at <= now:
            outbox.status, outbox.next_attempt_at = SmsOutbox.Status.FAILED, None
            outbox.last_error = "超过有效期仍未发出，不再发送。"
            secrets = forget_secrets(outbox)
            outbox.save(update_fields=["status", "next_attempt_at", "last_error", *secrets])
            return outbox
        # Compare-and-set on the status as well as the row lock: correct even where
        # select_for_update is a no-op (SQLite relies on its IMMEDIATE write lock instead).
        claimed = SmsOutbox.objects.filter(pk=outbox.pk, status=SmsOutbox.Status.PENDING).update(
            status=SmsOutbox.Status.SENDING, attempts=outbox.attempts + 1, sending_started_at=now,
            next_attempt_at=None,
        )
        if not claimed:
            return None
    outbox.status, outbox.attempts = SmsOutbox.Status.SENDING, outbox.attempts + 1
    outbox.sending_started_at, outbox.next_attempt_at = now, None
    return outbox


def _record_failure(outbox: SmsOutbox, error: str, *, retryable: bool) -> SmsOutbox:
    now = timezone.now()
    outbox.last_error = error[:1000]
    next_attempt = now + retry_delay(outbox.attempts)
    if not retryable:
        outbox.status, outbox.next_attempt_at = SmsOutbox.Status.FAILED, None
    elif outbox.attempts >= MAX_ATTEMPTS:
        outbox.status, outbox.next_attempt_at = SmsOutbox.Status.FAILED, None
        outbox.last_error = f"已发送{outbox.attempts}次均失败：{error}"[:1000]
    elif outbox.expires_at and next_attempt >= outbox.expires_at:
        outbox.status, outbox.next_attempt_at = SmsOutbox.Status.FAILED, None
        outbox.last_error = f"重试前已超过有效期，不再发送：{error}"[:1000]
    else:
        outbox.status, outbox.next_attempt_at = SmsOutbox.Status.PENDING, next_attempt
    secrets = forget_secrets(outbox) if outbox.status == SmsOutbox.Status.FAILED else []
    outbox.save(update_fields=["status", "next_attempt_at", "last_error", *secrets])
    logger.warning("SMS %s to %s: attempt %s failed (%s), now %s", outbox.pk, mask_phone(outbox.to_phone),
                   outbox.attempts, error, outbox.status)
    if outbox.status == SmsOutbox.Status.PENDING:
        _enqueue_delivery(outbox.pk, run_after=outbox.next_attempt_at)
    return outbox


def _enqueue_delivery(outbox_id: int, run_after: datetime.datetime | None = None) -> None:
    from apps.sms.tasks import deliver_sms  # tasks import this module

    if run_after is not None:
        if not deliver_sms.get_backend().supports_defer:
            return  # e.g. the ImmediateBackend: the periodic sweep delivers it when due
        deliver_sms.using(run_after=run_after).enqueue(outbox_id)
    else:
        deliver_sms.enqueue(outbox_id)
