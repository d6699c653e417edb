"""抽检管理 in Chromium (issue 7's browser test): 河南省 samples the reports 郑州市 closed, marks one
不合格 and the other 合格; 郑州市 corrects the 不合格 one (penalty and reward) and resubmits it;
河南省 passes it. Every round shows on the item page and each correction is in the 流转记录."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.reports.models import Report
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem
from tests.spotchecks.world import build_world, close_for_real

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_henan_samples_zhengzhou_which_corrects_and_henan_passes(browser_as, transactional_db):
    world = build_world()
    reports = [close_for_real(world) for _ in range(2)]
    today = timezone.localdate().isoformat()

    # 河南省: 随机抽检 of 郑州市's closed reports.
    henan = browser_as(world.users.henan)
    henan.goto("/")
    henan.get_by_role("link", name="抽检管理").click()
    henan.get_by_role("link", name="新建随机抽检").click()
    henan.get_by_label("按机构", exact=True).check()
    henan.select_option("#id_org", str(world.orgs.zhengzhou.pk))
    henan.fill("#id_size", "2")
    henan.locator("#id_size").dispatch_event("change")
    expect(henan.locator("#candidate-number")).to_have_text("2")
    henan.get_by_role("button", name="随机抽取").click()
    expect(henan.locator("#sample-size")).to_have_text("2")
    batch = SpotCheckBatch.objects.get()
    rows = henan.locator("#item-table tbody tr")
    expect(rows).to_have_count(2)

    first, second = batch.items.order_by("position")
    # The second one is fine: 合格.
    henan.locator(f'tr[data-item="{second.pk}"]').get_by_role("link", name="审查").click()
    expect(henan.locator("#timeline")).to_contain_text("办结")
    henan.get_by_label("合格", exact=True).check()
    henan.get_by_role("button", name="提交抽检结论").click()
    expect(henan.locator("#item-state")).to_have_text("合格")
    # The first one: 不合格 with 整改意见.
    henan.goto(f"/spotchecks/batches/{batch.pk}/")
    henan.locator(f'tr[data-item="{first.pk}"]').get_by_role("link", name="审查").click()
    henan.get_by_label("不合格", exact=True).check()
    henan.fill("#id_opinion", "处罚金额偏低，奖励已落实但未录入兑现情况。")
    henan.get_by_role("button", name="提交抽检结论").click()
    expect(henan.locator("#item-state")).to_have_text("待整改")
    expect(henan.locator(".deadline-badge")).to_contain_text("整改期限")

    # 郑州市: 抽检办理.
    zhengzhou = browser_as(world.users.zhengzhou)
    zhengzhou.goto("/spotchecks/")
    zhengzhou.get_by_role("link", name="抽检办理").click()
    row = zhengzhou.locator(f'tr[data-item="{first.pk}"]')
    expect(row).to_contain_text("待整改")
    expect(zhengzhou.locator(f'tr[data-item="{second.pk}"]')).to_have_count(0)  # 合格: nothing to do
    row.get_by_role("link", name="整改").click()
    expect(zhengzhou.locator("#latest-opinion")).to_contain_text("处罚金额偏低")
    zhengzhou.locator("#rectify-link").click()
    zhengzhou.fill("#id_penalty_amount", "80000")
    zhengzhou.get_by_label("已兑现", exact=True).check()
    zhengzhou.fill("#id_reward_amount", "2000")
    zhengzhou.fill("#id_reward_paid_on", today)
    zhengzhou.fill("#id_explanation", "已按规定加重处罚，奖励2000元已于今日兑现。")
    zhengzhou.get_by_role("button", name="提交整改").click()
    expect(zhengzhou.locator("#item-state")).to_have_text("待核查")
    expect(zhengzhou.locator("#result-penalty")).to_contain_text("80000")
    expect(zhengzhou.locator("#timeline")).to_contain_text("处罚金额（元）：50000.00 → 80000")

    # 河南省: 抽检核查 → 通过.
    henan.goto("/spotchecks/")
    henan.get_by_role("link", name="抽检核查").click()
    henan.locator(f'tr[data-item="{first.pk}"]').get_by_role("link", name="核查").click()
    expect(henan.locator("#result-reward")).to_contain_text("已兑现")
    henan.get_by_label("通过", exact=True).check()
    henan.get_by_role("button", name="提交核查结论").click()
    expect(henan.locator("#item-state")).to_have_text("整改通过")
    expect(henan.locator("#rounds > li")).to_have_count(3)

    henan.goto("/spotchecks/stats/")
    expect(henan.locator('tr[data-org="total"] .rate')).to_have_text("50.0%")

    first.refresh_from_db()
    assert first.state == SpotCheckItem.State.CORRECTED and first.rectify_count == 1
    report = Report.objects.get(pk=first.report_id)
    assert report.status == Report.Status.CLOSED and report.penalty_amount == 80000
    assert report.reward_status == Report.RewardStatus.PAID
    assert {r.pk for r in reports} == set(batch.items.values_list("report_id", flat=True))
    assert SpotCheckBatch.objects.get().finished_at is not None
    assert henan.js_errors == [] and zhengzhou.js_errors == []
