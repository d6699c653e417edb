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
        "不予受理（不属于本部门职责）",
        "举报已移送",
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
