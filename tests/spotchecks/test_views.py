"""The 抽检管理 pages: rendering, forms calling the actions, 404 outside jurisdiction, pinned query
counts for the list pages, and the Excel export read back."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.audit.models import AuditLog
from apps.reports.models import Report
from apps.spotchecks.actions import spotcheck_create, spotcheck_rectify, spotcheck_review
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem
from tests.spotchecks.world import closed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
S = SpotCheckItem.State


def draw(world, size=2, org=None):
    return spotcheck_create(actor=world.users.henan, scope="org", org=org or world.orgs.zhengzhou,
                            closed_from=TODAY - dt.timedelta(days=5), closed_to=TODAY, size=size)


@pytest.fixture
def reports(world):
    return [closed(world, world.orgs.zhengzhou, region_code="410105") for _ in range(3)]


@pytest.fixture
def batch(world, reports):
    return draw(world)


def as_user(client, user):
    client.force_login(user)
    return client


# ---- 随机抽检 ----

def test_create_form_draws_and_redirects(client, world, reports):
    c = as_user(client, world.users.henan)
    page = c.get(reverse("spotchecks:create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "郑州市应急管理局" in html and "洛阳市应急管理局" in html and "河北省" not in html
    response = c.post(reverse("spotchecks:create"), {
        "scope": "org", "org": world.orgs.zhengzhou.pk,
        "closed_from": (TODAY - dt.timedelta(days=3)).isoformat(), "closed_to": TODAY.isoformat(),
        "size_mode": "size", "size": "2",
    })
    batch = SpotCheckBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spotchecks:batch", args=[batch.pk])
    assert batch.sample_size == 2 and batch.created_by == world.users.henan
    assert AuditLog.objects.filter(action="spotcheck.create").count() == 1


def test_create_by_ratio_and_region(client, world, reports):
    c = as_user(client, world.users.henan)
    c.post(reverse("spotchecks:create"), {
        "scope": "region", "region": world.regions["410100"].pk, "closed_from": TODAY.isoformat(),
        "closed_to": TODAY.isoformat(), "size_mode": "ratio", "ratio": "34", "size": "99",
    })
    batch = SpotCheckBatch.objects.get()
    assert batch.scope == "region" and batch.requested_ratio == 34 and batch.sample_size == 2


@pytest.mark.parametrize(("data", "message", "status"), [
    ({"size": "50"}, "共3件，抽检数量不能超过3件", 400),
    ({"size": ""}, "请填写抽检数量或抽检比例", 400),
    ({"closed_from": "2026-02-30"}, "日期", 400),
    ({"org": "999999"}, "选择一个有效的选项", 400),
    ({"scope": "region", "region": ""}, "请选择抽检地区", 400),
    ({"closed_from": "0001-01-01"}, "办结日期起不能早于2000年1月1日", 400),
    ({"closed_to": "9999-12-31"}, "办结日期止不能晚于今天", 400),
])
def test_create_refusals_show_a_chinese_message(client, world, reports, data, message, status):
    form = {"scope": "org", "org": world.orgs.zhengzhou.pk, "closed_from": TODAY.isoformat(),
            "closed_to": TODAY.isoformat(), "size_mode": "size", "size": "1"}
    form.update(data)
    response = as_user(client, world.users.henan).post(reverse("spotchecks:create"), form)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not SpotCheckBatch.objects.exists()


def test_an_org_outside_jurisdiction_is_not_offered_nor_accepted(client, world, reports):
    closed(world, world.orgs.shijiazhuang)
    response = as_user(client, world.users.henan).post(reverse("spotchecks:create"), {
        "scope": "org", "org": world.orgs.shijiazhuang.pk, "closed_from": TODAY.isoformat(),
        "closed_to": TODAY.isoformat(), "size_mode": "size", "size": "1"})
    assert response.status_code == 400 and not SpotCheckBatch.objects.exists()


def test_the_bingtuan_is_offered_only_its_own_regions(client, world):
    from apps.orgs.models import Org
    from tests.factories import OrgFactory, RegionFactory, UserFactory

    xinjiang = RegionFactory(code="650000", name="新疆维吾尔自治区", level="province")
    shihezi = RegionFactory(code="659001", name="石河子市", level="county", parent=xinjiang)
    RegionFactory(code="650100", name="乌鲁木齐市", level="city", parent=xinjiang)
    xpcc = OrgFactory(code="EM-XPCC", name="新疆生产建设兵团应急管理局", level=Org.Level.PROVINCE,
                      parent=world.orgs.ministry, region=None)
    xpcc.extra_regions.set([shihezi])
    user = UserFactory(username="sc_xpcc", org=xpcc)
    html = as_user(client, user).get(reverse("spotchecks:create")).content.decode()
    assert "石河子市" in html
    for name in ("河南省", "河北省", "乌鲁木齐市", "新疆维吾尔自治区"):
        assert name not in html, name


def test_candidate_count_partial(client, world, reports):
    c = as_user(client, world.users.henan)
    url = reverse("spotchecks:candidates")
    html = c.get(url, {"scope": "org", "org": world.orgs.zhengzhou.pk, "closed_from": TODAY.isoformat(),
                       "closed_to": TODAY.isoformat(), "size_mode": "size", "size": "1"}).content.decode()
    assert 'id="candidate-number">3<' in html
    html = c.get(url, {"scope": "org", "closed_from": "x"}).content.decode()
    assert "请完整填写查询条件" in html
    # 郑州市 itself has no subordinate closures: its count is 0, whatever it asks for.
    html = as_user(client, world.users.zhengzhou).get(url, {
        "scope": "org", "closed_from": TODAY.isoformat(), "closed_to": TODAY.isoformat(), "size_mode": "size",
    }).content.decode()
    assert 'id="candidate-number">0<' in html


@pytest.mark.parametrize(("data", "message"), [
    ({"closed_from": "0001-01-01"}, "办结日期起不能早于2000年1月1日"),
    ({"closed_to": "9999-12-31"}, "办结日期止不能晚于今天"),
    ({"scope": "region", "region": "", "closed_to": "9999-12-31"}, "办结日期止不能晚于今天"),
])
def test_candidate_count_refuses_dates_out_of_range(client, world, reports, data, message):
    query = {"scope": "org", "org": world.orgs.zhengzhou.pk, "closed_from": TODAY.isoformat(),
             "closed_to": TODAY.isoformat(), "size_mode": "size", "size": "1"}
    query.update(data)
    response = as_user(client, world.users.henan).get(reverse("spotchecks:candidates"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "candidate-number" not in html


def test_index_lists_open_and_finished_batches(client, world, batch):
    c = as_user(client, world.users.henan)
    assert batch.number in c.get(reverse("spotchecks:index")).content.decode()
    assert batch.number not in c.get(reverse("spotchecks:index"), {"state": "finished"}).content.decode()
    assert batch.number in c.get(reverse("spotchecks:index"), {"state": "nonsense"}).content.decode()
    other = as_user(client, world.users.zhengzhou).get(reverse("spotchecks:index"))
    assert batch.number not in other.content.decode()


def test_batch_page_shows_the_draw_record_and_items(client, world, batch):
    response = as_user(client, world.users.henan).get(reverse("spotchecks:batch", args=[batch.pk]))
    html = response.content.decode()
    assert str(batch.seed) in html and batch.candidate_digest in html
    for item in batch.items.select_related("report"):
        assert item.report.number in html
    assert "合格率" in html


# ---- one item ----

def test_review_through_the_page(client, world, batch):
    item = batch.items.first()
    c = as_user(client, world.users.henan)
    html = c.get(reverse("spotchecks:item", args=[item.pk])).content.decode()
    assert 'id="review-form"' in html and item.report.number in html and "流转记录" in html
    response = c.post(reverse("spotchecks:review", args=[item.pk]), {"verdict": "unqualified", "opinion": ""})
    assert response.status_code == 400 and "请填写整改意见" in response.content.decode()
    response = c.post(reverse("spotchecks:review", args=[item.pk]),
                      {"verdict": "unqualified", "opinion": "奖励标准适用错误"})
    assert response.status_code == 302
    assert SpotCheckItem.objects.get(pk=item.pk).state == S.RECTIFYING
    # A second review of the same item is refused as a wrong state, with the action's message.
    response = c.post(reverse("spotchecks:review", args=[item.pk]), {"verdict": "qualified"})
    assert response.status_code == 409 and "不能抽检审查" in response.content.decode()


def test_the_checked_org_cannot_review(client, world, batch):
    item = batch.items.first()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="x")
    spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="改")
    response = as_user(client, world.users.zhengzhou).post(reverse("spotchecks:verify", args=[item.pk]),
                                                           {"verdict": "passed"})
    assert response.status_code == 403 and "只有组织抽检的单位" in response.content.decode()
    assert SpotCheckItem.objects.get(pk=item.pk).state == S.VERIFYING


def test_rectify_and_verify_through_the_pages(client, world, batch):
    item = batch.items.first()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="处罚金额有误")
    zz = as_user(client, world.users.zhengzhou)
    listing = zz.get(reverse("spotchecks:rectify_list")).content.decode()
    assert item.report.number in listing and "整改期限" in listing and "正常" in listing
    form_page = zz.get(reverse("spotchecks:rectify", args=[item.pk]))
    assert form_page.status_code == 200 and "处罚金额有误" in form_page.content.decode()
    report = item.report
    data = {"conclusion": "true", "verification_summary": report.verification_summary,
            "decision": "罚款6万元", "penalty_amount": "60000", "rectification": "", "reward_status": "none",
            "reward_amount": "123", "reward_paid_on": "", "explanation": "已更正处罚金额"}
    response = zz.post(reverse("spotchecks:rectify", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    assert report.penalty_amount == 60000 and report.reward_amount is None  # hidden amount ignored for 无奖励
    henan = as_user(client, world.users.henan)
    assert item.report.number in henan.get(reverse("spotchecks:verify_list")).content.decode()
    response = henan.post(reverse("spotchecks:verify", args=[item.pk]), {"verdict": "passed", "opinion": ""})
    assert response.status_code == 302
    assert SpotCheckItem.objects.get(pk=item.pk).state == S.CORRECTED


def test_rectify_page_refusals(client, world, batch):
    item = batch.items.first()
    zz = as_user(client, world.users.zhengzhou)
    # Not reviewed yet: the item does not exist for 郑州市.
    assert zz.get(reverse("spotchecks:rectify", args=[item.pk])).status_code == 404
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="x")
    response = zz.post(reverse("spotchecks:rectify", args=[item.pk]), {
        "conclusion": "true", "verification_summary": "x", "reward_status": "paid", "reward_amount": "",
        "explanation": "改"})
    assert response.status_code == 400 and "请填写奖励金额" in response.content.decode()
    response = zz.post(reverse("spotchecks:rectify", args=[item.pk]), {"conclusion": "nonsense"})
    assert response.status_code == 400
    assert SpotCheckItem.objects.get(pk=item.pk).state == S.RECTIFYING
    # 河南省 sees the item but may not rectify it.
    response = as_user(client, world.users.henan).post(reverse("spotchecks:rectify", args=[item.pk]), {
        "conclusion": "true", "verification_summary": "x", "reward_status": "none", "explanation": "改"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["hebei", "jinshui", "luoyang", "zhengzhou", "ministry"])
def test_outside_jurisdiction_is_404(client, world, batch, who):
    item = batch.items.first()
    c = as_user(client, getattr(world.users, who))
    for name, args in [("batch", [batch.pk]), ("export", [batch.pk]), ("item", [item.pk]),
                       ("rectify", [item.pk])]:
        assert c.get(reverse(f"spotchecks:{name}", args=args)).status_code == 404, name
    assert c.post(reverse("spotchecks:review", args=[item.pk]), {"verdict": "qualified"}).status_code == 404
    assert SpotCheckItem.objects.get(pk=item.pk).state == S.REVIEWING


def test_a_superior_of_the_checked_org_reads_the_item_without_its_forms(client, world, batch):
    item = batch.items.first()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="处罚偏轻")
    SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=TODAY - dt.timedelta(days=1))
    url = reverse("spotchecks:item", args=[item.pk])
    step_urls = [reverse(f"spotchecks:{name}", args=[item.pk]) for name in ("review", "rectify", "verify")]
    ministry = as_user(client, world.users.ministry)
    assert url in ministry.get(reverse("spotchecks:due")).content.decode()  # 整改督办's 查看
    for state in (S.RECTIFYING, S.VERIFYING):
        if state == S.VERIFYING:
            spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="已加重处罚")
        page = as_user(client, world.users.ministry).get(url)
        html = page.content.decode()
        assert page.status_code == 200 and item.report.number in html and "处罚偏轻" in html, state
        assert "返回整改督办" in html
        for form in ('id="review-form"', 'id="verify-form"', 'id="rectify-link"', *step_urls):
            assert form not in html, (state, form)
    # The checking org still gets its form; the superior still may take no step.
    assert 'id="verify-form"' in as_user(client, world.users.henan).get(url).content.decode()
    ministry = as_user(client, world.users.ministry)
    assert ministry.get(step_urls[1]).status_code == 404
    posts = ({"verdict": "qualified"}, {"explanation": "改"}, {"verdict": "passed"})
    for step_url, data in zip(step_urls, posts, strict=True):
        assert ministry.post(step_url, data).status_code == 404, step_url
    assert SpotCheckItem.objects.get(pk=item.pk).state == S.VERIFYING
    # Sideways or below the checked org: the same 404 as before.
    for who in ("hebei", "luoyang", "zhongyuan", "jinshui"):
        assert as_user(client, getattr(world.users, who)).get(url).status_code == 404, who


def test_pages_need_login(client, world, batch):
    response = client.get(reverse("spotchecks:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_get_is_not_allowed_on_review(client, world, batch):
    c = as_user(client, world.users.henan)
    assert c.get(reverse("spotchecks:review", args=[batch.items.first().pk])).status_code == 405


# ---- pinned query counts ----

def queries(client, url) -> tuple[int, int]:
    """(all queries, queries on this app's tables). The staff layout's own counters (消息中心, 督办)
    belong to other apps and are checked there; this app pins its own and checks that the total
    does not grow with the number of rows."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    own = [q for q in ctx.captured_queries if "spotchecks_" in q["sql"]]
    return len(ctx.captured_queries), len(own)


# Per page, on this app's tables: the tab counts, the row count and the page of rows; the batch page
# the tab counts, the batch, its items and the 合格率; the 合格率 page the tab counts and the 合格率
# (the org names for the 合格率 are one more query, on orgs). Plus, on every page, the layout's
# 被督办 count, which reads this app's items: a 督办 of a 抽检整改 stays open until it is corrected.
PINNED = {"index": 4, "verify_list": 4, "due": 4, "stats": 3, "rectify_list": 4, "batch": 5}


def test_list_pages_do_not_grow_with_rows(client, world):
    for _ in range(6):
        closed(world, world.orgs.zhengzhou, region_code="410105")
    henan = as_user(client, world.users.henan)
    names = ("index", "verify_list", "due", "stats")

    def measure():
        result = {name: queries(henan, reverse(f"spotchecks:{name}")) for name in names}
        first = SpotCheckBatch.objects.order_by("pk").first()
        result["batch"] = queries(henan, reverse("spotchecks:batch", args=[first.pk]))
        return result

    def review_all(batch):
        # Every list gets rows: one correction waiting for 核查, the others overdue (整改督办).
        for position, item in enumerate(batch.items.all()):
            spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="x")
            if position == 0:
                spotcheck_rectify(actor=world.users.zhengzhou, item=item, explanation="改")
            else:
                SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=TODAY - dt.timedelta(days=2))

    review_all(draw(world, size=2))
    measure()  # warm the per-process working-day calendar (badges, unconfirmed-year notices)
    queries(as_user(client, world.users.zhengzhou), reverse("spotchecks:rectify_list"))  # and its 督办 badge
    henan = as_user(client, world.users.henan)
    small = measure()
    zz_small = queries(as_user(client, world.users.zhengzhou), reverse("spotchecks:rectify_list"))
    review_all(draw(world, size=4))
    henan = as_user(client, world.users.henan)
    big = measure()
    zz_big = queries(as_user(client, world.users.zhengzhou), reverse("spotchecks:rectify_list"))
    assert small == big and zz_small == zz_big
    assert {name: own for name, (_total, own) in big.items()} == {k: PINNED[k] for k in big}
    assert zz_big[1] == PINNED["rectify_list"]


