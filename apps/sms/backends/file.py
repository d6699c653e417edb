import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult, SmsSendError


class FileBackend(BaseSmsBackend):
    """Appends one JSON line per message to SMS_FILE_PATH/sms-YYYYMMDD.jsonl (staging, demos).

    The lines hold phone numbers and codes, so the directory and files are owner-only. Each line
    is a single O_APPEND write, so several workers can share a file without interleaving.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.directory = Path(path or settings.SMS_FILE_PATH)

    def send(self, message: OutgoingSms) -> SendResult:
        now = timezone.localtime()
        message_id = f"file-{uuid.uuid4().hex}"
        record = {
            "id": message_id,
            "time": now.isoformat(),
            "to": message.to,
            "template": message.template_code,
            "provider_template_id": message.provider_template_id,
            "params": message.params,
            "text": message.text,
            "reference": message.reference,
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            target = self.directory / f"sms-{now:%Y%m%d}.jsonl"
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        except OSError as exc:
            raise SmsSendError(f"写入短信文件失败：{exc}", retryable=True, code="file_error") from exc
        return SendResult(provider_message_id=message_id)
