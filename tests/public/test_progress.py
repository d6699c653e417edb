import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.reports.actions.accept import report_accept, report_defer
from apps.reports.models import Attachment, Report
from tests.factories import UserFactory
from tests.public.conftest import receipt_code, stored_captcha_key, token_from, valid_report
from tests.uploads import builders


@pytest.fixture
def submitted(client, country, form_session):
    """One anonymous report through the web form; returns (report, code)."""
    session = form_session()
    response = client.post(
        "/jubao/submit", valid_report(session=session["session"], idempotency_key=session["idempotency_key"])
    )
    return Report.objects.get(), receipt_code(response.content.decode())


def lookup(client, code: str, answer: str = "PASSED", key: str = "k"):
    return client.post("/jubao/progress/", {"code": code, "captcha_key": key, "captcha_answer": answer})


def test_progress_page_needs_no_code_in_the_address(client, country):
    response = client.get("/jubao/progress/")
    assert response.status_code == 200 and 'name="code"' in response.content.decode()
    assert 'method="post"' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]


def test_lookup_shows_a_timeline_without_staff_names(client, country, submitted):
    report, code = submitted
    staff = UserFactory(real_name="李经办", org=country.orgs.jinshui)
    report_accept(actor=staff, report=report, comment="内部意见：李经办负责")
    spaced = " ".join(code[i : i + 4] for i in range(0, len(code), 4))  # as printed on the receipt
    response = lookup(client, spaced)
    html = response.content.decode()
    assert response.status_code == 200
    assert "举报已提交" in html and "举报已受理" in html and "已受理" in html
    assert "李经办" not in html and "内部意见" not in html


def test_wrong_and_unknown_codes_get_the_same_answer(client, country, submitted):
    _, code = submitted
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    answers = []
    for bad in (wrong, "123456789012345678", "abc"):
        response = lookup(client, bad)
        answers.append((response.status_code, _error_text(response.content.decode())))
    assert len(set(answers)) == 1
    assert answers[0][0] == 400 and "未查询到" in answers[0][1]


def _error_text(html: str) -> str:
    start = html.index('id="progress-error"')
    return html[start : html.index("</div>", start)]


def test_failed_lookups_are_slowed_and_then_limited(client, country, settings):
    settings.PUBLIC_LOOKUP_FAILURE_DELAY = 0.05
    durations = []
    for _ in range(3):
        began = time.monotonic()
        lookup(client, "999999999999999999")
        durations.append(time.monotonic() - began)
    assert durations[2] >= 0.15 > durations[0] - 0.01  # each failure waits longer than the one before
    for _ in range(7):
        lookup(client, "999999999999999999")
    limited = lookup(client, "999999999999999999")
    assert limited.status_code == 429 and "查询失败次数过多" in limited.content.decode()


def test_lookup_needs_the_captcha(client, country, submitted):
    _, code = submitted
    response = lookup(client, code, answer="WRONG", key=stored_captcha_key())
    assert response.status_code == 400 and "图形验证码不正确" in response.content.decode()
    response = lookup(client, code, answer="")
    assert response.status_code == 400 and "请输入图形验证码" in response.content.decode()


def test_reporter_adds_material_to_a_deferred_report(client, country, submitted):
    report, code = submitted
    staff = UserFactory(org=country.orgs.jinshui)
    report_defer(actor=staff, report=report, missing="请提供现场照片")
    html = lookup(client, code).content.decode()
    assert "请提供现场照片" in html and "补正材料" in html
    token = token_from(html, "material_token")

    photo = SimpleUploadedFile("我的照片.jpg", builders.jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        "/jubao/progress/material",
        {"material_token": token, "text": "补充现场照片一张", "attachments": [photo]},
    )
    html = response.content.decode()
    assert response.status_code == 200, html
    assert "补正材料已提交" in html
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED
    attachment = Attachment.objects.get(report=report, stage=Attachment.Stage.SUPPLEMENT)
    # The reporter's file name is not kept (report_supplement stores generic names).
    assert "我的照片" not in attachment.display_name and attachment.display_name.endswith(".jpg")
    assert b"Exif" not in attachment.file.read()

    again = client.post("/jubao/progress/material", {"material_token": token, "text": "再来一次"})
    assert again.status_code == 400 and "页面已过期" in again.content.decode()


def test_bad_material_is_refused_and_stores_nothing(client, country, submitted):
    report, code = submitted
    report_defer(actor=UserFactory(org=country.orgs.jinshui), report=report, missing="请提供照片")
    token = token_from(lookup(client, code).content.decode(), "material_token")
    exe = SimpleUploadedFile("a.jpg", builders.EXECUTABLE, content_type="image/jpeg")
    response = client.post(
        "/jubao/progress/material", {"material_token": token, "text": "照片", "attachments": [exe]}
    )
    assert response.status_code == 400 and "可执行程序" in response.content.decode()
    response = client.post(
        "/jubao/progress/material", {"material_token": token, "text": "<script>x</script>"}
    )
    assert response.status_code == 400 and "不能包含网页代码" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.DEFERRED and not report.attachments.exists()


def test_closed_report_shows_result_and_reward(client, country, submitted):
    report, code = submitted
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.CLOSED,
        closed_at=timezone.now(),
        conclusion=Report.Conclusion.TRUE,
        verification_summary="经现场核查，报警器确被关闭。",
        decision="责令整改，罚款2万元。",
        reward_status=Report.RewardStatus.PENDING,
    )
    html = lookup(client, code).content.decode()
    for text in (
        "已办结",
        "属实",
        "经现场核查，报警器确被关闭。",
        "责令整改，罚款2万元。",
        "符合举报奖励条件",
    ):
        assert text in html