# ---- export ----

def test_export_reads_back(client, world, batch):
    first, second = batch.items.order_by("position")
    spotcheck_review(actor=world.users.henan, item=first, qualified=True)
    spotcheck_review(actor=world.users.henan, item=second, qualified=False, opinion="=HYPERLINK(\"x\")")
    response = as_user(client, world.users.henan).get(reverse("spotchecks:export", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"{batch.number}.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["抽检明细", "合格率", "抽样记录", "候选清单"]
    rows = list(wb["抽检明细"].iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "报告编号", "被抽检单位")
    assert [r[1] for r in rows[1:]] == [first.report.number, second.report.number]
    assert rows[1][10] == "合格" and rows[2][10] == "待整改" and rows[2][11] == "不合格"
    assert rows[2][14] == "'=HYPERLINK(\"x\")"  # never a live formula
    rates = list(wb["合格率"].iter_rows(values_only=True))
    assert rates[1][0] == "郑州市应急管理局" and rates[1][-1] == "50.0%"
    assert rates[-1][0] == "合计"
    record = dict(wb["抽样记录"].iter_rows(values_only=True))
    assert record["随机种子"] == str(batch.seed)
    assert record["候选清单摘要（SHA-256）"] == batch.candidate_digest
    candidates = [r[0] for r in wb["候选清单"].iter_rows(min_row=2, values_only=True)]
    assert candidates == batch.candidate_ids
    assert AuditLog.objects.filter(action="data.export", target_id=str(batch.pk)).exists()


def test_report_panel_tag_lists_spot_checks(rf, world, batch):
    from django.template import Context, Template

    item = batch.items.first()
    request = rf.get("/")
    request.user = world.users.henan
    html = Template("{% load spotchecks_tags %}{% spotcheck_report_panel report %}").render(
        Context({"request": request, "report": item.report}))
    assert batch.number in html
    request.user = world.users.hebei
    html = Template("{% load spotchecks_tags %}{% spotcheck_report_panel report %}").render(
        Context({"request": request, "report": item.report}))
    assert batch.number not in html


def test_due_panel_tag(rf, world, batch):
    from django.template import Context, Template

    item = batch.items.first()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="x")
    SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=TODAY - dt.timedelta(days=3))
    request = rf.get("/")
    request.user = world.users.henan
    html = Template("{% load spotchecks_tags %}{% spotcheck_due_panel %}").render(
        Context({"request": request}))
    assert item.report.number in html and "超期" in html
    assert 'id="spotcheck-due-count">1</span>项' in html


