import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.crypto import lookup_hash
from apps.public.models import RoutingRule
from apps.reports.codes import receipt_hash
from apps.reports.models import Attachment, Handling, Report, ReportEvent
from apps.sms.models import SmsOutbox
from tests.public.conftest import receipt_code, stored_captcha_key, token_from, valid_report
from tests.uploads import builders


def submit(client, session: dict, **overrides):
    data = valid_report(session=session["session"], idempotency_key=session["idempotency_key"], **overrides)
    return client.post("/jubao/submit", data)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_anonymous_report_with_photo(client, country, form_session, settings):
    session = form_session("anonymous")
    photo = SimpleUploadedFile("IMG_张三_0412.jpg", builders.jpeg_with_gps(), content_type="image/jpeg")
    response = submit(client, session, attachments=[photo])
    html = response.content.decode()
    assert response.status_code == 200, html
    code = receipt_code(html)
    assert len(code) >= 16 and "只显示这一次" in html
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"

    report = Report.objects.get()
    assert report.receipt_hash == receipt_hash(code)
    assert report.is_anonymous and report.reporter_name == "" and report.reporter_phone == ""
    assert report.channel.code == "web"
    assert report.receiving_org == country.orgs.jinshui and not report.referral_suggested
    assert Handling.objects.get(report=report).org == country.orgs.jinshui
    assert list(ReportEvent.objects.filter(report=report).values_list("public_text", flat=True)) == [
        "举报已提交"
    ]

    attachment = Attachment.objects.get(report=report)
    assert attachment.display_name == "举报材料1.jpg"  # the uploader's file name is not kept
    stored = attachment.file.read()
    assert b"Exif" not in stored and b"TestPhone" not in stored
    assert Image.open(attachment.file).getexif().get_ifd(0x8825) == {}


def test_a_retried_submission_makes_one_report(client, country, form_session):
    session = form_session()
    first = submit(client, session)
    second = submit(client, session)
    assert first.status_code == second.status_code == 200
    assert Report.objects.count() == 1
    # The retry shows the same code, so a reporter whose first answer was lost still gets it.
    assert receipt_code(second.content.decode()) == receipt_code(first.content.decode())


def test_a_new_form_makes_a_new_report(client, country, form_session):
    submit(client, form_session())
    submit(client, form_session())
    assert Report.objects.count() == 2


def _exe():
    return SimpleUploadedFile("photo.jpg", builders.EXECUTABLE, content_type="image/jpeg")


