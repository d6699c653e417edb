import time

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


def test_parallel_guesses_get_no_more_than_the_allowed_tries(db, server_clock, monkeypatch):
    """The audit's probe: many wrong guesses at once, each cache read slowed down. A read-compare-
    write count let every one of them be compared; now only MAX_TRIES are."""
    import threading

    from django.core.cache import cache as real_cache

    from apps.public import smscode

    session = session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"

    class SlowCache:
        def __getattr__(self, name):
            return getattr(real_cache, name)

        def get(self, *args, **kwargs):
            value = real_cache.get(*args, **kwargs)
            time.sleep(0.02)
            return value

    monkeypatch.setattr(smscode, "cache", SlowCache())
    guesses = 20
    start = threading.Barrier(guesses)
    answers = []

    def guess():
        start.wait()
        try:
            sms_code_check(session=session, phone="13912345678", code=wrong)
        except PublicError as exc:
            answers.append(exc.message)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    compared = [a for a in answers if "还可尝试" in a]
    assert len(answers) == guesses and len(compared) == MAX_TRIES - 1
    assert sorted(compared) == sorted(f"短信验证码不正确，还可尝试{n}次。" for n in range(1, MAX_TRIES))
    with pytest.raises(PublicError):  # the right code comes too late
        sms_code_check(session=session, phone="13912345678", code=code)
    assert not phone_verified(session, "13912345678")


def test_the_right_code_on_the_last_try_is_accepted(db, server_clock):
    session = session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(PublicError, match="还可尝试"):
            sms_code_check(session=session, phone="13912345678", code=wrong)
    sms_code_check(session=session, phone="13912345678", code=code)
    assert phone_verified(session, "13912345678")


def test_a_new_code_gets_fresh_tries(db, server_clock):
    session = session_start("web")
    sms_code_send(session=session, phone="13912345678", client="c")
    wrong = "000000" if sent_code() != "000000" else "111111"
    for _ in range(MAX_TRIES):
        with pytest.raises(PublicError):
            sms_code_check(session=session, phone="13912345678", code=wrong)
    server_clock.advance(61)
    sms_code_send(session=session, phone="13912345678", client="c")
    sms_code_check(session=session, phone="13912345678", code=sent_code())
    assert phone_verified(session, "13912345678")


def test_a_code_that_cannot_be_queued_is_a_chinese_refusal(db, server_clock):
    from apps.sms.models import SmsTemplate

    SmsTemplate.objects.filter(code="phone_verify").delete()
    with pytest.raises(PublicError, match="短信验证码暂时无法发送"):
        sms_code_send(session=session_start("web"), phone="13912345678", client="c")