def test_due_panel_counts_past_its_limit_and_follows_the_supervised_filter(rf, world, batch, monkeypatch):
    from django.template import Context, Template

    from apps.spotchecks.templatetags import spotchecks_tags

    for item in batch.items.all():
        spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="x")
    SpotCheckItem.objects.update(rectify_due=TODAY - dt.timedelta(days=3))
    request = rf.get("/")
    request.user = world.users.henan

    def panel(supervised=""):
        return Template("{% load spotchecks_tags %}{% spotcheck_due_panel None supervised %}").render(
            Context({"request": request, "supervised": supervised}))

    assert 'id="spotcheck-due-count">2</span>项' in panel()
    assert 'id="spotcheck-due-count">0</span>项' in panel("yes")
    assert 'id="spotcheck-due-count">2</span>项' in panel("no")
    monkeypatch.setattr(spotchecks_tags, "DUE_PANEL_LIMIT", 1)
    html = panel()
    assert 'id="spotcheck-due-count">2</span>项' in html and "查看全部" in html
    assert html.count('id="spotcheck-due-') == 2  # one row and the count


def test_a_due_date_in_an_unconfirmed_year_is_marked_in_the_rounds(client, world, batch):
    from apps.spotchecks.models import SpotCheckRound
    from apps.workcalendar.calendar import year_is_confirmed

    assert not year_is_confirmed(2027)
    item = batch.items.first()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="处罚偏轻")
    mark = 'title="该年度节假日安排尚未确认"'
    url = reverse("spotchecks:item", args=[item.pk])

    def rounds_html(c):
        return c.get(url).content.decode().split('id="rounds"')[1].split("</section>")[0]

    rounds = rounds_html(as_user(client, world.users.henan))
    assert "整改期限" in rounds and (mark in rounds) == (not year_is_confirmed(TODAY.year))
    # (A round is append-only; the queryset update stands in for a review late in December.)
    SpotCheckRound.objects.filter(item=item).update(due=dt.date(2027, 1, 5))
    rounds = rounds_html(client)
    assert "2027-01-05" in rounds and mark in rounds


