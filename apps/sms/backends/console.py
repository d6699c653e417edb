import sys
import threading
import uuid

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult

_lock = threading.Lock()


class ConsoleBackend(BaseSmsBackend):
    """Development default: prints each message, so a login code can be read off the terminal.
    Production refuses to start without an explicit SMS_BACKEND, so this never runs there."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, message: OutgoingSms) -> SendResult:
        message_id = f"console-{uuid.uuid4().hex}"
        stream = self.stream or sys.stdout
        with _lock:  # whole messages, even with several threads printing
            stream.write(
                f"[短信] 收件人：{message.to}  模板：{message.template_code}  编号：{message_id}\n"
                f"{message.text}\n{'-' * 40}\n"
            )
            stream.flush()
        return SendResult(provider_message_id=message_id)
