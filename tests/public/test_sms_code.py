import pytest

from apps.public.errors import PublicError, RateLimited
from apps.public.sessions import session_start
from apps.public.smscode import MAX_TRIES, phone_verified, sms_code_check, sms_code_send
from apps.sms.models import SmsOutbox


def sent_code() -> str:
    return SmsOutbox.objects.filter(template_code="phone_verify").latest("id").context["code"]


def test_code_is_six_digits_and_stored_only_hashed(db, server_clock):
    session = session_start("web")
    assert sms_code_send(session=session, phone="13912345678", client="c") == 60
    code = sent_code()
    assert len(code) == 6 and code.isdigit()
    from django.core.cache import cache

    entry = cache.get(session.cache_key("sms"))
    assert code not in str(entry) and "13912345678" not in str(entry)


def test_resend_waits_60_seconds(db, server_clock):
    session = session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    server_clock.advance(30)
    with pytest.raises(RateLimited, match="30秒后重新获取"):
        sms_code_send(session=session, phone="13912345678", client="c")
    server_clock.advance(31)
    sms_code_send(session=session, phone="13912345678", client="c")
    assert SmsOutbox.objects.filter(template_code="phone_verify").count() == 2


def test_code_expires_after_5_minutes(db, server_clock):
    session = session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    server_clock.advance(301)
    with pytest.raises(PublicError, match="已失效"):
        sms_code_check(session=session, phone="13912345678", code=sent_code())


def test_limited_attempts(db, server_clock):
    session = session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for left in range(MAX_TRIES - 1, 0, -1):
        with pytest.raises(PublicError, match=f"还可尝试{left}次"):
            sms_code_check(session=session, phone="13912345678", code=wrong)
    with pytest.raises(PublicError, match="错误次数过多"):
        sms_code_check(session=session, phone="13912345678", code=wrong)
    with pytest.raises(PublicError, match="已失效"):  # even the right code is void now
        sms_code_check(session=session, phone="13912345678", code=code)


def test_code_is_bound_to_phone_and_session(db, server_clock):
    session, other = session_start("web"), session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    code = sent_code()
    with pytest.raises(PublicError, match="不一致"):
        sms_code_check(session=session, phone="13900000000", code=code)
    with pytest.raises(PublicError):
        sms_code_check(session=other, phone="13912345678", code=code)
    sms_code_check(session=session, phone="13912345678", code=code)
    assert phone_verified(session, "13912345678") and not phone_verified(other, "13912345678")


def test_bad_phone_is_refused_before_anything_is_sent(db):
    with pytest.raises(PublicError, match="手机号码格式不正确"):
        sms_code_send(session=session_start("web"), phone="12345", client="c")
    assert not SmsOutbox.objects.exists()
