import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import Handling, Report
from apps.supervision.actions import report_extension_request
from apps.supervision.models import ExtensionRequest, Supervision
from apps.workcalendar.calendar import add_working_days
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.store import invalidate_local
from tests.supervision.world import TODAY, chain, today_is

pytestmark = pytest.mark.django_db
S = Handling.State
R = Report.Status

SOON = dt.date(2026, 9, 30)


@pytest.fixture
def verifying(world):
    w = world.orgs
    return chain(
        world,
        [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
        result_due=SOON,
    )


def login(client, user):
    client.force_login(user)
    return client


def many(world, n):
    w = world.orgs
    return [
        chain(
            world,
            [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
            result_due=SOON,
        )
        for _ in range(n)
    ]


# ---- 督办举报 ----


def test_candidates_page_shows_the_seed_columns(client, world, verifying, on_today):
    Supervision.objects.create(
        report=verifying,
        stage="result",
        deadline=SOON,
        supervising_org=world.orgs.henan,
        supervised_org=world.orgs.jinshui,
        supervisor=world.users.henan,
        comment="快",
        due_date=SOON,
    )
    html = login(client, world.users.zhengzhou).get(reverse("supervision:candidates")).content.decode()
    for column in (
        "报告编号",
        "问题",
        "督办状态",
        "受理日期",
        "举报日期",
        "超期状态",
        "受理单位",
        "督办单位",
        "督办人",
        "督办时间",
    ):
        assert f">{column}<" in html
    assert verifying.number in html
    assert "即将超期（剩3天）" in html and "已督办" in html and "河南省应急管理厅经办人" in html
    assert reverse("supervision:supervise", args=[verifying.pk]) in html


def test_candidates_filter_by_supervised_state(client, world, verifying, on_today):
    login(client, world.users.zhengzhou)
    url = reverse("supervision:candidates")
    assert verifying.number in client.get(url, {"supervised": "no"}).content.decode()
    assert verifying.number not in client.get(url, {"supervised": "yes"}).content.decode()
    # Nonsense filters fall back to the defaults instead of failing.
    response = client.get(url, {"days": "abc", "supervised": "maybe", "page": "x"})
    assert response.status_code == 200 and verifying.number in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["supervision:candidates", "supervision:supervised", "supervision:extensions"]
)
def test_list_pages_have_a_pinned_query_count(client, world, on_today, name):
    """The count does not grow with the rows (no query per row), and is pinned."""
    reports = many(world, 2)
    for report in reports:
        Supervision.objects.create(
            report=report,
            stage="result",
            deadline=SOON,
            supervising_org=world.orgs.zhengzhou,
            supervised_org=world.orgs.jinshui,
            supervisor=world.users.zhengzhou,
            comment="快",
            due_date=SOON,
        )
        report_extension_request(actor=world.users.jinshui, report=report, reason="复杂", days=5)
    user = {"supervision:supervised": world.users.jinshui}.get(name, world.users.zhengzhou)
    login(client, user)
    url = reverse(name)
    _queries(client, url)  # warm the calendar cache
    small = _queries(client, url)
    for report in many(world, 3):
        Supervision.objects.create(
            report=report,
            stage="result",
            deadline=SOON,
            supervising_org=world.orgs.zhengzhou,
            supervised_org=world.orgs.jinshui,
            supervisor=world.users.zhengzhou,
            comment="快",
            due_date=SOON,
        )
        report_extension_request(actor=world.users.jinshui, report=report, reason="复杂", days=5)
    assert _queries(client, url) == small
    # session, user and org (3), the session save (3), the header/sidebar counts (被督办, 延期审批,
    # 未读: 3; the 督办 badge is cached for a minute), and the page: candidates = the orgs below +
    # count + the page's ids + its reports + hops + 督办 (6); supervised = count + page (2); extensions = two
    # lists, count + page each (4). The candidates page also lists overdue spot-check corrections (1).
    assert (
        small
        == {"supervision:candidates": 16, "supervision:supervised": 11, "supervision:extensions": 13}[name]
    )


# ---- 督办 ----


def test_supervise_form_and_submit(client, world, verifying, on_today):
    login(client, world.users.zhengzhou)
    url = reverse("supervision:supervise", args=[verifying.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    html = form.content.decode()
    assert "督办举报单" in html and "<html" not in html  # the partial for the htmx panel
    assert "督办环节：核查（期限" in html  # its running deadline's stage (抽检整改: test_views_spotcheck)
    assert add_working_days(TODAY, 5).isoformat() in html  # a sensible default date
    response = client.post(url, {"comment": "请按期办结", "due_date": "2026-10-09"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("supervision:candidates")
    assert Supervision.objects.get().supervised_org == world.orgs.jinshui


def test_supervise_refused_shows_the_reason_and_changes_nothing(client, world, verifying, on_today):
    login(client, world.users.jinshui)  # its own department: not a superior
    url = reverse("supervision:supervise", args=[verifying.pk])
    assert "只有当前办理单位的上级单位可以督办" in client.get(url).content.decode()
    response = client.post(url, {"comment": "督办", "due_date": "2026-10-09"})
    assert response.status_code == 403
    assert "只有当前办理单位的上级单位可以督办" in response.content.decode()
    bad = login(client, world.users.zhengzhou).post(url, {"comment": "", "due_date": "不是日期"})
    assert bad.status_code == 400 and "请填写督办意见" in bad.content.decode()
    assert not Supervision.objects.exists()


# ---- 延期申请与审批 ----


def test_extension_request_page(client, world, verifying, on_today):
    login(client, world.users.jinshui)
    url = reverse("supervision:extension_request", args=[verifying.pk])
    assert "提交延期申请" in client.get(url).content.decode()
    response = client.post(url, {"days": "7", "reason": "需要检测机构出具报告"})
    assert response.status_code == 302
    ext = ExtensionRequest.objects.get()
    assert (ext.days, ext.approver_org) == (7, world.orgs.zhengzhou)
    again = client.post(url, {"days": "3", "reason": "再延"})
    assert again.status_code == 409 and "已有待审批的延期申请" in again.content.decode()
    bad = client.post(url, {"days": "45", "reason": "x"})
    assert bad.status_code == 400 and "1到30之间" in bad.content.decode()
    assert ExtensionRequest.objects.count() == 1


def test_approval_list_and_decision(client, world, verifying, on_today):
    ext = report_extension_request(actor=world.users.jinshui, report=verifying, reason="复杂", days=7)
    login(client, world.users.zhengzhou)
    page = client.get(reverse("supervision:extensions")).content.decode()
    assert verifying.number in page and "复杂" in page and "批准" in page
    url = reverse("supervision:extension_decide", args=[ext.pk])
    refused = client.post(url, {"decision": "reject", "comment": ""})
    assert refused.status_code == 400 and "请填写审批意见" in refused.content.decode()
    assert client.post(url, {"decision": "approve", "comment": "同意"}).status_code == 302
    verifying.refresh_from_db()
    assert verifying.result_due == dt.date(2026, 10, 8)  # 30 Sep + 7 days falls in 国庆节
    assert client.get(url).status_code == 405


def test_the_requester_cannot_decide_its_own_request(client, world, verifying, on_today):
    ext = report_extension_request(actor=world.users.jinshui, report=verifying, reason="复杂", days=7)
    response = login(client, world.users.jinshui).post(
        reverse("supervision:extension_decide", args=[ext.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403 and "上级单位" in response.content.decode()
    ext.refresh_from_db()
    assert ext.state == ExtensionRequest.State.PENDING


def test_supervised_page_and_header_counts(client, world, verifying, on_today):
    Supervision.objects.create(
        report=verifying,
        stage="result",
        deadline=SOON,
        supervising_org=world.orgs.zhengzhou,
        supervised_org=world.orgs.jinshui,
        supervisor=world.users.zhengzhou,
        comment="请加快核查",
        due_date=SOON,
    )
    html = login(client, world.users.jinshui).get(reverse("supervision:supervised")).content.decode()
    assert "请加快核查" in html and verifying.number in html
    assert 'aria-label="被督办1件"' in html


# ---- every URL naming an object is a 404 outside the user's jurisdiction ----


def _object_urls():
    from apps.inbox import urls as inbox_urls
    from apps.supervision import urls as supervision_urls

    for module, namespace in ((supervision_urls, "supervision"), (inbox_urls, "inbox")):
        for pattern in module.urlpatterns:
            if "<int:pk>" in str(pattern.pattern):
                yield f"{namespace}:{pattern.name}"


def test_the_url_list_is_not_empty():
    assert set(_object_urls()) >= {
        "supervision:supervise",
        "supervision:extension_request",
        "supervision:extension_decide",
        "inbox:read",
        "inbox:open",
    }


@pytest.mark.parametrize("name", list(_object_urls()))
def test_every_object_url_is_a_404_outside_the_jurisdiction(client, world, verifying, on_today, name):
    from apps.inbox.services import notify

    ext = report_extension_request(actor=world.users.jinshui, report=verifying, reason="复杂", days=7)
    message = notify(org=world.orgs.jinshui, kind="other", text="只给金水区")
    pk = {"supervision": verifying.pk, "inbox": message.pk}[name.split(":")[0]]
    if name == "supervision:extension_decide":
        pk = ext.pk
    url = reverse(name, args=[pk])
    login(client, world.users.hebei)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"comment": "x", "due_date": "2026-10-09", "days": "3", "reason": "x", "decision": "approve"}
        ).status_code
        == 404
    )
    assert not Supervision.objects.exists()
    ext.refresh_from_db()
    assert ext.state == ExtensionRequest.State.PENDING


def test_pages_need_a_login(client, world, verifying):
    for name in ("supervision:candidates", "supervision:supervised", "supervision:extensions", "inbox:list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


# ---- the panel on the report detail page ----


def test_report_panel_offers_what_the_user_may_do(rf, world, verifying, on_today):
    from django.template.loader import render_to_string

    request = rf.get("/reports/1/")
    request.session = {}

    def panel(user):
        request.user = user
        return render_to_string(
            "supervision/_report_panel.html", {"report": verifying, "user": user}, request=request
        )

    jinshui = panel(world.users.jinshui)
    assert "申请延期" in jinshui and ">督办<" not in jinshui
    zhengzhou = panel(world.users.zhengzhou)
    assert ">督办<" in zhengzhou  # 郑州市 accepted it, is above 金水区, and may also ask for time
    assert "申请延期" in zhengzhou
    report_extension_request(actor=world.users.jinshui, report=verifying, reason="复杂", days=7)
    after = panel(world.users.jinshui)
    assert "延期7日待郑州市应急管理局审批" in after and "申请延期</a>" not in after
    hebei = panel(world.users.hebei)
    assert "申请延期</a>" not in hebei and ">督办<" not in hebei


# ---- links to the report, and deadlines in a year whose holidays are not confirmed ----

MARK = '<span class="text-muted small" title="该年度节假日安排尚未确认">*</span>'
NEW_YEAR_DUE = dt.date(2027, 1, 5)


@pytest.fixture
def across_new_year(world):
    """A report 金水区's department verifies, due 2027-01-05, seen on 2026-12-31: supervised by
    郑州市, with an extension request waiting for it."""
    w = world.orgs
    with today_is(dt.date(2026, 12, 31)):
        report = chain(
            world,
            [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
            result_due=NEW_YEAR_DUE,
        )
        Supervision.objects.create(
            report=report,
            stage="result",
            deadline=NEW_YEAR_DUE,
            supervising_org=w.zhengzhou,
            supervised_org=w.jinshui,
            supervisor=world.users.zhengzhou,
            comment="请按期办结",
            due_date=NEW_YEAR_DUE,
        )
        report_extension_request(actor=world.users.jinshui, report=report, reason="需联合调查", days=5)
        yield report


def _confirm_2027(confirmed: bool) -> None:
    when = timezone.now() if confirmed else None
    CalendarYear.objects.update_or_create(year=2027, defaults={"confirmed": confirmed, "confirmed_at": when})
    invalidate_local()


def _page(client, user, url, **headers) -> str:
    response = login(client, user).get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "name, who", [("candidates", "zhengzhou"), ("supervised", "jinshui"), ("extensions", "zhengzhou")]
)
def test_lists_link_the_report_and_offer_to_view_it(client, world, across_new_year, name, who):
    report = across_new_year
    html = _page(client, getattr(world.users, who), reverse(f"supervision:{name}"))
    detail = reverse("reports:detail", args=[report.pk])
    assert f'<a href="{detail}">{report.number}</a>' in html
    assert f'<a class="btn btn-sm btn-outline-primary" href="{detail}">查看</a>' in html


@pytest.mark.parametrize("confirmed", [False, True])
def test_due_dates_in_an_unconfirmed_year_carry_the_badges_mark(client, world, across_new_year, confirmed):
    _confirm_2027(confirmed)
    report, u = across_new_year, world.users
    flagged = "2027-01-05" + MARK
    pages = {
        # 超期状态: 核查期限 2027-01-05
        "candidates": _page(client, u.zhengzhou, reverse("supervision:candidates")),
        # 办理期限 and 要求办结日期
        "supervised": _page(client, u.jinshui, reverse("supervision:supervised")),
        # 原核查期限, in the list to decide and in the history
        "extensions": _page(client, u.zhengzhou, reverse("supervision:extensions")),
        "supervise form": _page(
            client, u.zhengzhou, reverse("supervision:supervise", args=[report.pk]), HTTP_HX_REQUEST="true"
        ),
        "detail": _page(client, u.jinshui, reverse("reports:detail", args=[report.pk])),
    }
    expected = {"candidates": 1, "supervised": 2, "extensions": 2, "supervise form": 1, "detail": 1}
    for page, html in pages.items():
        assert "2027-01-05" in html, page
        assert html.count(flagged) >= (0 if confirmed else expected[page]), page
        if confirmed:
            assert MARK not in html, page
    detail = pages["detail"]
    assert ('核查期限</dt><dd class="col-sm-9">' + flagged in detail) is not confirmed
    # 受理期限 fell in 2026, a confirmed year: no mark.
    accept_due = f'受理期限</dt><dd class="col-sm-9">{report.accept_due:%Y-%m-%d}</dd>'
    assert accept_due in detail
