"""新建举报 (staff entry), public report_create, 补正, attachments, drafts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.reports.actions.accept import report_defer
from apps.reports.actions.create import ReporterIdentity, report_create, report_enter
from apps.reports.actions.drafts import draft_delete, draft_save, draft_values
from apps.reports.actions.supplement import report_supplement
from apps.reports.codes import receipt_hash
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Attachment, Handling, Report, ReportDraft
from tests.reports.helpers import REPORTER, content_for, events, hop, messages_for, new_report, png_bytes

pytestmark = pytest.mark.django_db


def png(name="现场.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_staff_entry_is_received_by_the_entering_org(world):
    report, code = report_enter(
        actor=world.users.jinshui,
        content=content_for(world, channel=world.letter),
        reporter=REPORTER,
        files=[png()],
    )
    assert len(code) == 18 and report.receipt_hash == receipt_hash(code) and report.receipt_tail == code[-4:]
    assert report.receiving_org == world.orgs.jinshui and report.entered_by == world.users.jinshui
    assert report.reporter_name == "张三" and not report.is_anonymous
    assert hop(report, world.orgs.jinshui).state == Handling.State.PENDING
    attachment = report.attachments.get()
    assert attachment.content_type == "image/png" and attachment.display_name == "现场.png"
    assert attachment.file.name == f"reports/{report.pk}/{attachment.token}"  # never the uploader's name
    assert events(report, "create").get().actor == world.users.jinshui
    assert messages_for(report, world.orgs.jinshui, "new_report").exists()


def test_department_user_enters_for_its_org(world):
    report, _ = report_enter(actor=world.users.jinshui_dept, content=content_for(world, channel=world.letter))
    assert report.receiving_org == world.orgs.jinshui and report.is_anonymous


def test_received_date_in_the_past_counts_from_that_day(world):
    report, _ = report_enter(
        actor=world.users.jinshui,
        content=content_for(world, channel=world.letter),
        received_on=datetime.date(2024, 9, 27),
    )
    assert report.accept_due == datetime.date(2024, 10, 8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"content": {"channel": "web"}}, "工作人员录入请选择"),
        ({"content": {"region_code": "130100"}}, "不在本单位管辖范围内"),
        ({"content": {"reported_unit_name": "  "}}, "被举报单位"),
        ({"content": {"description": ""}}, "举报内容"),
        ({"content": {"occurred_on": datetime.date(2999, 1, 1)}}, "发生时间"),
        ({"reporter": ReporterIdentity(name="张三", phone="123")}, "手机号码"),
        ({"reporter": ReporterIdentity(name="", phone="13800138000")}, "举报人姓名"),
        ({"reporter": ReporterIdentity(name="张三", phone="13800138000", id_number="12345")}, "身份证号"),
        ({"received_on": datetime.date(2999, 1, 1)}, "晚于今天"),
        ({"files": [SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="image/png")]}, "已拒绝"),
        ({"files": [png() for _ in range(11)]}, "附件最多"),
    ],
)
def test_bad_entries_create_nothing(world, kwargs, message):
    content_kw = kwargs.pop("content", {})
    region_code = content_kw.pop("region_code", "410105")
    if content_kw.get("channel") == "web":
        content_kw["channel"] = world.web
    content_kw.setdefault("channel", world.letter)
    with pytest.raises(ReportActionError, match=message):
        report_enter(
            actor=world.users.jinshui, content=content_for(world, region_code, **content_kw), **kwargs
        )
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_auditor_cannot_enter(world):
    with pytest.raises(PermissionDeniedForAction):
        report_enter(actor=world.users.auditor, content=content_for(world, "410000", channel=world.letter))


def test_idempotent_retry_creates_nothing_new(world):
    kwargs = dict(
        actor=world.users.jinshui, content=content_for(world, channel=world.letter), idempotency_key="k1"
    )
    first, code = report_enter(**kwargs)
    again, no_code = report_enter(**kwargs)
    assert again == first and code and no_code is None
    assert Report.objects.count() == 1


def test_anonymous_report_stores_no_identity(world):
    report = new_report(world, anonymous=True)
    assert report.is_anonymous and report.reporter_name == "" and report.reporter_phone == ""


def test_public_report_create_with_files(world):
    report, _code = report_create(
        content=content_for(world), receiving_org=world.orgs.jinshui, reporter=REPORTER, files=[png("a.png")]
    )
    assert report.entered_by is None
    assert report.attachments.get().display_name == "附件1.png"  # a public file name may name the reporter
    event = events(report, "create").get()
    assert event.actor is None and event.org is None and event.public_text == "举报已提交"


# ---- 补正 ----


def test_supplement_returns_deferred_report_to_acceptance(world):
    report = report_defer(actor=world.users.jinshui, report=new_report(world), missing="照片")
    report = report_supplement(report=report, text="补充现场照片两张", files=[png()])
    assert report.status == Report.Status.RECEIVED
    assert hop(report, world.orgs.jinshui).state == Handling.State.PENDING
    assert report.supplements.get().text == "补充现场照片两张"
    assert report.attachments.get().stage == Attachment.Stage.SUPPLEMENT
    event = events(report, "supplement").get()
    assert event.actor is None and event.public_text
    assert messages_for(report, world.orgs.jinshui, "new_report").filter(text__contains="补正").exists()


def test_supplement_only_for_deferred(world):
    report = new_report(world)
    with pytest.raises(InvalidTransition, match="不能补正"):
        report_supplement(report=report, text="补充", files=[])
    deferred = report_defer(actor=world.users.jinshui, report=new_report(world), missing="照片")
    with pytest.raises(ReportActionError, match="补正说明"):
        report_supplement(report=deferred, text=" ", files=[])
    deferred.refresh_from_db()
    assert deferred.status == Report.Status.DEFERRED


# ---- 草稿箱 ----


def test_drafts_are_private_and_encrypted(world):
    draft = draft_save(
        actor=world.users.jinshui,
        data={"reported_unit_name": "某公司", "reporter_phone": "13800138000", "csrfmiddlewaretoken": "x"},
    )
    assert draft.title == "某公司"
    assert draft_values(draft) == {"reported_unit_name": "某公司", "reporter_phone": "13800138000"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM reports_reportdraft WHERE id = %s", [draft.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("sm4gcm:") and "13800138000" not in raw  # stored encrypted
    with pytest.raises(PermissionDeniedForAction):
        draft_save(actor=world.users.zhongyuan, data={}, draft=draft)
    with pytest.raises(PermissionDeniedForAction):
        draft_delete(actor=world.users.zhongyuan, draft=draft)
    draft_save(actor=world.users.jinshui, data={"reported_unit_name": "另一公司"}, draft=draft)
    draft.refresh_from_db()
    assert draft.title == "另一公司"


def test_submitting_a_draft_deletes_it(world):
    draft = draft_save(actor=world.users.jinshui, data={"reported_unit_name": "某公司"})
    report_enter(actor=world.users.jinshui, content=content_for(world, channel=world.letter), draft=draft)
    assert not ReportDraft.objects.exists()
    other = draft_save(actor=world.users.zhongyuan, data={})
    with pytest.raises(PermissionDeniedForAction):
        report_enter(actor=world.users.jinshui, content=content_for(world, channel=world.letter), draft=other)


# ---- staff number collisions, ID number hash, files of a rolled-back entry ----


def test_a_repeated_staff_number_is_drawn_again(world, monkeypatch):
    from apps.reports import codes

    first = new_report(world)
    drawn = iter([first.number])  # the random part repeats once, then is fresh again
    monkeypatch.setattr(
        "apps.reports.actions.create.new_report_number",
        lambda region, day: next(drawn, None) or codes.new_report_number(region, day),
    )
    second = new_report(world)
    assert second.number != first.number and second.number.startswith("410105")
    assert Report.objects.count() == 2 and hop(second, world.orgs.jinshui).state == Handling.State.PENDING


def test_a_staff_number_that_keeps_repeating_is_a_clear_refusal(world, monkeypatch):
    first = new_report(world)
    monkeypatch.setattr("apps.reports.actions.create.new_report_number", lambda region, day: first.number)
    with pytest.raises(ReportActionError, match="编号"):
        report_enter(actor=world.users.jinshui, content=content_for(world, channel=world.letter))
    assert Report.objects.count() == 1


def test_the_id_number_gets_a_keyed_lookup_hash(world):
    from apps.core.crypto import lookup_hash

    reporter = ReporterIdentity(name="张三", phone="13800138000", id_number="11010519491231002x")
    report, _ = report_create(content=content_for(world), receiving_org=world.orgs.jinshui, reporter=reporter)
    expected = lookup_hash("idcard:11010519491231002X")
    assert report.reporter_id_number_hash == expected != lookup_hash("idcard:110105194912310021")
    assert Report.objects.get(reporter_id_number_hash=expected) == report
    assert new_report(world).reporter_id_number_hash == ""  # real name, no ID number given
    assert new_report(world, anonymous=True).reporter_id_number_hash == ""


def test_files_of_an_entry_that_rolls_back_are_removed(world, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def broken(**kwargs):
        raise RuntimeError("message table unavailable")

    monkeypatch.setattr("apps.reports.notifications.notify_org", broken)
    with pytest.raises(RuntimeError):
        report_enter(
            actor=world.users.jinshui,
            content=content_for(world, channel=world.letter),
            files=[png(), png("b.png")],
        )
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
