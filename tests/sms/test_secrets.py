"""A finished message keeps no secret: login and phone codes and the reporter's 举报编码 are
masked in the outbox once sent or given up (the code's tail stays: later messages name the report
by it), while pending messages and every other template keep their text."""

import io
import json

import pytest
from django.core.management import call_command

from apps.sms.models import SmsOutbox, SmsTemplate
from apps.sms.services import MAX_ATTEMPTS, forget_secrets, sms_deliver, sms_queue, sms_requeue_due
from tests.sms.test_delivery import down, make_due

pytestmark = pytest.mark.django_db

REPORT_CODE = "8301274465019923"


def _receipt() -> SmsOutbox:
    return sms_queue(to="13812345678", template_code="receipt_code", context={"report_code": REPORT_CODE})


def test_a_sent_receipt_keeps_only_the_tail_of_the_report_code(sms_locmem):
    outbox = _receipt()
    assert REPORT_CODE in outbox.text  # pending: the text still has to be sent
    sms_deliver(outbox.pk)
    [message] = sms_locmem
    assert REPORT_CODE in message.text  # the reporter received the whole code
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.SENT
    assert REPORT_CODE not in outbox.text and REPORT_CODE not in outbox.context_json
    assert outbox.context["report_code"] == "*" * 12 + "9923" and "************9923" in outbox.text
    out = io.StringIO()
    call_command("sms_outbox", stdout=out)
    assert REPORT_CODE not in out.getvalue() and "9923" in out.getvalue()


@pytest.mark.parametrize("template_code", ["login_code", "phone_verify"])
def test_a_sent_code_is_masked_whole(template_code):
    outbox = sms_queue(to="13812345678", template_code=template_code, context={"code": "482913"})
    sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    assert "482913" not in outbox.text and outbox.context == {"code": "******"}


def test_a_message_given_up_is_masked_too(scripted_backend):
    scripted_backend.outcomes.extend(down() for _ in range(MAX_ATTEMPTS))
    outbox = _receipt()
    for _ in range(MAX_ATTEMPTS):
        make_due(outbox)
        sms_deliver(outbox.pk)
        outbox.refresh_from_db()
        # Still to be retried: the text must stay whole until then.
        assert (REPORT_CODE in outbox.text) == (outbox.status == SmsOutbox.Status.PENDING)
    assert outbox.status == SmsOutbox.Status.FAILED and REPORT_CODE not in outbox.text


def test_a_receipt_through_a_switched_off_template_is_recorded_masked():
    SmsTemplate.objects.filter(code="receipt_code").update(is_active=False)
    outbox = _receipt()
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.FAILED and REPORT_CODE not in outbox.text


def test_a_sending_row_abandoned_by_a_dead_worker_is_masked_when_given_up():
    import datetime

    from django.utils import timezone

    outbox = _receipt()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    SmsOutbox.objects.filter(pk=outbox.pk).update(
        status=SmsOutbox.Status.SENDING, attempts=MAX_ATTEMPTS, sending_started_at=long_ago
    )
    sms_requeue_due()
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.FAILED and REPORT_CODE not in outbox.text


def test_other_messages_keep_their_text():
    outbox = sms_queue(to="13812345678", template_code="closed",
                       context={"report_code": "尾号9923", "result": "查证属实"})
    assert forget_secrets(outbox) == []
    sms_deliver(outbox.pk)
    outbox.refresh_from_db()
    assert json.loads(outbox.context_json)["report_code"] == "尾号9923" and "尾号9923" in outbox.text
