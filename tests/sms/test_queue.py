import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from apps.core.crypto import lookup_hash
from apps.sms.errors import InvalidPhoneNumber, TemplateNotFound, TemplateRenderError
from apps.sms.models import SmsOutbox, SmsTemplate
from apps.sms.services import sms_queue

pytestmark = pytest.mark.django_db

CLOSED = {"report_code": "SM20240001", "result": "查证属实，已责令整改"}


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "1381234567",
        "138123456789",
        "12812345678",
        "+8613812345678",
        "1381234567a",
        "１３８１２３４５６７８",
        "13８１２３４５６７８",  # \d would take the full-width digits after an ASCII "13"
        "138 1234 5678",
    ],
)
def test_bad_phone_is_refused_and_nothing_is_written(phone, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(InvalidPhoneNumber, match="手机号码"),
    ):
        sms_queue(to=phone, template_code="closed", context=CLOSED)
    assert not SmsOutbox.objects.exists() and callbacks == []


def test_surrounding_spaces_are_tolerated():
    assert sms_queue(to=" 13812345678 ", template_code="closed", context=CLOSED).to_phone == "13812345678"


@pytest.mark.parametrize(
    ("code", "context", "error", "message"),
    [
        ("no_such", CLOSED, TemplateNotFound, "短信模板“no_such”不存在"),
        ("closed", {"report_code": "SM1"}, TemplateRenderError, "缺少参数：result"),
        ("closed", {**CLOSED, "reporter_name": "张三"}, TemplateRenderError, "不支持参数：reporter_name"),
        ("closed", {**CLOSED, "result": " "}, TemplateRenderError, "参数result不能为空"),
    ],
)
def test_bad_template_or_context_is_refused(code, context, error, message):
    with pytest.raises(error, match=message):
        sms_queue(to="13812345678", template_code=code, context=context)
    assert not SmsOutbox.objects.exists()


def test_too_long_related_is_refused():
    with pytest.raises(Exception, match="关联对象标识"):
        sms_queue(to="13812345678", template_code="closed", context=CLOSED, related="r" * 101)


def test_queue_writes_a_pending_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        outbox = sms_queue(to="13812345678", template_code="closed", context=CLOSED, related="report:7")
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.PENDING
    assert (
        outbox.text
        == "您的举报（编码SM20240001）已办结，处理结果：查证属实，已责令整改。感谢您对安全生产工作的支持。"
    )
    assert outbox.context == CLOSED
    assert outbox.template.code == outbox.template_code == "closed"
    assert outbox.phone_hash == lookup_hash("phone:13812345678")  # same convention as apps.reports
    assert outbox.related == "report:7" and outbox.attempts == 0
    assert outbox.next_attempt_at is not None and outbox.expires_at is None
    assert len(callbacks) == 1


def test_login_code_expires_with_its_validity(django_capture_on_commit_callbacks):
    outbox = sms_queue(to="13812345678", template_code="login_code", context={"code": "123456"})
    assert (outbox.expires_at - outbox.created_at).total_seconds() == pytest.approx(300, abs=1)


def test_switched_off_template_records_a_failure_without_blocking_the_caller(
    django_capture_on_commit_callbacks,
):
    SmsTemplate.objects.filter(code="closed").update(is_active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        outbox = sms_queue(to="13812345678", template_code="closed", context=CLOSED)
    assert outbox.status == SmsOutbox.Status.FAILED and "停用" in outbox.last_error
    assert callbacks == []


def test_encrypted_at_rest():
    sms_queue(to="13812345678", template_code="login_code", context={"code": "864213"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_phone, phone_hash, context_json, text FROM sms_smsoutbox")
        raw = cursor.fetchone()
    blob = " ".join(raw)
    assert "13812345678" not in blob and "1381234" not in blob
    assert "864213" not in blob and "验证码" not in blob
    assert all(value.startswith("sm4gcm:") for value in (raw[0], raw[2], raw[3]))
    outbox = SmsOutbox.objects.get()
    assert outbox.to_phone == "13812345678" and outbox.context == {"code": "864213"}


def test_find_messages_by_phone_hash_not_by_plaintext():
    from django.core.exceptions import FieldError

    sms_queue(to="13812345678", template_code="closed", context=CLOSED)
    sms_queue(to="13900000000", template_code="closed", context=CLOSED)
    assert SmsOutbox.objects.filter(phone_hash=lookup_hash("phone:13812345678")).count() == 1
    with pytest.raises(FieldError, match="lookup_hash"):
        SmsOutbox.objects.filter(to_phone="13812345678")
    with pytest.raises(FieldError):
        SmsOutbox.objects.filter(to_phone__startswith="138")
    # Empty stays empty when encrypted, so comparing with "" is meaningful and allowed.
    assert SmsOutbox.objects.filter(to_phone="").count() == 0
    assert SmsOutbox.objects.filter(to_phone__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_rollback_leaves_no_sms_and_no_task(db_tasks, seed_templates):
    with pytest.raises(RuntimeError), transaction.atomic():
        sms_queue(to="13812345678", template_code="closed", context=CLOSED)
        raise RuntimeError("the business action failed")
    assert not SmsOutbox.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_task_is_enqueued_only_after_commit(db_tasks, seed_templates):
    with transaction.atomic():
        outbox = sms_queue(to="13812345678", template_code="closed", context=CLOSED)
        assert not DBTaskResult.objects.exists()  # not before the caller commits
    task = DBTaskResult.objects.get()
    assert task.task_path == "apps.sms.tasks.deliver_sms"
    assert task.args_kwargs == {"args": [outbox.pk], "kwargs": {}}


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_what_was_committed(db_tasks, seed_templates, sms_locmem):
    from django.core.management import call_command

    with transaction.atomic():
        outbox = sms_queue(to="13812345678", template_code="closed", context=CLOSED, related="report:1")
    call_command("run_worker", "--batch", "--interval", "0")
    outbox.refresh_from_db()
    assert outbox.status == SmsOutbox.Status.SENT and outbox.sent_at and outbox.provider_message_id
    assert [(m.to, m.text, m.reference) for m in sms_locmem] == [("13812345678", outbox.text, str(outbox.pk))]


@pytest.mark.django_db(transaction=True)
def test_with_the_immediate_backend_sending_still_waits_for_commit(
    immediate_tasks, seed_templates, sms_locmem
):
    with transaction.atomic():
        sms_queue(to="13812345678", template_code="closed", context=CLOSED)
        assert sms_locmem == []
    assert len(sms_locmem) == 1
    assert SmsOutbox.objects.get().status == SmsOutbox.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_with_the_immediate_backend_rollback_sends_nothing(immediate_tasks, seed_templates, sms_locmem):
    with pytest.raises(RuntimeError), transaction.atomic():
        sms_queue(to="13812345678", template_code="closed", context=CLOSED)
        raise RuntimeError
    assert sms_locmem == [] and not SmsOutbox.objects.exists()
