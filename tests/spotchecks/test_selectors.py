"""合格率 figures, who sees which item, and the 督办 selector for correction deadlines."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from apps.spotchecks import selectors
from apps.spotchecks.actions import spotcheck_create, spotcheck_rectify, spotcheck_review, spotcheck_verify
from apps.spotchecks.models import SpotCheckItem
from apps.workcalendar.calendar import add_working_days
from tests.spotchecks.world import closed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def draw(user, org, size):
    return spotcheck_create(actor=user, scope="org", org=org, closed_from=TODAY - dt.timedelta(days=5),
                            closed_to=TODAY, size=size)


def items_of(batch, org):
    return list(batch.items.filter(checked_org=org).order_by("position"))


@pytest.fixture
def reviewed(world):
    """河南省 samples 4 of 郑州市's and 3 of 洛阳市's closed reports and reviews them:
    郑州市 3 合格 + 1 不合格 (then corrected), 洛阳市 1 合格 + 1 不合格 + 1 not yet reviewed."""
    o, u = world.orgs, world.users
    for _ in range(4):
        closed(world, o.zhengzhou, region_code="410105")
    for _ in range(3):
        closed(world, o.luoyang)
    batch = draw(u.henan, None, 7)
    zz, ly = items_of(batch, o.zhengzhou), items_of(batch, o.luoyang)
    for item in zz[:3] + ly[:1]:
        spotcheck_review(actor=u.henan, item=item, qualified=True)
    spotcheck_review(actor=u.henan, item=zz[3], qualified=False, opinion="处罚偏轻")
    spotcheck_rectify(actor=u.zhengzhou, item=zz[3], explanation="已改", penalty_amount="90000")
    spotcheck_verify(actor=u.henan, item=zz[3], passed=True)
    spotcheck_review(actor=u.henan, item=ly[1], qualified=False, opinion="奖励未兑现")
    return batch


def test_pass_rates_per_org_and_overall(world, reviewed):
    rates, total = selectors.pass_rates(reviewed.items.all())
    by_org = {r.org_name: r for r in rates}
    zz, ly = by_org["郑州市应急管理局"], by_org["洛阳市应急管理局"]
    counts = (zz.sampled, zz.reviewed, zz.qualified, zz.unqualified, zz.corrected, zz.open)
    assert counts == (4, 4, 3, 1, 1, 0)
    assert zz.rate == Decimal("75.0") and zz.rate_text == "75.0%"
    assert (ly.sampled, ly.reviewed, ly.qualified, ly.unqualified, ly.open) == (3, 2, 1, 1, 2)
    assert ly.rate == Decimal("50.0")
    assert (total.sampled, total.reviewed, total.qualified) == (7, 6, 4)
    assert total.rate == Decimal("66.7")  # 4/6, rounded half up


def test_overall_rates_span_batches(world, reviewed):
    o, u = world.orgs, world.users
    closed(world, o.zhengzhou, region_code="410105")
    second = draw(u.henan, o.zhengzhou, 1)
    spotcheck_review(actor=u.henan, item=second.items.get(), qualified=False, opinion="不规范")
    rates, total = selectors.pass_rates(selectors.checking_items(u.henan))
    zz = next(r for r in rates if r.org_id == o.zhengzhou.pk)
    assert (zz.reviewed, zz.qualified, zz.rate) == (5, 3, Decimal("60.0"))
    assert total.reviewed == 7
    # 郑州市's own 合格率 page shows nothing: it ran no spot checks.
    assert selectors.pass_rates(selectors.checking_items(u.zhengzhou))[0] == []


def test_no_review_yet_has_no_rate(world):
    rate = selectors.PassRate(org_id=None, org_name="x", sampled=3)
    assert rate.rate is None and rate.rate_text == "—"


def test_pass_rates_take_two_queries(world, reviewed, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.pass_rates(reviewed.items.all())


def test_the_checked_org_sees_only_its_own_unqualified_items(world, reviewed):
    o, u = world.orgs, world.users
    zz = items_of(reviewed, o.zhengzhou)
    ly = items_of(reviewed, o.luoyang)
    assert selectors.item_get_for_user_or_404(u.zhengzhou, zz[3].pk) == zz[3]
    for hidden in (zz[0], ly[1], ly[2]):  # 合格, another city's, not yet reviewed
        with pytest.raises(Http404):
            selectors.item_get_for_user_or_404(u.zhengzhou, hidden.pk)
    for user in (u.hebei, u.jinshui, u.auditor, u.zhengzhou_dept):
        with pytest.raises(Http404):
            selectors.item_get_for_user_or_404(user, zz[3].pk)
    assert selectors.item_get_for_user_or_404(u.henan2, ly[2].pk) == ly[2]
    with pytest.raises(Http404):
        selectors.item_get_for_user_or_404(u.henan, "abc")


def test_superiors_of_the_checked_org_read_its_unqualified_items_but_act_on_none(world, reviewed):
    o, u = world.orgs, world.users
    zz = items_of(reviewed, o.zhengzhou)
    ly = items_of(reviewed, o.luoyang)
    for item in (zz[3], ly[1]):  # 不合格: corrected, and awaiting the correction
        assert selectors.item_read_for_user_or_404(u.ministry, item.pk) == item
        assert selectors.available_steps(u.ministry, item) == set()
        with pytest.raises(Http404):  # the step URLs' lookup is unchanged
            selectors.item_get_for_user_or_404(u.ministry, item.pk)
    for hidden in (zz[0], ly[2]):  # 合格, not yet reviewed: nothing to 督办
        with pytest.raises(Http404):
            selectors.item_read_for_user_or_404(u.ministry, hidden.pk)
    # Sideways, below, a 内设机构 of the checking org, an auditor: still nothing.
    for user in (u.hebei, u.shijiazhuang, u.luoyang, u.jinshui, u.henan_dept, u.auditor):
        with pytest.raises(Http404):
            selectors.item_read_for_user_or_404(user, zz[3].pk)
    # The checking and the checked org read what they already could.
    assert selectors.item_read_for_user_or_404(u.henan, zz[0].pk) == zz[0]
    assert selectors.item_read_for_user_or_404(u.luoyang, ly[1].pk) == ly[1]


def test_batches_are_seen_only_by_the_checking_org(world, reviewed):
    u = world.users
    assert selectors.batch_get_for_user_or_404(u.henan2, reviewed.pk) == reviewed
    for user in (u.zhengzhou, u.ministry, u.hebei, u.auditor):
        with pytest.raises(Http404):
            selectors.batch_get_for_user_or_404(user, reviewed.pk)


def test_rectify_and_verify_lists(world, reviewed):
    o, u = world.orgs, world.users
    ly = items_of(reviewed, o.luoyang)
    assert list(selectors.items_to_rectify(u.luoyang)) == [ly[1]]
    assert list(selectors.items_to_rectify(u.zhengzhou)) == []
    assert len(selectors.items_to_rectify(u.zhengzhou, include_finished=True)) == 1
    assert list(selectors.items_to_verify(u.henan)) == []
    spotcheck_rectify(actor=u.luoyang, item=ly[1], explanation="已兑现")
    assert list(selectors.items_to_verify(u.henan)) == [ly[1]]
    assert list(selectors.items_to_verify(u.luoyang)) == []
    assert selectors.counts_for(u.henan) == {"rectify": 0, "verify": 1}


def test_items_due_for_supervision(world, reviewed):
    o, u = world.orgs, world.users
    ly = items_of(reviewed, o.luoyang)[1]
    # Due in 10 working days: not yet due within the 3-day warning.
    assert list(selectors.spotcheck_items_due(u.henan)) == []
    soon = add_working_days(TODAY, 3)
    SpotCheckItem.objects.filter(pk=ly.pk).update(rectify_due=soon)
    assert list(selectors.spotcheck_items_due(u.henan)) == [ly]
    assert selectors.item_badge(SpotCheckItem.objects.get(pk=ly.pk)).text == "即将超期（剩3天）"
    assert list(selectors.spotcheck_items_due(u.henan, warn_days=2)) == []
    SpotCheckItem.objects.filter(pk=ly.pk).update(rectify_due=TODAY - dt.timedelta(days=1))
    assert list(selectors.spotcheck_items_due(u.henan, warn_days=0)) == [ly]
    assert selectors.item_badge(SpotCheckItem.objects.get(pk=ly.pk)).state == "overdue"
    # 督办 is a superior's view: the org itself, its peers and other provinces see nothing.
    for user in (u.luoyang, u.zhengzhou, u.hebei, u.auditor):
        assert list(selectors.spotcheck_items_due(user)) == []
    assert list(selectors.spotcheck_items_due(u.ministry)) == [ly]


def test_rates_of_loaded_items_agree_with_the_database(world, reviewed):
    in_db = selectors.pass_rates(reviewed.items.all())
    in_python = selectors.pass_rates_of(list(reviewed.items.select_related("checked_org")))
    assert in_python == in_db


# ---- 按地区 jurisdiction ----


@pytest.fixture
def xpcc(world):
    """新疆生产建设兵团应急管理局 as the national tree builds it: a province-level org with no
    region of its own, covering only the 兵团 cities (county-level, under 新疆) as extra regions."""
    from apps.orgs.models import Org
    from tests.factories import OrgFactory, RegionFactory, UserFactory

    xinjiang = RegionFactory(code="650000", name="新疆维吾尔自治区", level="province")
    urumqi = RegionFactory(code="650100", name="乌鲁木齐市", level="city", parent=xinjiang)
    shihezi = RegionFactory(code="659001", name="石河子市", level="county", parent=xinjiang)
    wujiaqu = RegionFactory(code="659004", name="五家渠市", level="county", parent=xinjiang)
    org = OrgFactory(code="EM-XPCC", name="新疆生产建设兵团应急管理局", level=Org.Level.PROVINCE,
                     parent=world.orgs.ministry, region=None)
    org.extra_regions.set([shihezi, wujiaqu])
    user = UserFactory(username="sc_xpcc", real_name="兵团经办人", org=org)
    return {"user": user, "own": [shihezi, wujiaqu], "other": [xinjiang, urumqi]}


def test_the_bingtuan_samples_only_its_own_regions(world, xpcc):
    user = xpcc["user"]
    assert {r.code for r in selectors.sampleable_regions(user)} == {"659001", "659004"}
    for region in xpcc["own"]:
        assert selectors.region_is_sampleable(user, region)
    for region in [*xpcc["other"], world.regions["410000"], world.regions["130102"]]:
        assert not selectors.region_is_sampleable(user, region), region.name


def test_region_choices_follow_the_jurisdiction(world):
    u = world.users
    assert {r.code for r in selectors.sampleable_regions(u.zhengzhou)} == {"410100", "410105", "410102"}
    # The whole country: provinces and cities, not every county.
    assert {r.code for r in selectors.sampleable_regions(u.ministry)} == {
        "410000", "410100", "410300", "130000", "130100"}
    assert not selectors.sampleable_regions(u.auditor).exists()
