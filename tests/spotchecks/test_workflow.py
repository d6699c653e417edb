"""审查 → 整改 → 核查: allowed, denied, wrong state, rounds kept, events and messages written."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.inbox.models import Message
from apps.reports.actions import base as report_base
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Attachment, Report
from apps.spotchecks.actions import spotcheck_create, spotcheck_rectify, spotcheck_review, spotcheck_verify
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem, SpotCheckRound
from apps.spotchecks.notifications import message_kind
from apps.workcalendar.calendar import add_working_days
from tests.spotchecks.world import closed

pytestmark = pytest.mark.django_db
S = SpotCheckItem.State
TODAY = timezone.localdate()


@pytest.fixture
def batch(world):
    reports = [closed(world, world.orgs.zhengzhou, region_code="410105", reward_status="pending",
                      reward_amount="1000") for _ in range(2)]
    batch = spotcheck_create(actor=world.users.henan, scope="org", org=world.orgs.zhengzhou,
                             closed_from=TODAY - dt.timedelta(days=5), closed_to=TODAY, size=2)
    assert {i.report_id for i in batch.items.all()} == {r.pk for r in reports}
    return batch


@pytest.fixture
def item(batch):
    return batch.items.order_by("position").first()


def refreshed(item):
    return SpotCheckItem.objects.get(pk=item.pk)


def fail(world, item, opinion="奖励金额计算有误，处罚金额与处理决定不符。"):
    return spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion=opinion)


def spot_messages(report):
    return Message.objects.filter(report=report, kind=message_kind())


def png(name="整改照片.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


# ---- 审查 ----

def test_review_qualified_finishes_the_item(world, item):
    item = spotcheck_review(actor=world.users.henan, item=item, qualified=True)
    assert item.state == S.PASSED and item.qualified is True and item.finished_at is not None
    assert item.rectify_due is None
    rnd = item.rounds.get()
    assert (rnd.kind, rnd.verdict) == ("review", "qualified")
    assert (rnd.actor, rnd.org) == (world.users.henan, world.orgs.henan)
    event = item.report.events.get(action="spotcheck_review")
    assert event.comment.startswith("抽检审查：合格") and event.public_text == ""
    assert not spot_messages(item.report).exists()  # nothing for the subordinate to do


def test_batch_finishes_with_its_last_item(world, batch):
    first, second = batch.items.order_by("position")
    spotcheck_review(actor=world.users.henan, item=first, qualified=True)
    assert SpotCheckBatch.objects.get(pk=batch.pk).finished_at is None
    spotcheck_review(actor=world.users.henan, item=second, qualified=True)
    assert SpotCheckBatch.objects.get(pk=batch.pk).finished_at is not None


def test_review_unqualified_sends_it_back_with_a_deadline_and_a_message(world, item):
    item = fail(world, item)
    assert item.state == S.RECTIFYING and item.qualified is False and item.finished_at is None
    assert item.rectify_due == add_working_days(TODAY, 10)
    assert item.latest_opinion.startswith("奖励金额计算有误")
    rnd = item.rounds.get()
    assert rnd.verdict == "unqualified" and rnd.due == item.rectify_due
    message = spot_messages(item.report).get(recipient_org=world.orgs.zhengzhou)
    assert "抽检不合格" in message.text and message.url == f"/spotchecks/items/{item.pk}/"
    assert "不合格" in item.report.events.get(action="spotcheck_review").comment


def test_the_correction_deadline_is_configurable(world, item, settings):
    settings.SPOTCHECK_RECTIFY_WORKING_DAYS = 3
    assert fail(world, item).rectify_due == add_working_days(TODAY, 3)


def test_deadline_counts_working_days_from_the_actions_clock(world, item, monkeypatch):
    friday = dt.date(2026, 9, 18)
    monkeypatch.setattr(report_base, "_clock", lambda: timezone.make_aware(dt.datetime(2026, 9, 18, 9)))
    item = fail(world, item)
    # 10 working days after Friday 18 Sep 2026: 中秋节 (25 Sep) and 国庆节 (1-7 Oct) push it to
    # Saturday 10 October, a 调休 working day.
    assert item.rectify_due == add_working_days(friday, 10) == dt.date(2026, 10, 9)


def test_unqualified_needs_an_opinion(world, item):
    with pytest.raises(ReportActionError, match="请填写整改意见"):
        spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="  ")
    assert refreshed(item).state == S.REVIEWING and not SpotCheckRound.objects.exists()


@pytest.mark.parametrize("who", ["zhengzhou", "jinshui", "hebei", "henan_dept", "auditor"])
def test_only_the_checking_org_reviews(world, item, who):
    with pytest.raises(PermissionDeniedForAction):
        spotcheck_review(actor=getattr(world.users, who), item=item, qualified=True)
    assert refreshed(item).state == S.REVIEWING


def test_a_colleague_of_the_checking_org_may_review(world, item):
    assert spotcheck_review(actor=world.users.henan2, item=item, qualified=True).state == S.PASSED


def test_review_twice_is_a_wrong_state(world, item):
    spotcheck_review(actor=world.users.henan, item=item, qualified=True)
    with pytest.raises(InvalidTransition, match="当前状态为“合格”，不能抽检审查"):
        fail(world, item)


# ---- 整改 ----

def test_rectify_corrects_the_report_and_records_each_change(world, item):
    fail(world, item)
    before = Report.objects.get(pk=item.report_id)
    item = spotcheck_rectify(
        actor=world.users.zhengzhou, item=item, explanation="已重新核算奖励并补充处罚决定书。",
        penalty_amount="80000", decision="罚款8万元", reward_status="paid", reward_amount="1500",
        reward_paid_on=TODAY, files=[png()],
    )
    assert item.state == S.VERIFYING and item.rectify_count == 1
    report = Report.objects.get(pk=item.report_id)
    assert report.status == Report.Status.CLOSED and report.closed_at == before.closed_at
    assert report.penalty_amount == Decimal("80000.00") and report.decision == "罚款8万元"
    assert report.reward_status == "paid" and report.reward_amount == Decimal("1500.00")
    assert report.reward_paid_on == TODAY
    assert report.conclusion == before.conclusion  # untouched fields stay
    attachment = Attachment.objects.get(report=report, stage=Attachment.Stage.RECTIFICATION)
    assert attachment.uploaded_by == world.users.zhengzhou
    rnd = item.rounds.get(kind="rectify")
    assert rnd.cycle == 1 and rnd.explanation.startswith("已重新核算")
    assert {c["field"] for c in rnd.changes} == {
        "penalty_amount", "decision", "reward_status", "reward_amount", "reward_paid_on", "attachments"}
    assert list(rnd.attachments.all()) == [attachment]
    corrections = list(report.events.filter(action="spotcheck_correct").values_list("comment", flat=True))
    assert len(corrections) == 6
    assert any("处罚金额（元）：50000.00 → 80000" in c for c in corrections)
    assert any("奖励情况：待兑现 → 已兑现" in c for c in corrections)
    assert all(e.public_text == "" for e in report.events.filter(action__startswith="spotcheck"))
    submit = report.events.get(action="spotcheck_rectify")
    assert submit.target_org == world.orgs.henan and "整改说明：已重新核算" in submit.comment
    assert spot_messages(report).filter(recipient_org=world.orgs.henan).exists()


def test_rectify_without_changes_still_needs_an_explanation(world, item):
    fail(world, item)
    with pytest.raises(ReportActionError, match="请填写整改说明"):
        spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="")
    item = spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="处理结果无误，补充说明。")
    assert item.state == S.VERIFYING
    assert "未修改办理结果" in item.report.events.get(action="spotcheck_rectify").comment
    assert not item.report.events.filter(action="spotcheck_correct").exists()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"reward_status": "paid", "reward_amount": None}, "请填写奖励金额"),
    ({"reward_status": "none", "reward_amount": "100"}, "不能填写奖励金额"),
    ({"conclusion": "false"}, "不属实的举报不予奖励"),
    ({"conclusion": "maybe"}, "请选择核查结论"),
    ({"penalty_amount": "-5"}, "不能为负数"),
    ({"penalty_amount": "12.345"}, "最多保留两位小数"),
    ({"reward_amount": "400000"}, "最高不超过30万元"),
    ({"reward_status": "paid", "reward_amount": "10", "reward_paid_on": TODAY + dt.timedelta(days=1)},
     "不能晚于今天"),
    ({"reward_status": "paid", "reward_amount": "10", "reward_paid_on": "2001-01-01"}, "不能早于办结日期"),
    ({"verification_summary": ""}, "请填写简要核查情况"),
    ({"files": [SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="image/png")]}, "已拒绝"),
])
def test_bad_corrections_change_nothing(world, item, kwargs, message):
    fail(world, item)
    before = Report.objects.values().get(pk=item.report_id)
    with pytest.raises(ReportActionError, match=message):
        spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="整改", **kwargs)
    assert Report.objects.values().get(pk=item.report_id) == before
    assert refreshed(item).state == S.RECTIFYING
    assert not SpotCheckRound.objects.filter(kind="rectify").exists()
    assert not Attachment.objects.filter(stage=Attachment.Stage.RECTIFICATION).exists()


@pytest.mark.parametrize("who", ["henan", "jinshui", "zhengzhou_dept", "luoyang", "auditor"])
def test_only_the_closing_org_rectifies(world, item, who):
    fail(world, item)
    with pytest.raises(PermissionDeniedForAction):
        spotcheck_rectify(actor=getattr(world.users, who), item=item, explanation="整改", penalty_amount="1")
    assert refreshed(item).state == S.RECTIFYING
    assert Report.objects.get(pk=item.report_id).penalty_amount == Decimal("50000.00")


def test_rectify_before_review_or_twice_is_a_wrong_state(world, item):
    with pytest.raises(InvalidTransition, match="当前状态为“待审查”，不能整改"):
        spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="整改")
    fail(world, item)
    spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="整改")
    with pytest.raises(InvalidTransition, match="当前状态为“待核查”，不能整改"):
        spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="再整改")


# ---- 核查, and every round kept ----

def test_rounds_of_rectification_and_verification_are_all_kept(world, item):
    fail(world, item)
    spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="第一次整改",
                      penalty_amount="60000")
    item = spotcheck_verify(actor=world.users.henan, item=item, passed=False, opinion="奖励仍未兑现。")
    assert item.state == S.RECTIFYING and item.latest_opinion == "奖励仍未兑现。"
    assert item.rectify_due == add_working_days(TODAY, 10)
    spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="第二次整改", reward_status="paid",
                      reward_amount="1000", reward_paid_on=TODAY)
    item = spotcheck_verify(actor=world.users.henan, item=item, passed=True)
    assert item.state == S.CORRECTED and item.finished_at is not None and item.rectify_count == 2
    assert item.qualified is False  # still counted 不合格 in the 合格率
    rounds = list(item.rounds.values_list("kind", "verdict", "cycle"))
    assert rounds == [("review", "unqualified", 0), ("rectify", "submitted", 1), ("verify", "failed", 1),
                      ("rectify", "submitted", 2), ("verify", "passed", 2)]
    assert item.report.events.filter(action="spotcheck_verify").count() == 2
    texts = list(spot_messages(item.report).filter(recipient_org=world.orgs.zhengzhou)
                 .order_by("id").values_list("text", flat=True))
    assert len(texts) == 3 and "不合格" in texts[0] and "未通过" in texts[1] and "已通过" in texts[2]


def test_verify_failed_needs_an_opinion(world, item):
    fail(world, item)
    spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="整改")
    with pytest.raises(ReportActionError, match="请填写核查意见"):
        spotcheck_verify(actor=world.users.henan, item=item, passed=False)
    assert refreshed(item).state == S.VERIFYING


@pytest.mark.parametrize("who", ["zhengzhou", "hebei", "auditor"])
def test_only_the_checking_org_verifies(world, item, who):
    fail(world, item)
    spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="整改")
    with pytest.raises(PermissionDeniedForAction):
        spotcheck_verify(actor=getattr(world.users, who), item=item, passed=True)
    assert refreshed(item).state == S.VERIFYING


def test_verify_before_the_correction_is_a_wrong_state(world, item):
    with pytest.raises(InvalidTransition, match="不能核查"):
        spotcheck_verify(actor=world.users.henan, item=item, passed=True)
    fail(world, item)
    with pytest.raises(InvalidTransition, match="当前状态为“待整改”，不能核查"):
        spotcheck_verify(actor=world.users.henan, item=item, passed=True)


def test_rounds_are_append_only(world, item):
    fail(world, item)
    rnd = SpotCheckRound.objects.get()
    rnd.opinion = "改写"
    with pytest.raises(ValueError, match="只能追加"):
        rnd.save()
    with pytest.raises(ValueError, match="只能追加"):
        rnd.delete()


def test_the_database_refuses_two_open_items_for_one_report(world, item):
    from django.db import IntegrityError, transaction

    first = SpotCheckBatch.objects.get(pk=item.batch_id)
    other = SpotCheckBatch.objects.create(
        number="CJ-TEST", checking_org=first.checking_org, created_by=first.created_by,
        created_at=timezone.now(), scope="org", closed_from=TODAY, closed_to=TODAY, requested_size=1,
        candidate_ids=[item.report_id], candidate_count=1, candidate_digest="0" * 64, seed=1, sample_size=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpotCheckItem.objects.create(batch=other, report=item.report, position=99,
                                     checked_org=item.checked_org)
