"""One template per message the spec names: 移送 *is* 不予受理 reason 3 (工作要求 五(三): 转交其他有关
部门处理，通过系统短信将该情况通知举报人，并告知其向有关部门进行举报), and report_reject sends
`rejected_not_our_duty` for it. The seeded `referred` template was never sent, so an administrator
editing 举报已移送 changed nothing: it is removed, and the template that is sent says it covers 移送.
"""

from django.db import migrations

OLD_NAME = "不予受理（不属于本部门职责）"
NEW_NAME = "不予受理（不属于本部门职责，移送）"
REFERRED = (
    "referred",
    "举报已移送",
    "您的举报（编码{report_code}）已移送{department}办理。可凭举报编码在举报网站或小程序查询办理进度。",
    ["report_code", "department"],
)


def forwards(apps, schema_editor):
    SmsTemplate = apps.get_model("sms", "SmsTemplate")
    # Outbox rows protect their template; none should exist, but history is never deleted for it.
    SmsTemplate.objects.filter(code="referred", messages__isnull=True).delete()
    SmsTemplate.objects.filter(code="rejected_not_our_duty", name=OLD_NAME).update(name=NEW_NAME)


def backwards(apps, schema_editor):
    SmsTemplate = apps.get_model("sms", "SmsTemplate")
    SmsTemplate.objects.filter(code="rejected_not_our_duty", name=NEW_NAME).update(name=OLD_NAME)
    code, name, text, placeholders = REFERRED
    SmsTemplate.objects.get_or_create(
        code=code,
        defaults={"name": name, "text": text, "allowed_placeholders": placeholders, "is_active": True},
    )


class Migration(migrations.Migration):
    dependencies = [("sms", "0002_seed_templates")]
    operations = [migrations.RunPython(forwards, backwards)]
