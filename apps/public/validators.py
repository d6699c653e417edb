"""Checks on what reporters type, with messages they can act on."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 4000

# Markup that would be a script or a page element if some screen ever forgot to escape it. Text
# is always escaped on output anyway; refusing it on input also keeps it out of exports, SMS and
# documents. "<" on its own (温度<50度) is ordinary text and stays allowed.
_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|frame|object|embed|applet|svg|math|img|image|style|link|meta|base|form|input|"
    r"button|textarea|select|body|html|head|a|video|audio|source|details|marquee|template)\b"
    r"|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_input(value: str | None) -> str:
    """Full-width digits and letters (common with Chinese input methods) become ASCII."""
    return unicodedata.normalize("NFKC", value or "").strip()


def reject_markup(value: str, label: str) -> None:
    if value and _MARKUP.search(value):
        raise ValidationError(f"{label}中不能包含网页代码或脚本（如 <script>），请直接用文字描述。",
                              code="markup")


def id_card_checksum_ok(value: str) -> bool:
    """GB 11643-1999: 17 digits, a valid birth date at positions 7-14, and the ISO 7064 MOD 11-2
    check character."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if birth.year < 1900 or birth > datetime.date.today():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def clean_id_card(value: str) -> str:
    value = normalize_input(value).upper().replace(" ", "")
    if value and not id_card_checksum_ok(value):
        raise ValidationError("身份证号码不正确，请核对（18位，最后一位可能是X）。", code="id_card")
    return value


def clean_description(value: str) -> str:
    text = (value or "").strip()
    if len(text) < DESCRIPTION_MIN:
        raise ValidationError(
            f"举报内容至少{DESCRIPTION_MIN}个字（当前{len(text)}字），请写明时间、地点、单位和存在的问题。",
            code="too_short",
        )
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError(f"举报内容不能超过{DESCRIPTION_MAX}字（当前{len(text)}字），请精简后再提交。",
                              code="too_long")
    reject_markup(text, "举报内容")
    return text
