"""Template text: ``{placeholder}`` fields, validation for the 短信模板管理 page, segment counting.

Placeholders are substituted with a regex, never ``str.format``: an edited template must not be
able to reach attributes (``{x.__class__}``) or need escaping rules that editors get wrong. Any
other brace is an error, so what the editor sees is exactly what is sent.
"""

import math
import re

from apps.sms.errors import TemplateRenderError

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
MAX_TEXT_LENGTH = 500  # providers refuse longer messages (Aliyun and Tencent both cap near here)
SINGLE_SMS_CHARS = 70
MULTIPART_SEGMENT_CHARS = 67  # each part of a long SMS loses 3 characters to the joining header

# Placeholders an edited template must keep, per template code. Without them the message is
# useless to its reader: a login code SMS without {code} would stop every staff login, a receipt
# without {report_code} leaves the reporter no way to follow up, and the 不予受理/补正 messages
# must carry what the spec says the reporter is told (工作要求 五: everything to supply, the
# explanation, the department to turn to).
REQUIRED_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "login_code": ("code",),
    "phone_verify": ("code",),
    "receipt_code": ("report_code",),
    "accepted": ("report_code",),
    "rejected_no_evidence": ("report_code", "missing"),
    "rejected_duplicate": ("report_code", "explanation"),
    "rejected_not_our_duty": ("report_code", "department"),
    "deferred_supplement": ("report_code", "missing"),
    "extended": ("report_code", "new_deadline"),
    "closed": ("report_code", "result"),
}


def required_placeholders(template_code: str) -> tuple[str, ...]:
    return REQUIRED_PLACEHOLDERS.get(template_code, ())


def placeholders_in(text: str) -> list[str]:
    """Placeholder names in order of first use, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def validate_template_text(
    text: str, allowed_placeholders: list[str], required: tuple[str, ...] | list[str] = ()
) -> list[str]:
    """Every problem with an edited template text, as Chinese messages; empty when it is fine.
    `required`: placeholders the text must contain (see REQUIRED_PLACEHOLDERS)."""
    if not text or not text.strip():
        return ["短信内容不能为空。"]
    errors: list[str] = []
    errors.extend(_brace_errors(text))
    allowed = list(allowed_placeholders)
    used = placeholders_in(text)
    for name in used:
        if name not in allowed:
            available = "、".join("{" + item + "}" for item in allowed) or "无"
            errors.append(f"不支持的占位符“{{{name}}}”，可用的占位符：{available}。")
    for name in required:
        if name not in used:
            errors.append(f"短信内容必须包含占位符“{{{name}}}”，否则短信缺少必要信息。")
    if len(text) > MAX_TEXT_LENGTH:
        errors.append(f"短信内容不能超过{MAX_TEXT_LENGTH}个字（当前{len(text)}个字）。")
    return errors


def _brace_errors(text: str) -> list[str]:
    errors = []
    open_at = None
    for index, char in enumerate(text):
        if char == "{":
            if open_at is not None:
                errors.append(f"第{open_at + 1}个字符处的“{{”没有对应的“}}”。")
            open_at = index
        elif char == "}":
            if open_at is None:
                errors.append(f"第{index + 1}个字符处的“}}”没有对应的“{{”。")
                continue
            inner = text[open_at : index + 1]
            if not PLACEHOLDER.fullmatch(inner):
                errors.append(f"占位符“{inner}”格式不正确，只能使用英文字母、数字和下划线，如{{code}}。")
            open_at = None
    if open_at is not None:
        errors.append(f"第{open_at + 1}个字符处的“{{”没有对应的“}}”。")
    return errors


def clean_context(text: str, context: dict, *, template_code: str) -> dict[str, str]:
    """The values the text needs, as stripped strings; raises on a missing or empty one."""
    needed = placeholders_in(text)
    missing = [name for name in needed if name not in context]
    if missing:
        raise TemplateRenderError(f"短信模板“{template_code}”缺少参数：{'、'.join(missing)}。")
    cleaned = {}
    for name in needed:
        value = context[name]
        if value is None or isinstance(value, dict | list | tuple | set):
            raise TemplateRenderError(f"短信模板“{template_code}”的参数{name}必须是文字或数字。")
        value = str(value).strip()
        if not value:
            raise TemplateRenderError(f"短信模板“{template_code}”的参数{name}不能为空。")
        cleaned[name] = value
    return cleaned


def render_text(text: str, context: dict, *, template_code: str) -> str:
    values = clean_context(text, context, template_code=template_code)
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def sms_length(text: str) -> int:
    # Carriers count UTF-16 units: a character outside the BMP (most emoji) counts as two.
    return len(text.encode("utf-16-le")) // 2


def segment_count(text: str, *, sign_name: str = "") -> int:
    """How many SMS the text is billed as: 70 characters fit one; longer text goes in 67-character
    parts. Pass sign_name to count the 【签名】 the provider adds in front."""
    if not text:
        return 0
    length = sms_length(text) + (sms_length(f"【{sign_name}】") if sign_name else 0)
    if length <= SINGLE_SMS_CHARS:
        return 1
    return math.ceil(length / MULTIPART_SEGMENT_CHARS)
