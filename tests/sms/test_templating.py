import pytest

from apps.sms.errors import TemplateRenderError
from apps.sms.models import SmsTemplate
from apps.sms.templating import render_text, segment_count, validate_template_text

ALLOWED = ["report_code", "missing"]


def test_valid_text_has_no_errors():
    assert validate_template_text("您的举报（编码{report_code}）请补正：{missing}。", ALLOWED) == []


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text(text):
    assert validate_template_text(text, ALLOWED) == ["短信内容不能为空。"]


def test_unknown_placeholder_names_it_and_the_allowed_ones():
    errors = validate_template_text("您好{name}，编码{report_code}", ALLOWED)
    assert errors == ["不支持的占位符“{name}”，可用的占位符：{report_code}、{missing}。"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("编码{report_code", "第3个字符处的“{”没有对应的“}”"),
        ("编码report_code}", "第14个字符处的“}”没有对应的“{”"),
        ("{{report_code}}", "没有对应的"),
        ("编码{ report_code }", "格式不正确"),
        ("编码{}", "格式不正确"),
        ("编码{x.__class__}", "格式不正确"),
    ],
)
def test_brace_problems(text, fragment):
    errors = validate_template_text(text, ALLOWED)
    assert errors and any(fragment in error for error in errors), errors


def test_too_long():
    assert any("不能超过500个字" in e for e in validate_template_text("字" * 501, ALLOWED))


def test_render_fills_placeholders_and_never_reinterprets_values():
    text = render_text(
        "编码{report_code}，补正：{missing}",
        {"report_code": "SM1", "missing": "{report_code} 照片"},
        template_code="t",
    )
    assert text == "编码SM1，补正：{report_code} 照片"


def test_render_names_missing_and_empty_placeholders():
    with pytest.raises(TemplateRenderError, match="缺少参数：missing"):
        render_text("{report_code}{missing}", {"report_code": "SM1"}, template_code="t")
    with pytest.raises(TemplateRenderError, match="参数missing不能为空"):
        render_text("{report_code}{missing}", {"report_code": "SM1", "missing": "  "}, template_code="t")
    with pytest.raises(TemplateRenderError, match="必须是文字或数字"):
        render_text("{missing}", {"missing": ["a"]}, template_code="t")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("字", 1),
        ("字" * 70, 1),
        ("字" * 71, 2),
        ("字" * 134, 2),
        ("字" * 135, 3),
        ("a" * 70, 1),
        ("😀" * 35, 1),  # outside the BMP: two UTF-16 units each, as carriers count
        ("😀" * 36, 2),
    ],
)
def test_segment_count(text, count):
    assert segment_count(text) == count


def test_segment_count_includes_the_sign_when_given():
    assert segment_count("字" * 64) == 1
    assert segment_count("字" * 64, sign_name="安全生产举报") == 2  # 【安全生产举报】 is 8 more


@pytest.mark.django_db
def test_seeded_templates():
    codes = set(SmsTemplate.objects.values_list("code", flat=True))
    assert {
        "login_code",
        "phone_verify",
        "receipt_code",
        "accepted",
        "rejected_no_evidence",
        "rejected_duplicate",
        "rejected_not_our_duty",
        "deferred_supplement",
        "extended",
        "closed",
    } <= codes
    # 移送 is 不予受理 reason 3: one template for it, not a second one nothing sends.
    assert "referred" not in codes
    assert "移送" in SmsTemplate.objects.get(code="rejected_not_our_duty").name
    for template in SmsTemplate.objects.all():
        assert template.text_errors(template.text) == [], template.code
        assert set(template.required_placeholders) <= set(template.allowed_placeholders), template.code
        # Whoever holds the phone can read an SMS: never the reporter's name; the provider adds the sign.
        assert not {"name", "reporter_name", "real_name"} & set(template.allowed_placeholders)
        assert "【" not in template.text and "姓名" not in template.text
        template.full_clean()
        sample = {name: "X" for name in template.used_placeholders()}
        assert "{" not in template.render(sample)
        assert segment_count(template.render(sample), sign_name="安全生产举报") <= 2, template.code
    login = SmsTemplate.objects.get(code="login_code")
    assert "5分钟" in login.text and login.valid_minutes == 5
    assert "{report_code}" in SmsTemplate.objects.get(code="receipt_code").text


@pytest.mark.django_db
def test_model_clean_reports_text_errors():
    template = SmsTemplate(code="x", name="x", text="编码{who}", allowed_placeholders=["report_code"])
    with pytest.raises(Exception, match="不支持的占位符") as caught:
        template.full_clean()
    assert "text" in caught.value.message_dict


def test_required_placeholder_missing_is_named():
    errors = validate_template_text("您的举报已提交。", ["report_code"], ("report_code",))
    assert errors == ["短信内容必须包含占位符“{report_code}”，否则短信缺少必要信息。"]
    assert validate_template_text("编码{report_code}", ["report_code"], ("report_code",)) == []


@pytest.mark.django_db
def test_every_seeded_template_is_sent_by_some_code():
    """A template nothing queues is one an administrator edits for nothing (the old 举报已移送)."""
    import re
    from pathlib import Path

    import apps

    root = Path(apps.__file__).parent
    sent = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.parts[-2] == "sms":
            continue
        source = path.read_text(encoding="utf-8")
        sent |= set(re.findall(r'template_code\s*=\s*"(\w+)"', source))
        sent |= set(re.findall(r'sms\s*=\s*\(\s*"(\w+)"', source))  # report_reject's (code, context)
    codes = set(SmsTemplate.objects.values_list("code", flat=True))
    assert codes - sent == set()