def _big():
    return SimpleUploadedFile(
        "big.jpg", b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024), content_type="image/jpeg"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reported_unit_name": "", "problem_type": ""}, "请填写被举报单位名称"),
        ({"region_county": "", "region_city": ""}, "请继续选择河南省下属的市、县（区）"),
        ({"region_province": "", "region_city": "", "region_county": ""}, "请选择举报事项所在的县（区）"),
        ({"description": "字" * 5000}, "举报内容不能超过4000字（当前5000字）"),
        ({"description": "太短了"}, "举报内容至少20个字"),
        ({"attachments": "big"}, "过大"),
        ({"attachments": "exe"}, "可执行程序"),
        (
            {"description": "<script>alert('x')</script>" + "储罐区可燃气体报警器长期关闭存在隐患"},
            "不能包含网页代码",
        ),
        ({"reported_unit_name": '<img src=x onerror="alert(1)">'}, "不能包含网页代码"),
        ({"captcha_answer": "WRONG"}, "图形验证码不正确"),
        ({"captcha_answer": ""}, "请输入图形验证码"),
        ({"region_province": "810000", "region_city": "", "region_county": ""}, "不由本系统受理"),
        ({"occurred_on": "2999-01-01"}, "发生时间不能晚于今天"),
        ({"industry": "no-such"}, "所选行业无效"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_stores_nothing(
    client, country, form_session, settings, overrides, message
):
    if overrides.get("attachments") == "big":
        overrides["attachments"] = _big()
    elif overrides.get("attachments") == "exe":
        overrides["attachments"] = _exe()
    if overrides.get("captcha_answer"):
        overrides["captcha_key"] = stored_captcha_key()
    response = submit(client, form_session(), **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    assert stored_files(settings) == []
    assert SmsOutbox.objects.count() == 0


def test_submission_3_seconds_after_the_notice_is_refused(client, country, server_clock):
    notice = client.get("/jubao/")
    session = token_from(notice.content.decode())
    server_clock.advance(3)
    early = client.post("/jubao/start", {"session": session, "mode": "anonymous"})
    assert early.status_code == 400 and "还需12秒" in early.content.decode()
    # Skipping the acknowledgement and posting the report straight away does not work either.
    direct = client.post("/jubao/submit", valid_report(session=session, idempotency_key="k" * 16))
    assert direct.status_code == 400 and "请先阅读举报须知" in direct.content.decode()
    assert Report.objects.count() == 0


def test_script_looking_text_is_kept_as_text_and_escaped(client, country, form_session):
    response = submit(
        client,
        form_session(),
        reported_unit_name='A&B<公司> "东厂"',
        description="温度<50度时 A&B 仍然 > 规定值，储罐区可燃气体报警器长期关闭。",
    )
    html = response.content.decode()
    assert response.status_code == 200, html
    report = Report.objects.get()
    assert report.reported_unit_name == 'A&B<公司> "东厂"'
    assert "A&amp;B&lt;公司&gt; &quot;东厂&quot;" in html and "<公司>" not in html


def test_failed_submission_keeps_what_was_typed(client, country, form_session):
    response = submit(client, form_session(), description="太短了", reported_unit_name="某某煤业")
    html = response.content.decode()
    assert 'value="某某煤业"' in html and "太短了</textarea>" in html
    assert 'value="410105" selected' in html


def test_real_name_report_verifies_the_phone_and_encrypts_identity(client, country, form_session):
    session = form_session("realname")
    sent = client.post(
        "/jubao/sms",
        {
            "session": session["session"],
            "reporter_phone": "13912345678",
            "captcha_key": "k",
            "captcha_answer": "PASSED",
        },
    )
    assert sent.status_code == 200 and sent.json()["ok"], sent.content
    code = SmsOutbox.objects.get(template_code="phone_verify").context["code"]
    wrong = "000000" if code != "000000" else "111111"
    identity = {
        "mode": "realname",
        "reporter_name": "王小明",
        "reporter_phone": "13912345678",
        "reporter_id_number": "11010519491231002X",
        "captcha_answer": "",
    }

    refused = submit(client, session, sms_code=wrong, **identity)
    assert refused.status_code == 400 and "短信验证码不正确" in refused.content.decode()
    assert Report.objects.count() == 0

    response = submit(client, session, sms_code=code, **identity)
    assert response.status_code == 200, response.content.decode()
    report = Report.objects.get()
    assert not report.is_anonymous
    assert (report.reporter_name, report.reporter_phone, report.reporter_id_number) == (
        "王小明",
        "13912345678",
        "11010519491231002X",
    )
    assert report.reporter_phone_hash == lookup_hash("phone:13912345678")
    assert report.reporter_id_number_hash == lookup_hash("idcard:11010519491231002X")
    receipt = SmsOutbox.objects.get(template_code="receipt_code")
    assert receipt.related == f"report:{report.pk}" and receipt.to_phone == "13912345678"
    assert receipt.context["report_code"] == receipt_code(response.content.decode())


def test_real_name_without_sms_code_or_with_bad_id_is_refused(client, country, form_session):
    session = form_session("realname")
    response = submit(
        client,
        session,
        mode="realname",
        reporter_name="王小明",
        reporter_phone="13912345678",
        reporter_id_number="110105194912310021",
        sms_code="",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "身份证号码不正确" in html
    response = submit(client, session, mode="realname", reporter_name="", reporter_phone="123")
    html = response.content.decode()
    assert "实名举报请填写姓名" in html and "手机号码格式不正确" in html
    assert Report.objects.count() == 0


def test_routing_rules_and_referral(client, country, form_session):
    # The seeded rule sends 煤矿 to the province's mine safety office.
    submit(client, form_session(), industry="coal_mine")
    coal = Report.objects.get(industry=country.coal)
    assert coal.receiving_org == country.orgs.henan_mine

    # An industry of another department stays with the local bureau, flagged for 移送.
    submit(client, form_session(), industry="road_traffic")
    road = Report.objects.get(industry=country.road)
    assert road.receiving_org == country.orgs.jinshui and road.referral_suggested

    # An administrator's rule for a region subtree and a problem type wins.
    RoutingRule.objects.create(
        name="郑州重大隐患由市局接收",
        region=country.regions["410100"],
        problem_type=country.problem,
        target=RoutingRule.Target.ORG,
        target_org=country.orgs.zhengzhou,
        priority=50,
    )
    submit(client, form_session(), region_county="410102")
    routed = Report.objects.get(region__code="410102")
    assert routed.receiving_org == country.orgs.zhengzhou


# ---- one captcha per report, SMS and storage failures ----------------------------------------


def test_each_new_report_needs_a_new_captcha_but_a_retry_does_not(client, country, form_session):
    session = form_session()
    first = submit(client, session)
    assert first.status_code == 200
    another = {**session, "idempotency_key": "another-report-0002"}

    unchecked = submit(client, another, captcha_answer="")
    html = unchecked.content.decode()
    assert unchecked.status_code == 400 and "请输入图形验证码" in html
    assert 'id="captcha-block" hidden' not in html  # the form shows a new captcha
    assert Report.objects.count() == 1

    # The same submission sent again (a lost answer) still gets its report and code back.
    retry = submit(client, session, captcha_answer="")
    assert retry.status_code == 200
    assert receipt_code(retry.content.decode()) == receipt_code(first.content.decode())

    assert submit(client, another).status_code == 200  # with a newly solved captcha
    assert Report.objects.count() == 2


def verified_real_name(client, session: dict) -> dict:
    """Send and verify the SMS code; returns the real-name fields for submit()."""
    sent = client.post("/jubao/sms", {"session": session["session"], "reporter_phone": "13912345678",
                                      "captcha_key": "k", "captcha_answer": "PASSED"})
    assert sent.status_code == 200, sent.content
    code = SmsOutbox.objects.get(template_code="phone_verify").context["code"]
    return {"mode": "realname", "reporter_name": "王小明", "reporter_phone": "13912345678",
            "sms_code": code, "captcha_answer": ""}


def test_a_receipt_sms_that_cannot_be_queued_keeps_the_report(client, country, form_session):
    from apps.sms.models import SmsTemplate

    session = form_session("realname")
    identity = verified_real_name(client, session)
    SmsTemplate.objects.filter(code="receipt_code").delete()  # misconfigured: TemplateNotFound
    response = submit(client, session, **identity)
    html = response.content.decode()
    assert response.status_code == 200, html
    assert receipt_code(html) and "回执短信暂时未能发送" in html and "也已通过短信发送" not in html
    assert Report.objects.filter(is_anonymous=False).count() == 1


def test_files_of_a_submission_that_rolls_back_are_removed(client, country, form_session, settings,
                                                           monkeypatch):
    session = form_session("realname")
    identity = verified_real_name(client, session)

    def broken(**kwargs):
        raise RuntimeError("outbox table unavailable")

    monkeypatch.setattr("apps.public.actions.sms_queue", broken)
    photos = [SimpleUploadedFile(f"p{i}.jpg", builders.jpeg_with_gps(), content_type="image/jpeg")
              for i in range(2)]
    with pytest.raises(RuntimeError):
        submit(client, session, attachments=photos, **identity)
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    assert stored_files(settings) == []
