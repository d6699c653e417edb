import pytest

from apps.audit import actions
from apps.audit.models import AuditLog
from apps.sms.models import SmsTemplate

pytestmark = pytest.mark.django_db


def test_every_message_the_system_sends_is_listed(client, world):
    client.force_login(world.user("M", "admin"))
    page = client.get("/sysadmin/sms-templates/").content.decode()
    for name in (
        "登录验证码",
        "手机号码验证",
        "举报提交回执",
        "举报已受理",
        "不予受理（需补正证据）",
        "不予受理（重复举报）",
        "不予受理（不属于本部门职责，移送）",
        "暂不受理（需补正）",
        "核查期限延长",
        "举报已办结",
    ):
        assert name in page


@pytest.mark.parametrize("key, role", [("P1", "admin"), ("M", "user"), ("M", "audit"), ("B", "admin")])
def test_only_the_ministry_admin_edits_templates(client, world, key, role):
    template = SmsTemplate.objects.get(code="accepted")
    client.force_login(world.user(key, role))
    assert client.get("/sysadmin/sms-templates/").status_code == 403
    response = client.post(f"/sysadmin/sms-templates/{template.pk}/", {"text": "改了", "is_active": "on"})
    assert response.status_code == 403
    assert SmsTemplate.objects.get(pk=template.pk).text == template.text


def test_edit_saves_and_is_audited(client, world):
    admin = world.user("M", "admin")
    template = SmsTemplate.objects.get(code="accepted")
    client.force_login(admin)
    text = "您的举报（编码{report_code}）已受理。"
    response = client.post(f"/sysadmin/sms-templates/{template.pk}/", {"text": text, "is_active": "on"})
    assert response.status_code == 302
    assert SmsTemplate.objects.get(pk=template.pk).text == text
    row = AuditLog.objects.get(action=actions.SMS_TEMPLATE_UPDATE)
    assert row.actor == admin and row.detail["changed"]["text"][1] == text


