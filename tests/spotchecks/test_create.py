"""随机抽检 (spotcheck_create): scope, jurisdiction, skipping, reproducibility, bad input."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from apps.audit.models import AuditLog
from apps.reports.errors import PermissionDeniedForAction, ReportActionError
from apps.reports.models import Report
from apps.spotchecks.actions import spotcheck_create, spotcheck_reproduce, spotcheck_review
from apps.spotchecks.draw import candidate_digest
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem
from tests.spotchecks.world import closed, new_report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONTH_AGO = TODAY - dt.timedelta(days=30)


def draw(user, **kwargs):
    params = dict(scope="org", closed_from=MONTH_AGO, closed_to=TODAY, size=1)
    params.update(kwargs)
    return spotcheck_create(actor=user, **params)


@pytest.fixture
def henan_mix(world):
    """Closed reports everywhere, plus some that must never be drawn by 河南省 for 郑州市."""
    o = world.orgs
    zz = [closed(world, o.zhengzhou, region_code="410105") for _ in range(3)]
    js = [closed(world, o.jinshui) for _ in range(2)]
    ly = [closed(world, o.luoyang) for _ in range(2)]
    outside = [
        closed(world, o.henan),  # the sampler's own work
        closed(world, o.hebei),
        closed(world, o.shijiazhuang),
        # Closed too early for the date range:
        closed(world, o.zhengzhou, region_code="410105", closed_on=TODAY - dt.timedelta(days=60)),
        new_report(world, o.zhengzhou, "410105"),  # not closed
    ]
    return {"zz": zz, "js": js, "ly": ly, "outside": outside}


def ids(reports):
    return {r.pk for r in reports}


def test_by_org_draws_only_from_the_chosen_subordinate_and_below(world, henan_mix):
    batch = draw(world.users.henan, org=world.orgs.zhengzhou, size=5)
    drawn = set(batch.items.values_list("report_id", flat=True))
    assert drawn == ids(henan_mix["zz"] + henan_mix["js"])  # all 5 candidates, nothing else
    assert batch.candidate_count == 5
    assert set(batch.candidate_ids) == drawn
    assert batch.checking_org == world.orgs.henan


def test_all_subordinates_never_includes_own_other_provinces_unclosed_or_out_of_range(world, henan_mix):
    batch = draw(world.users.henan, org=None, size=7)
    drawn = set(batch.items.values_list("report_id", flat=True))
    assert drawn == ids(henan_mix["zz"] + henan_mix["js"] + henan_mix["ly"])
    assert not drawn & ids(henan_mix["outside"])


def test_items_belong_to_the_org_that_closed_the_report(world, henan_mix):
    batch = draw(world.users.henan, org=None, size=7)
    for item in batch.items.select_related("report"):
        assert item.checked_org_id == item.report.accepting_org_id
        assert item.state == SpotCheckItem.State.REVIEWING


def test_by_region(world, henan_mix):
    o = world.orgs
    # Located in 郑州市 but closed by 洛阳市 (a report moved between cities): region decides.
    moved = closed(world, o.luoyang, region_code="410102")
    batch = draw(world.users.henan, scope="region", region=world.regions["410100"], size=6)
    drawn = set(batch.items.values_list("report_id", flat=True))
    assert drawn == ids(henan_mix["zz"] + henan_mix["js"]) | {moved.pk}
    assert batch.scope_region == world.regions["410100"]


def test_a_city_samples_its_counties_but_not_itself(world, henan_mix):
    batch = draw(world.users.zhengzhou, org=None, size=2)
    assert set(batch.items.values_list("report_id", flat=True)) == ids(henan_mix["js"])
    with pytest.raises(ReportActionError, match="没有可抽检"):
        draw(world.users.jinshui, org=None, size=1)  # a county has no subordinates


@pytest.mark.parametrize("target", ["henan", "hebei", "shijiazhuang", "ministry"])
def test_only_strictly_below_the_own_org(world, henan_mix, target):
    with pytest.raises(PermissionDeniedForAction, match="只能抽检本单位下级单位"):
        draw(world.users.henan, org=getattr(world.orgs, target))
    assert not SpotCheckBatch.objects.exists()


def test_region_outside_jurisdiction_is_refused(world, henan_mix):
    with pytest.raises(PermissionDeniedForAction, match="不在本单位管辖范围"):
        draw(world.users.henan, scope="region", region=world.regions["130000"])


def test_the_bingtuan_cannot_sample_a_province_it_does_not_cover(world, henan_mix):
    from apps.orgs.models import Org
    from tests.factories import OrgFactory, RegionFactory, UserFactory

    shihezi = RegionFactory(code="659001", name="石河子市", level="county",
                            parent=RegionFactory(code="650000", name="新疆维吾尔自治区", level="province"))
    xpcc = OrgFactory(code="EM-XPCC", name="新疆生产建设兵团应急管理局", level=Org.Level.PROVINCE,
                      parent=world.orgs.ministry, region=None)
    xpcc.extra_regions.set([shihezi])
    user = UserFactory(username="sc_xpcc", org=xpcc)
    with pytest.raises(PermissionDeniedForAction, match="不在本单位管辖范围"):
        draw(user, scope="region", region=world.regions["410000"])
    with pytest.raises(ReportActionError, match="没有可抽检"):  # its own region: allowed, nothing closed
        draw(user, scope="region", region=shihezi)
    assert not SpotCheckBatch.objects.exists()


def test_the_ministry_samples_every_province(world, henan_mix):
    batch = draw(world.users.ministry, scope="region", region=world.regions["130000"], size=2)
    assert set(batch.items.values_list("report_id", flat=True)) == ids(henan_mix["outside"][1:3])


def test_reports_in_an_open_spot_check_are_skipped_until_it_finishes(world, henan_mix):
    first = draw(world.users.henan, org=world.orgs.zhengzhou, size=3)
    second = draw(world.users.henan, org=world.orgs.zhengzhou, size=2)
    first_ids = set(first.items.values_list("report_id", flat=True))
    second_ids = set(second.items.values_list("report_id", flat=True))
    assert not first_ids & second_ids
    assert second.candidate_count == 2 and second.skipped_open_count == 3
    with pytest.raises(ReportActionError, match="均已在进行中的抽检中"):
        draw(world.users.henan, org=world.orgs.zhengzhou)
    for item in first.items.all():
        spotcheck_review(actor=world.users.henan, item=item, qualified=True)
    third = draw(world.users.henan, org=world.orgs.zhengzhou, size=3)
    assert set(third.items.values_list("report_id", flat=True)) == first_ids


def test_the_draw_is_recorded_and_reproducible_from_its_seed(world, henan_mix):
    batch = draw(world.users.henan, org=None, size=4)
    batch.refresh_from_db()
    in_draw_order = list(batch.items.order_by("position").values_list("report_id", flat=True))
    assert spotcheck_reproduce(batch) == in_draw_order
    assert batch.candidate_ids == sorted(batch.candidate_ids)
    assert batch.candidate_digest == candidate_digest(batch.candidate_ids)
    assert batch.sample_size == 4 and batch.requested_size == 4 and batch.requested_ratio is None
    # The same candidates and seed in another batch give the same sample (what an auditor re-runs).
    SpotCheckItem.objects.filter(batch=batch).update(state="passed", qualified=True,
                                                     finished_at=timezone.now())
    again = draw(world.users.henan, org=None, size=4, seed=batch.seed)
    assert list(again.items.order_by("position").values_list("report_id", flat=True)) == in_draw_order


def test_a_tampered_candidate_list_is_detected(world, henan_mix):
    batch = draw(world.users.henan, org=None, size=2)
    batch.candidate_ids = batch.candidate_ids[:-1]
    with pytest.raises(ValueError, match="摘要不符"):
        spotcheck_reproduce(batch)


def test_seeds_are_not_chosen_by_the_user_and_differ(world, henan_mix):
    seeds = {draw(world.users.henan, org=None, size=1).seed for _ in range(3)}
    assert len(seeds) == 3


def test_ratio_rounds_up(world, henan_mix):
    batch = draw(world.users.henan, org=world.orgs.zhengzhou, size=None, ratio=50)  # 50% of 5
    assert batch.sample_size == 3 and batch.requested_ratio == 50 and batch.requested_size is None


def test_a_ratio_above_the_sample_cap_is_refused_saying_what_is_allowed(world, henan_mix, monkeypatch):
    # 1000 is the real cap; 5 candidates and a cap of 2 show the same rule at test size.
    monkeypatch.setattr("apps.spotchecks.actions.MAX_SAMPLE_SIZE", 2)
    message = "共5件，按50%应抽取3件，超过单批上限2件：抽检比例最多为40%"
    with pytest.raises(ReportActionError, match=re.escape(message)):
        draw(world.users.henan, org=world.orgs.zhengzhou, size=None, ratio=50)
    assert not SpotCheckBatch.objects.exists() and not SpotCheckItem.objects.exists()
    assert draw(world.users.henan, org=world.orgs.zhengzhou, size=None, ratio=40).sample_size == 2


def test_too_many_candidates_are_refused_before_anything_is_stored(world, henan_mix, monkeypatch):
    # Every batch stores its candidate ids: a national quarter is narrowed, not stored.
    monkeypatch.setattr("apps.spotchecks.actions.MAX_CANDIDATES", 4)
    with pytest.raises(ReportActionError, match="超过4件，请缩小抽检范围或办结日期"):
        draw(world.users.henan, org=world.orgs.zhengzhou, size=1)  # 5 candidates
    assert not SpotCheckBatch.objects.exists()
    assert not AuditLog.objects.filter(action="spotcheck.create").exists()
    batch = draw(world.users.henan, org=world.orgs.luoyang, size=1)  # 2 candidates
    assert batch.candidate_ids == sorted(ids(henan_mix["ly"]))


def test_event_and_audit_rows(world, henan_mix):
    batch = draw(world.users.henan, org=world.orgs.zhengzhou, size=2)
    for item in batch.items.select_related("report"):
        event = item.report.events.get(action="spotcheck_sample")
        assert event.public_text == ""  # internal: never on the reporter's progress page
        assert event.org == world.orgs.henan and event.target_org == item.checked_org
        assert batch.number in event.comment
    row = AuditLog.objects.get(action="spotcheck.create")
    assert row.detail["seed"] == str(batch.seed)
    assert row.detail["candidate_digest"] == batch.candidate_digest
    assert row.target_id == str(batch.pk)


def test_closing_dates_are_whole_local_days(world):
    day = TODAY - dt.timedelta(days=3)
    report = closed(world, world.orgs.jinshui, closed_on=day)
    Report.objects.filter(pk=report.pk).update(
        closed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59))))
    batch = draw(world.users.henan, closed_from=day, closed_to=day)
    assert batch.items.get().report_id == report.pk
    with pytest.raises(ReportActionError, match="没有可抽检"):
        draw(world.users.henan, closed_from=day + dt.timedelta(days=1), closed_to=TODAY)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": None, "ratio": None}, "抽检数量或抽检比例"),
    ({"size": 2, "ratio": 10}, "抽检数量或抽检比例"),
    ({"size": 0}, "抽检数量应为1至1000"),
    ({"size": "abc"}, "抽检数量应为1至1000"),
    ({"size": 1001}, "抽检数量应为1至1000"),
    ({"size": None, "ratio": 101}, "抽检比例应为1至100"),
    ({"size": 99}, "共7件，抽检数量不能超过7件"),
    ({"closed_from": TODAY, "closed_to": MONTH_AGO}, "不能晚于办结日期止"),
    ({"closed_from": "2026-13-01"}, "格式不正确"),
    ({"closed_from": None}, "请填写办结日期起"),
    ({"closed_from": TODAY + dt.timedelta(days=2), "closed_to": TODAY + dt.timedelta(days=3)},
     "不能晚于今天"),
    # Dates at the ends of the calendar overflowed into a 500 when turned into local-day bounds.
    ({"closed_from": "0001-01-01"}, "办结日期起不能早于2000年1月1日"),
    ({"closed_from": dt.date(1999, 12, 31)}, "办结日期起不能早于2000年1月1日"),
    ({"closed_to": "9999-12-31"}, "办结日期止不能晚于今天"),
    ({"closed_to": TODAY + dt.timedelta(days=1)}, "办结日期止不能晚于今天"),
    ({"scope": "everything"}, "请选择抽检范围"),
    ({"scope": "region", "region": None}, "请选择抽检地区"),
])
def test_bad_input_changes_nothing(world, henan_mix, kwargs, message):
    with pytest.raises(ReportActionError, match=message):
        draw(world.users.henan, **kwargs)
    assert not SpotCheckBatch.objects.exists()
    assert not SpotCheckItem.objects.exists()


def test_an_internal_department_is_not_a_scope(world, henan_mix):
    with pytest.raises(ReportActionError, match="内设机构"):
        draw(world.users.henan, org=world.orgs.zhengzhou_dept)


@pytest.mark.parametrize("who", ["auditor", "anonymous"])
def test_auditors_and_the_unauthenticated_cannot_sample(world, henan_mix, who):
    user = AnonymousUser() if who == "anonymous" else world.users.auditor
    with pytest.raises(PermissionDeniedForAction):
        draw(user, org=None)
