"""Real-name reporters prove their phone with an SMS code: 6 digits, valid 5 minutes, one send per
60 seconds, 5 tries per code (counted atomically, before the comparison). Only a keyed hash of
the code is kept, in the cache."""

import hmac
import logging
import math
import secrets

from django.core.cache import cache
from django.db import transaction

from apps.core.crypto import lookup_hash
from apps.public import clock, ratelimit
from apps.public.errors import PublicError, RateLimited
from apps.public.sessions import PublicSession
from apps.sms.errors import SmsError
from apps.sms.phones import normalize_phone, phone_hash
from apps.sms.services import sms_queue

CODE_DIGITS = 6
CODE_TTL = 5 * 60
RESEND_SECONDS = 60
MAX_TRIES = 5
VERIFIED_TTL = 60 * 60
PER_PHONE_HOUR, PER_PHONE_DAY, PER_CLIENT_HOUR, PER_SESSION = 5, 10, 20, 5
TOO_MANY_TRIES = "短信验证码错误次数过多，请重新获取。"
SEND_FAILED = "短信验证码暂时无法发送，请稍后再试，或选择匿名举报。"

logger = logging.getLogger(__name__)


def clean_phone(raw: str, field: str = "reporter_phone") -> str:
    try:
        return normalize_phone(raw)
    except SmsError as exc:
        raise PublicError(exc.message, field=field) from None


def _code_hash(session: PublicSession, phone: str, code: str) -> str:
    return lookup_hash(f"smscode:{session.sid}:{phone}:{code}")


def sms_code_send(*, session: PublicSession, phone: str, client: str) -> int:
    """Send a code to `phone` for this session. Returns the seconds before another may be sent."""
    phone = clean_phone(phone)
    ph = phone_hash(phone)
    now = clock.now()
    last = cache.get(f"pub:sms:last:{ph}")
    if last is not None and now - last < RESEND_SECONDS:
        wait = math.ceil(RESEND_SECONDS - (now - last))
        raise RateLimited(f"验证码已发送，请在{wait}秒后重新获取。", field="reporter_phone")
    busy = "获取验证码过于频繁，请稍后再试。"
    ratelimit.limit("sms-phone", ph, allowed=PER_PHONE_HOUR, window=ratelimit.HOUR, message=busy)
    ratelimit.limit("sms-phone", ph, allowed=PER_PHONE_DAY, window=ratelimit.DAY,
                    message="该手机号今日获取验证码次数已达上限，请明天再试。")
    ratelimit.limit("sms-client", client, allowed=PER_CLIENT_HOUR, window=ratelimit.HOUR, message=busy)
    ratelimit.limit("sms-session", session.sid, allowed=PER_SESSION, window=ratelimit.DAY, message=busy)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    try:
        with transaction.atomic():
            sms_queue(to=phone, template_code="phone_verify", context={"code": code})
    except SmsError:
        # The phone is already checked, so this is our configuration (a missing or broken
        # template), not the reporter's input: say so instead of answering with a server error.
        logger.exception("phone_verify SMS could not be queued")
        raise PublicError(SEND_FAILED, field="reporter_phone") from None
    cache.set(f"pub:sms:last:{ph}", now, RESEND_SECONDS)
    cache.set(session.cache_key("sms"), {"ph": ph, "h": _code_hash(session, phone, code),
                                         "exp": now + CODE_TTL}, CODE_TTL)
    return RESEND_SECONDS


def sms_code_check(*, session: PublicSession, phone: str, code: str) -> None:
    """Accept the code once; afterwards the phone counts as verified for this session."""
    phone = clean_phone(phone)
    if phone_verified(session, phone):
        return
    code = (code or "").strip()
    if not code:
        raise PublicError("请输入短信验证码。", field="sms_code")
    entry = _pending_code(session, phone)
    # The try is counted before the code is compared, atomically: parallel guesses cannot all
    # read "no tries yet" and so get more than MAX_TRIES comparisons.
    attempt = ratelimit.claim_attempt("sms-try", entry["h"][:32], allowed=MAX_TRIES, ttl=CODE_TTL)
    if attempt is None:
        cache.delete(session.cache_key("sms"))
        raise PublicError(TOO_MANY_TRIES, field="sms_code")
    well_formed = len(code) == CODE_DIGITS and code.isdigit()
    if not (well_formed and hmac.compare_digest(_code_hash(session, phone, code), entry["h"])):
        left = MAX_TRIES - attempt
        if left <= 0:
            cache.delete(session.cache_key("sms"))
            raise PublicError(TOO_MANY_TRIES, field="sms_code")
        raise PublicError(f"短信验证码不正确，还可尝试{left}次。", field="sms_code")
    cache.delete(session.cache_key("sms"))
    cache.set(session.cache_key("phone"), entry["ph"], VERIFIED_TTL)


def _pending_code(session: PublicSession, phone: str) -> dict:
    entry = cache.get(session.cache_key("sms"))
    if entry is None or entry["exp"] <= clock.now():
        raise PublicError("短信验证码已失效，请重新获取。", field="sms_code")
    if entry["ph"] != phone_hash(phone):
        raise PublicError("手机号码与接收验证码的号码不一致，请重新获取验证码。", field="sms_code")
    return entry


def phone_verified(session: PublicSession, phone: str) -> bool:
    return cache.get(session.cache_key("phone")) == phone_hash(phone)
