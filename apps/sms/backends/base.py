from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutgoingSms:
    """One message as a backend sees it. Console/file/locmem show `text`; cloud providers send
    their approved template `provider_template_id` filled with `params` (in Tencent's {1}, {2} order)."""

    to: str
    text: str
    template_code: str
    provider_template_id: str = ""
    params: dict[str, str] = field(default_factory=dict)
    reference: str = ""  # our outbox id, passed to the provider so its records can be matched to ours


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str


class SmsSendError(Exception):
    """A send that did not happen. retryable: the same message may succeed later (network, provider
    down, throttling, account or configuration an operator can fix). Not retryable: this message
    can never succeed (bad number, content refused), so retrying only wastes attempts."""

    def __init__(self, message: str, *, retryable: bool, code: str = ""):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" if self.code else self.message


class BaseSmsBackend:
    # The 【签名】 the provider puts in front of every message; console/file/locmem add none.
    sign_name = ""

    def send(self, message: OutgoingSms) -> SendResult:
        raise NotImplementedError


def require_template_id(message: OutgoingSms, provider: str) -> str:
    if not message.provider_template_id:
        # Retryable: the operator fills the id in 短信模板管理 and the next attempt goes out.
        raise SmsSendError(
            f"短信模板“{message.template_code}”未配置{provider}模板编号。",
            retryable=True,
            code="no_template_id",
        )
    return message.provider_template_id
