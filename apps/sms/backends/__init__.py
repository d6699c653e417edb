from django.conf import settings
from django.utils.module_loading import import_string

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult, SmsSendError

__all__ = ["BaseSmsBackend", "OutgoingSms", "SendResult", "SmsSendError", "get_backend", "provider_sign_name"]


def get_backend(path: str | None = None) -> BaseSmsBackend:
    """The backend named by settings.SMS_BACKEND (like EMAIL_BACKEND), a fresh instance per call
    so that settings changes, including override_settings in tests, take effect."""
    return import_string(path or settings.SMS_BACKEND)()


def provider_sign_name() -> str:
    """The 【签名】 the configured backend adds to every message: carriers count it toward the
    70 characters, so the 短信模板管理 page counts it too."""
    return get_backend().sign_name
