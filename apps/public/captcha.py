"""The image captcha (django-simple-captcha's store and images), checked here so that every
captcha is single-use: a wrong answer burns it too, so guessing needs a new image every time.

Public captchas live PUBLIC_CAPTCHA_MINUTES, not the library's CAPTCHA_TIMEOUT (5 minutes, kept
for the staff login): the anonymous form shows its captcha when it opens, and a reporter who
writes for longer must not be refused and lose the chosen attachments for it.

CAPTCHA_TEST_MODE (settings; refused unless DEBUG or tests) makes "PASSED" an accepted answer.
"""

import datetime
from dataclasses import dataclass

from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

PUBLIC_CAPTCHA_MINUTES = 30
OK, WRONG, EXPIRED = "ok", "wrong", "expired"


@dataclass(frozen=True)
class Captcha:
    key: str
    image_url: str


def captcha_new() -> Captcha:
    challenge, response = captcha_settings.get_challenge()()
    expiration = timezone.now() + datetime.timedelta(minutes=PUBLIC_CAPTCHA_MINUTES)
    store = CaptchaStore.objects.create(challenge=challenge, response=response, expiration=expiration)
    return Captcha(key=store.hashkey, image_url=reverse("captcha-image", args=[store.hashkey]))


def captcha_verify(key: str | None, answer: str | None) -> str:
    """OK, WRONG or EXPIRED; the captcha is used up either way.

    A key that is no longer stored counts as expired: the pages replace a used captcha with a new
    one, so a reporter who sends an unknown key has almost always sent one purged after expiry."""
    key = (key or "").strip()[:40]
    answer = (answer or "").strip().lower()
    if not key or not answer:
        return WRONG
    if getattr(settings, "CAPTCHA_TEST_MODE", False) and answer == "passed":
        CaptchaStore.objects.filter(hashkey=key).delete()
        return OK
    store = CaptchaStore.objects.filter(hashkey=key).first()
    # Only the request that deletes the row may use it: two requests sharing one answer get one OK.
    if store is None or not CaptchaStore.objects.filter(pk=store.pk).delete()[0]:
        return EXPIRED
    if store.expiration <= timezone.now():
        return EXPIRED
    return OK if store.response == answer else WRONG
