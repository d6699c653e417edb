import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from apps.sms.models import SmsOutbox
from apps.sms.services import sms_deliver, sms_queue

pytestmark = pytest.mark.django_db


def run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("sms_outbox", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def three_messages():
    first = sms_queue(to="13812345678", template_code="login_code", context={"code": "111111"})
    second = sms_queue(
        to="13900000000", template_code="accepted", context={"report_code": "SM2"}, related="report:2"
    )
    third = sms_queue(to="13812345678", template_code="login_code", context={"code": "333333"})
    # Distinct creation times, oldest first, independent of clock resolution.
    base = timezone.now() - datetime.timedelta(hours=1)
    for minutes, row in enumerate([first, second, third]):
        SmsOutbox.objects.filter(pk=row.pk).update(created_at=base + datetime.timedelta(minutes=minutes))
    sms_deliver(second.pk)
    return first, second, third


def test_prints_decrypted_json_lines_newest_first(three_messages):
    first, second, third = three_messages
    rows = run()
    assert [row["id"] for row in rows] == [third.pk, second.pk, first.pk]
    assert rows[0]["to"] == "13812345678"
    assert rows[0]["template"] == "login_code"
    assert rows[0]["text"] == "您的登录验证码为333333，5分钟内有效。如非本人操作，请忽略本短信。"
    assert rows[0]["status"] == "pending"
    assert rows[1]["status"] == "sent" and rows[1]["related"] == "report:2" and rows[1]["sent"]
    assert rows[2]["created"].endswith("+08:00")  # operators read local (Beijing) time


def test_filters(three_messages):
    first, second, third = three_messages
    assert [row["id"] for row in run("--status", "sent")] == [second.pk]
    assert [row["id"] for row in run("--limit", "1")] == [third.pk]
    assert [row["id"] for row in run("--to", "13812345678")] == [third.pk, first.pk]
    assert [row["id"] for row in run("--to", "13812345678", "--status", "pending", "--limit", "1")] == [
        third.pk
    ]
    assert run("--to", "13700000000") == []


def test_bad_options_are_refused_in_chinese():
    with pytest.raises(CommandError, match="手机号码格式不正确"):
        run("--to", "12345")
    with pytest.raises(CommandError, match="正整数"):
        run("--limit", "0")
    with pytest.raises(CommandError):
        run("--status", "lost")


def test_help_warns_about_personal_data():
    from apps.sms.management.commands.sms_outbox import Command

    assert "个人信息" in Command.help
