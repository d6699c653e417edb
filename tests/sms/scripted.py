"""A real backend for tests of the delivery state machine: each send takes the next outcome from
`outcomes` (None = success, an exception instance = raised) and records what it was asked to send."""

import uuid
from collections.abc import Callable

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult

outcomes: list[BaseException | None] = []
calls: list[OutgoingSms] = []
during_send: list[Callable[[OutgoingSms], None]] = []


def reset() -> None:
    outcomes.clear()
    calls.clear()
    during_send.clear()


class ScriptedBackend(BaseSmsBackend):
    def send(self, message: OutgoingSms) -> SendResult:
        calls.append(message)
        for hook in list(during_send):
            hook(message)
        outcome = outcomes.pop(0) if outcomes else None
        if outcome is not None:
            raise outcome
        return SendResult(provider_message_id=f"scripted-{uuid.uuid4().hex}")
