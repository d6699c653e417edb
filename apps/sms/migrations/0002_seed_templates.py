"""The messages the system sends (spec: 不予受理的三种情形须短信告知; 办结时可选择短信告知).

The data is written out here rather than imported, so later edits to code never rewrite history.
No template names the reporter: an SMS can be read by whoever holds the phone.
"""

from django.db import migrations

CHECK_PROGRESS = "可凭举报编码在举报网站或小程序查询办理进度。"

TEMPLATES = [
    ("login_code", "登录验证码", "您的登录验证码为{code}，5分钟内有效。如非本人操作，请忽略本短信。", ["code"], 5),
    ("phone_verify", "手机号码验证", "您的验证码为{code}，5分钟内有效，请勿告知他人。", ["code"], 5),
    ("receipt_code", "举报提交回执",
     "您的举报已提交，举报编码为{report_code}，请妥善保存。" + CHECK_PROGRESS, ["report_code"], None),
    ("accepted", "举报已受理",
     "您的举报（编码{report_code}）已受理，我们将依法核查处理。" + CHECK_PROGRESS, ["report_code"], None),
    ("rejected_no_evidence", "不予受理（需补正证据）",
     "您的举报（编码{report_code}）未提供有效证据线索，无法查明举报事实，不予受理。请补正：{missing}。补正后可再次举报。",
     ["report_code", "missing"], None),
    ("rejected_duplicate", "不予受理（重复举报）",
     "您的举报（编码{report_code}）所涉事项已办结或正在办理中，且未提供新的有效证据线索，不再重复受理。说明：{explanation}",
     ["report_code", "explanation"], None),
    ("rejected_not_our_duty", "不予受理（不属于本部门职责）",
     "您的举报（编码{report_code}）不属于本部门职责范围，已转交{department}处理，您也可以直接向{department}举报。",
     ["report_code", "department"], None),
    ("referred", "举报已移送",
     "您的举报（编码{report_code}）已移送{department}办理。" + CHECK_PROGRESS, ["report_code", "department"], None),
    ("deferred_supplement", "暂不受理（需补正）",
     "您的举报（编码{report_code}）暂不受理，请补正：{missing}。补正后可再次提交。", ["report_code", "missing"], None),
    ("extended", "核查期限延长",
     "您的举报（编码{report_code}）因情况复杂，核查期限延长至{new_deadline}。" + CHECK_PROGRESS,
     ["report_code", "new_deadline"], None),
    ("closed", "举报已办结",
     "您的举报（编码{report_code}）已办结，处理结果：{result}。感谢您对安全生产工作的支持。", ["report_code", "result"], None),
]


def forwards(apps, schema_editor):
    SmsTemplate = apps.get_model("sms", "SmsTemplate")
    for code, name, text, placeholders, valid_minutes in TEMPLATES:
        SmsTemplate.objects.get_or_create(
            code=code,
            defaults={"name": name, "text": text, "allowed_placeholders": placeholders,
                      "valid_minutes": valid_minutes, "is_active": True},
        )


def backwards(apps, schema_editor):
    apps.get_model("sms", "SmsTemplate").objects.filter(code__in=[row[0] for row in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sms", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
