"""Public captchas: single use, a humane lifetime, and "expired" told apart from "wrong"."""

import datetime

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone

from apps.public.actions import require_captcha
from apps.public.captcha import EXPIRED, OK, PUBLIC_CAPTCHA_MINUTES, WRONG, captcha_new, captcha_verify
from apps.public.errors import PublicError
from tests.public.test_web_submit import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_answers(settings):
    settings.CAPTCHA_TEST_MODE = False  # "PASSED" would skip the expiry


def _answer(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def test_a_public_captcha_lives_half_an_hour_and_is_single_use():
    captcha = captcha_new()
    expiration = CaptchaStore.objects.get(hashkey=captcha.key).expiration
    assert PUBLIC_CAPTCHA_MINUTES >= 30
    assert expiration - timezone.now() > datetime.timedelta(minutes=PUBLIC_CAPTCHA_MINUTES - 1)
    answer = _answer(captcha.key)
    assert captcha_verify(captcha.key, answer.upper()) == OK
    assert captcha_verify(captcha.key, answer) == EXPIRED  # used up


def test_expired_and_wrong_answers_are_told_apart():
    wrong, late = captcha_new(), captcha_new()
    assert captcha_verify(wrong.key, "nope") == WRONG
    store = CaptchaStore.objects.get(hashkey=late.key)
    CaptchaStore.objects.filter(pk=store.pk).update(expiration=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(PublicError, match="图形验证码已过期，请点击图片刷新后重新输入"):
        require_captcha(late.key, store.response)
    # Purged after expiry (the staff login form purges expired captchas): also "expired".
    with pytest.raises(PublicError, match="已过期"):
        require_captcha("no-such-key", "abcd")
    with pytest.raises(PublicError, match="图形验证码不正确"):
        require_captcha(captcha_new().key, "nope")


def test_a_reporter_who_writes_for_20_minutes_is_not_refused(client, country, form_session):
    session = form_session()
    captcha = captcha_new()
    CaptchaStore.objects.filter(hashkey=captcha.key).update(
        expiration=timezone.now() + datetime.timedelta(minutes=PUBLIC_CAPTCHA_MINUTES - 20)
    )  # as if the form had been opened 20 minutes ago
    response = submit(client, session, captcha_key=captcha.key, captcha_answer=_answer(captcha.key))
    assert response.status_code == 200, response.content.decode()


def test_an_expired_captcha_on_the_web_form_says_so(client, country, form_session):
    session = form_session()
    captcha = captcha_new()
    answer = _answer(captcha.key)
    CaptchaStore.objects.filter(hashkey=captcha.key).update(expiration=timezone.now())
    response = submit(client, session, captcha_key=captcha.key, captcha_answer=answer)
    html = response.content.decode()
    assert response.status_code == 400 and "图形验证码已过期" in html and "图形验证码不正确" not in html
