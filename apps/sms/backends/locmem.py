import uuid

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult

# Like django.core.mail.outbox: tests read what was "sent" here. Clear it between tests.
outbox: list[OutgoingSms] = []


class LocmemBackend(BaseSmsBackend):
    def send(self, message: OutgoingSms) -> SendResult:
        outbox.append(message)
        return SendResult(provider_message_id=f"locmem-{uuid.uuid4().hex}")