def test_a_late_correction_is_supervised_from_the_due_list(client, world, batch):
    from apps.inbox.models import Message
    from apps.supervision.models import Supervision

    item = batch.items.first()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="处罚偏轻")
    SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=TODAY - dt.timedelta(days=1))
    c = as_user(client, world.users.henan)
    supervise_url = reverse("supervision:supervise", args=[item.report_id])
    html = c.get(reverse("spotchecks:due")).content.decode()
    assert supervise_url in html and "未督办" in html
    form = c.get(supervise_url)
    assert form.status_code == 200 and "确认督办" in form.content.decode()
    response = c.post(supervise_url, {"comment": "请抓紧整改", "next": reverse("spotchecks:due"),
                                      "due_date": (TODAY + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 302 and response["Location"] == reverse("spotchecks:due")
    assert Supervision.objects.get().supervised_org == world.orgs.zhengzhou
    assert Message.objects.filter(recipient_org=world.orgs.zhengzhou, kind="supervised").exists()
    assert "已督办" in c.get(reverse("spotchecks:due")).content.decode()
    # The checked org itself may not supervise its own correction.
    response = as_user(client, world.users.zhengzhou).post(supervise_url, {
        "comment": "x", "due_date": (TODAY + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 403 and Supervision.objects.count() == 1


def test_report_status_is_never_changed_by_the_pages(client, world, batch):
    assert set(Report.objects.values_list("status", flat=True)) == {"closed"}
