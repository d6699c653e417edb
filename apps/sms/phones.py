import re

from apps.core.crypto import lookup_hash
from apps.sms.errors import InvalidPhoneNumber

# [0-9], not \d: \d also matches full-width and other Unicode digits, which providers refuse.
MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_phone(value: str) -> str:
    """The number as stored and sent: 11 digits, mainland China only (providers are domestic)."""
    phone = (value or "").strip()
    if not MAINLAND_MOBILE.fullmatch(phone):
        raise InvalidPhoneNumber("手机号码格式不正确，请输入11位中国大陆手机号码。")
    return phone


def phone_hash(phone: str) -> str:
    # Same "phone:" kind prefix as apps.reports, so one hash finds a reporter's reports and SMS.
    return lookup_hash("phone:" + phone)


def mask_phone(phone: str) -> str:
    """For logs and lists: enough to tell numbers apart, not enough to call one."""
    if len(phone) != 11:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"
