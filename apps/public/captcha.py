"""The image captcha (django-simple-captcha's store and images), checked here so that every
captcha is single-use: a wrong answer burns it too, so guessing needs a new image every time.

CAPTCHA_TEST_MODE (settings; refused unless DEBUG or tests) makes "PASSED" an accepted answer.
"""

from dataclasses import dataclass

from captcha.models import CaptchaStore
from django.conf import settings
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class Captcha:
    key: str
    image_url: str


def captcha_new() -> Captcha:
    key = CaptchaStore.generate_key()
    return Captcha(key=key, image_url=reverse("captcha-image", args=[key]))


def captcha_check(key: str | None, answer: str | None) -> bool:
    key = (key or "").strip()[:40]
    answer = (answer or "").strip().lower()
    if not key or not answer:
        return False
    if getattr(settings, "CAPTCHA_TEST_MODE", False) and answer == "passed":
        CaptchaStore.objects.filter(hashkey=key).delete()
        return True
    right = CaptchaStore.objects.filter(hashkey=key, response=answer, expiration__gt=timezone.now()).exists()
    CaptchaStore.objects.filter(hashkey=key).delete()
    return right