@pytest.mark.parametrize(
    "text, message",
    [
        ("您的举报{report_code}已受理，举报人{name}。", "不支持的占位符“{name}”"),
        ("您的举报{report_code已受理。", "没有对应的"),
        ("字" * 501, "不能超过500个字"),
        ("", "短信内容不能为空"),
    ],
)
def test_bad_template_is_refused_and_nothing_changes(client, world, text, message):
    template = SmsTemplate.objects.get(code="accepted")
    client.force_login(world.user("M", "admin"))
    response = client.post(f"/sysadmin/sms-templates/{template.pk}/", {"text": text, "is_active": "on"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SmsTemplate.objects.get(pk=template.pk).text == template.text
    assert not AuditLog.objects.filter(action=actions.SMS_TEMPLATE_UPDATE).exists()


def test_login_code_template_cannot_be_switched_off(client, world):
    template = SmsTemplate.objects.get(code="login_code")
    client.force_login(world.user("M", "admin"))
    response = client.post(f"/sysadmin/sms-templates/{template.pk}/", {"text": template.text})
    assert "不能停用" in response.content.decode()
    assert SmsTemplate.objects.get(pk=template.pk).is_active


def test_preview_renders_samples_and_counts_segments(client, world):
    template = SmsTemplate.objects.get(code="closed")
    client.force_login(world.user("M", "admin"))
    url = f"/sysadmin/sms-templates/{template.pk}/preview/"
    short = client.post(url, {"text": "举报{report_code}已办结：{result}"}).content.decode()
    assert "举报尾号8F3K已办结：经核查情况属实，已责令整改" in short
    assert "按 1 条短信计费" in short
    long = client.post(url, {"text": "长" * 71}).content.decode()
    assert "共 71 字，按 2 条短信计费" in long
    bad = client.post(url, {"text": "{phone}"}).content.decode()
    assert "不支持的占位符“{phone}”" in bad
    page = client.get(f"/sysadmin/sms-templates/{template.pk}/").content.decode()
    assert "hx-post" in page and 'data-testid="preview-count"' in page


@pytest.mark.parametrize(
    "code, text, missing",
    [
        ("login_code", "您好，请登录。", "{code}"),
        ("phone_verify", "请勿告知他人。", "{code}"),
        ("receipt_code", "您的举报已提交。", "{report_code}"),
        ("rejected_no_evidence", "您的举报（编码{report_code}）不予受理。", "{missing}"),
        ("rejected_not_our_duty", "您的举报（编码{report_code}）不属于本部门职责。", "{department}"),
    ],
)
def test_template_without_a_required_placeholder_is_refused(client, world, code, text, missing):
    """Saving 登录验证码 without {code} would stop every staff login, superusers included."""
    template = SmsTemplate.objects.get(code=code)
    client.force_login(world.user("M", "admin"))
    response = client.post(f"/sysadmin/sms-templates/{template.pk}/", {"text": text, "is_active": "on"})
    assert response.status_code == 200
    assert f"短信内容必须包含占位符“{missing}”" in response.content.decode()
    assert SmsTemplate.objects.get(pk=template.pk).text == template.text
    assert not AuditLog.objects.filter(action=actions.SMS_TEMPLATE_UPDATE).exists()
    preview = client.post(f"/sysadmin/sms-templates/{template.pk}/preview/", {"text": text})
    assert f"必须包含占位符“{missing}”" in preview.content.decode()
    page = client.get(f"/sysadmin/sms-templates/{template.pk}/").content.decode()
    assert "必须包含" in page


def test_service_and_model_refuse_a_missing_required_placeholder(world):
    from django.core.exceptions import ValidationError

    from apps.sysadmin.services import sms_template_update

    template = SmsTemplate.objects.get(code="login_code")
    with pytest.raises(ValidationError, match="code"):
        sms_template_update(
            actor=world.user("M", "admin"), template=template, text="请登录。", is_active=True
        )
    template.text = "请登录。"
    with pytest.raises(ValidationError, match="code"):
        template.full_clean()
    assert SmsTemplate.objects.get(pk=template.pk).text != "请登录。"


@pytest.mark.parametrize(
    "backend, config", [("aliyun.AliyunBackend", "SMS_ALIYUN"), ("tencent.TencentBackend", "SMS_TENCENT")]
)
def test_segment_count_includes_the_providers_sign_name(client, world, settings, backend, config):
    """Carriers count the 【签名】 the provider adds: 66 characters + 【应急管理部】 is 2 messages."""
    settings.SMS_BACKEND = f"apps.sms.backends.{backend}"
    setattr(settings, config, {**getattr(settings, config), "SIGN_NAME": "应急管理部"})
    template = SmsTemplate.objects.get(code="closed")
    client.force_login(world.user("M", "admin"))
    text = "举报{report_code}已办结：{result}" + "字" * 41  # 66 characters once filled in
    preview = client.post(f"/sysadmin/sms-templates/{template.pk}/preview/", {"text": text}).content.decode()
    assert "含签名【应急管理部】" in preview
    assert "共 73 字，按 2 条短信计费" in preview
    SmsTemplate.objects.filter(pk=template.pk).update(text="字" * 66)
    listing = client.get("/sysadmin/sms-templates/").content.decode()
    assert "【应急管理部】" in listing and "73 字 / 2 条" in listing


def test_without_a_sign_name_the_page_says_so(client, world, settings):
    settings.SMS_BACKEND = "apps.sms.backends.locmem.LocmemBackend"
    template = SmsTemplate.objects.get(code="closed")
    client.force_login(world.user("M", "admin"))
    url = f"/sysadmin/sms-templates/{template.pk}/preview/"
    preview = client.post(url, {"text": "字" * 66}).content.decode()
    assert "未配置短信签名" in preview and "共 66 字，按 1 条短信计费" in preview
