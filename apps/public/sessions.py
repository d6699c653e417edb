"""The reporter's visit (web form session or mini-program client key), without cookies or a row.

A session is a signed token the server issues when it shows the 举报须知: it holds a random id,
the channel, when the notice was shown and when it was acknowledged. The signature means a
client cannot backdate either time, and no database row is written for a visitor who never
reports. What must change during the visit (captcha passed, phone verified, report submitted)
lives in the cache under the session id, for a limited time only.
"""

import secrets
from dataclasses import dataclass, replace

from django.core import signing

from apps.public import clock
from apps.public.errors import PublicError, SessionInvalid

SALT = "apps.public.session"
MAX_AGE_SECONDS = 6 * 3600
NOTICE_MIN_SECONDS = 15
CHANNELS = ("web", "miniprogram")


@dataclass(frozen=True)
class PublicSession:
    sid: str
    channel: str
    shown_at: float
    acknowledged_at: float | None = None

    @property
    def token(self) -> str:
        payload = {"s": self.sid, "c": self.channel, "t": self.shown_at, "a": self.acknowledged_at}
        return signing.dumps(payload, salt=SALT)

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None and self.acknowledged_at - self.shown_at >= NOTICE_MIN_SECONDS

    def cache_key(self, name: str) -> str:
        return f"pub:{self.sid}:{name}"


def session_start(channel: str) -> PublicSession:
    if channel not in CHANNELS:
        raise ValueError(channel)
    return PublicSession(sid=secrets.token_urlsafe(18), channel=channel, shown_at=round(clock.now(), 3))


def session_load(token: str | None, *, channel: str) -> PublicSession:
    """The session a token stands for; SessionInvalid when it is forged, expired or of another channel."""
    expired = SessionInvalid("页面已过期，请重新阅读举报须知后再举报。" if channel == "web"
                             else "客户端密钥无效或已过期，请重新获取。")
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is a subclass
        raise expired from None
    try:
        acknowledged = None if payload["a"] is None else float(payload["a"])
        session = PublicSession(sid=str(payload["s"]), channel=str(payload["c"]),
                                shown_at=float(payload["t"]), acknowledged_at=acknowledged)
    except (KeyError, TypeError, ValueError):
        raise expired from None
    if session.channel != channel:
        raise expired
    return session


def session_acknowledge(session: PublicSession) -> PublicSession:
    """【我已阅读以上条款】: refused until the notice has been shown for NOTICE_MIN_SECONDS."""
    if session.acknowledged:
        return session
    waited = clock.now() - session.shown_at
    if waited < NOTICE_MIN_SECONDS:
        remaining = max(1, int(NOTICE_MIN_SECONDS - waited + 0.999))
        message = f"请仔细阅读举报须知（至少{NOTICE_MIN_SECONDS}秒），还需{remaining}秒后方可继续举报。"
        raise PublicError(message, field="notice")
    return replace(session, acknowledged_at=round(clock.now(), 3))


def ensure_acknowledged(session: PublicSession) -> None:
    if not session.acknowledged:
        message = f"请先阅读举报须知（至少{NOTICE_MIN_SECONDS}秒）并点击【我已阅读以上条款】后再提交举报。"
        raise PublicError(message, field="notice")
