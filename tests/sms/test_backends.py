import io
import json
import os
import stat
import threading

import pytest
from django.utils import timezone

from apps.sms.backends import OutgoingSms, get_backend
from apps.sms.backends.console import ConsoleBackend
from apps.sms.backends.file import FileBackend
from apps.sms.backends.locmem import LocmemBackend

MESSAGE = OutgoingSms(
    to="13812345678",
    text="您的登录验证码为123456，5分钟内有效。",
    template_code="login_code",
    provider_template_id="SMS_1",
    params={"code": "123456"},
    reference="9",
)


def test_get_backend_follows_settings(settings):
    settings.SMS_BACKEND = "apps.sms.backends.file.FileBackend"
    assert isinstance(get_backend(), FileBackend)
    settings.SMS_BACKEND = "apps.sms.backends.locmem.LocmemBackend"
    assert isinstance(get_backend(), LocmemBackend)


def test_console_prints_the_whole_message(settings, capsys):
    settings.SMS_BACKEND = "apps.sms.backends.console.ConsoleBackend"
    result = get_backend().send(MESSAGE)
    out = capsys.readouterr().out
    assert "13812345678" in out and "login_code" in out
    assert "您的登录验证码为123456，5分钟内有效。" in out
    assert result.provider_message_id.startswith("console-") and result.provider_message_id in out


def test_console_messages_do_not_interleave():
    stream = io.StringIO()
    backend = ConsoleBackend(stream=stream)
    threads = [threading.Thread(target=backend.send, args=(MESSAGE,)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    blocks = stream.getvalue().split("-" * 40 + "\n")
    assert len([b for b in blocks if b]) == 20
    assert all(b.count("\n") == 2 for b in blocks if b)


def test_file_appends_json_lines_owner_only(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.SMS_BACKEND = "apps.sms.backends.file.FileBackend"
    first = get_backend().send(MESSAGE)
    second = get_backend().send(OutgoingSms(to="13900000000", text="第二条", template_code="accepted"))
    files = list((tmp_path / "sms").iterdir())
    assert [f.name for f in files] == [f"sms-{timezone.localdate():%Y%m%d}.jsonl"]
    lines = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [first.provider_message_id, second.provider_message_id]
    assert lines[0]["to"] == "13812345678"
    assert lines[0]["text"] == MESSAGE.text
    assert lines[0]["params"] == {"code": "123456"} and lines[0]["reference"] == "9"
    assert lines[1]["template"] == "accepted"
    # Phone numbers and codes: readable by the service account only.
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "sms").st_mode) == 0o700


def test_file_write_failure_is_a_retryable_send_error(tmp_path):
    from apps.sms.backends import SmsSendError

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(SmsSendError) as caught:
        FileBackend(path=blocker).send(MESSAGE)
    assert caught.value.retryable


def test_locmem_collects_messages(sms_locmem):
    result = get_backend().send(MESSAGE)
    assert sms_locmem == [MESSAGE]
    assert result.provider_message_id.startswith("locmem-")
