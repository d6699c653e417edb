"""The staff pages: each renders, each action form calls its action, bad input is a message and
a 4xx, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditLog
from apps.reports.actions.accept import report_accept
from apps.reports.filters import latest_filter_date
from apps.reports.models import Handling, Report, ReportDraft
from tests.reports.helpers import (
    chain_to_jinshui,
    events,
    hop,
    new_report,
    png_bytes,
    run_to_verifying,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize("name", ["todo", "closed", "all", "unaccepted", "rewards", "create", "drafts"])
def test_pages_render(world, as_user, name):
    new_report(world)
    response = as_user(world.users.jinshui).get(reverse(f"reports:{name}"))
    assert response.status_code == 200
    assert "待办举报" in response.content.decode()  # the sidebar


def test_worklist_shows_own_reports_with_badges(world, as_user):
    mine = new_report(world, reported_unit_name="甲化工厂")
    new_report(world, world.orgs.zhongyuan, region_code="410102", reported_unit_name="乙化工厂")
    html = as_user(world.users.jinshui).get(reverse("reports:todo")).content.decode()
    assert "甲化工厂" in html and "乙化工厂" not in html
    assert mine.number in html and "即将超期（剩3天）" in html


def test_long_lists_stop_counting_at_the_cap(world, as_user, monkeypatch):
    from apps.reports.views.common import CappedPaginator

    for unit in ("甲化工厂", "乙化工厂", "丙化工厂"):
        new_report(world, reported_unit_name=unit)
    client = as_user(world.users.henan)
    html = client.get(reverse("reports:all")).content.decode()
    assert "共 3 件" in html
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    html = client.get(reverse("reports:all")).content.decode()
    assert "超过 2 件，可用查询条件缩小范围" in html and "共 3 件" not in html
    monkeypatch.setattr("apps.reports.views.common.PAGE_SIZE", 1)
    html = client.get(reverse("reports:all"), {"page": 2}).content.decode()
    assert "第 2 页" in html and "第 2 / " not in html
    # A filter that leaves fewer rows than the cap shows the exact number again.
    html = client.get(reverse("reports:all"), {"unit": "乙"}).content.decode()
    assert "共 1 件" in html


@pytest.mark.parametrize(
    "params, expected",
    [({}, 2), ({"unit": "甲"}, 1), ({"deadline": "soon"}, 2), ({"deadline": "overdue"}, 0)],
)
def test_worklist_count_matches_its_rows(world, as_user, params, expected):
    # 待办 is counted from the bare hops (no deadline annotation) unless the deadline is filtered.
    new_report(world, reported_unit_name="甲化工厂")
    new_report(world, reported_unit_name="乙化工厂")
    html = as_user(world.users.jinshui).get(reverse("reports:todo"), params).content.decode()
    assert f"共 {expected} 件" in html
    assert html.count("<tr data-report=") == expected


def test_filters(world, as_user):
    new_report(world, reported_unit_name="甲化工厂")
    new_report(world, reported_unit_name="乙机械厂", channel=world.letter)
    client = as_user(world.users.henan)
    html = client.get(reverse("reports:all"), {"unit": "机械"}).content.decode()
    assert "乙机械厂" in html and "甲化工厂" not in html
    html = client.get(reverse("reports:all"), {"channel": world.letter.pk}).content.decode()
    assert "乙机械厂" in html and "甲化工厂" not in html
    html = client.get(reverse("reports:all"), {"deadline": "overdue"}).content.decode()
    assert "甲化工厂" not in html
    html = client.get(
        reverse("reports:all"), {"region": world.regions["410105"].pk, "status": "received"}
    ).content
    assert "甲化工厂" in html.decode()
    # Nonsense filters are ignored, never a 500.
    assert (
        client.get(
            reverse("reports:all"), {"date_from": "not-a-date", "region": "x", "page": "999"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("name", ["all", "todo", "closed"])
def test_bad_filters_are_named_in_chinese_and_the_list_is_unfiltered(world, as_user, name):
    new_report(world, reported_unit_name="甲化工厂")
    client = as_user(world.users.jinshui)
    response = client.get(reverse(f"reports:{name}"), {"date_from": "2026-13-45", "unit": "甲"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "查询条件不正确，已按默认条件查询。" in html and "输入一个有效的日期。" in html
    assert "查询条件不正确" not in client.get(reverse(f"reports:{name}"), {"unit": "甲"}).content.decode()


LIST_PAGES = ["todo", "all", "closed", "unaccepted", "rewards"]
EXTREME_DATES = [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_from": "1999-12-31"}]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("dates", EXTREME_DATES)
@pytest.mark.parametrize("who", ["jinshui", "henan"])
def test_dates_out_of_range_are_named_in_chinese_and_the_list_is_unfiltered(world, as_user, name, dates, who):
    # A date picker sends 9999-12-31; its next day does not exist (it was a 500).
    new_report(world, reported_unit_name="甲化工厂")
    response = as_user(getattr(world.users, who)).get(reverse(f"reports:{name}"), dates)
    html = response.content.decode()
    assert response.status_code == 200
    latest = latest_filter_date()
    assert "查询条件不正确，已按默认条件查询。" in html
    assert f"日期应在2000-01-01至{latest:%Y-%m-%d}之间。" in html
    if name == "all" or (name == "todo" and who == "jinshui"):
        assert "甲化工厂" in html


def test_the_date_pickers_offer_only_the_accepted_dates(world, as_user):
    html = as_user(world.users.jinshui).get(reverse("reports:all")).content.decode()
    latest = latest_filter_date()
    assert html.count('min="2000-01-01"') == 2 and html.count(f'max="{latest:%Y-%m-%d}"') == 2


def test_search_by_receipt_code(world, as_user):
    from apps.reports.actions.create import report_create
    from tests.reports.helpers import content_for

    report, code = report_create(
        content=content_for(world, reported_unit_name="丙公司"), receiving_org=world.orgs.jinshui
    )
    html = as_user(world.users.jinshui).get(reverse("reports:all"), {"q": code}).content.decode()
    assert report.number in html


def test_detail_masks_identity_and_reveal_is_audited(world, as_user):
    report = chain_to_jinshui(world)
    html = as_user(world.users.jinshui).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "13800138000" not in html and "张三" not in html and "查看举报人信息</button>" not in html
    assert "仅受理单位经办人员可见" in html
    client = as_user(world.users.henan)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "13800138000" not in html and "查看举报人信息" in html
    response = client.post(reverse("reports:reporter", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "13800138000" in response.content.decode()
    assert AuditLog.objects.filter(action="report.view_reporter", result="success").count() == 1
    denied = as_user(world.users.jinshui).post(reverse("reports:reporter", args=[report.pk]))
    assert denied.status_code == 403 and "13800138000" not in denied.content.decode()


def test_detail_timeline_and_actions(world, as_user):
    report = new_report(world)
    html = as_user(world.users.jinshui).get(reverse("reports:detail", args=[report.pk])).content.decode()
    for label in ("受理", "暂不受理", "不予受理"):
        assert f">{label}</a>" in html
    assert ">转办本系统</a>" not in html
    assert "登记举报" in html  # the timeline's first row


def test_accept_via_page(world, as_user):
    report = new_report(world)
    client = as_user(world.users.jinshui)
    assert client.get(reverse("reports:accept", args=[report.pk])).status_code == 200
    response = client.post(
        reverse("reports:accept", args=[report.pk]), {"comment": "受理", "notify_reporter": "on"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
    again = client.post(reverse("reports:accept", args=[report.pk]), {})
    assert again.status_code == 409 and "不能受理" in again.content.decode()


def test_action_page_refuses_other_org_with_403(world, as_user):
    report = new_report(world)  # 郑州市 sees it (its subtree) but has no hop in it
    response = as_user(world.users.zhengzhou).post(reverse("reports:accept", args=[report.pk]), {})
    assert response.status_code == 403 and "不是该举报单的办理单位" in response.content.decode()


def test_reject_duplicate_by_number(world, as_user):
    earlier = new_report(world)
    report = new_report(world)
    client = as_user(world.users.jinshui)
    url = reverse("reports:reject", args=[report.pk])
    bad = client.post(url, {"reason": "duplicate", "duplicate_of_number": "nope"})
    assert bad.status_code == 400 and "不存在或不在您的查看范围内" in bad.content.decode()
    # An earlier report still 待受理 is not a matter "已办结或正在办理中".
    pending = client.post(url, {"reason": "duplicate", "duplicate_of_number": earlier.number})
    assert pending.status_code == 400 and "只能选择已受理、核查中或已办结" in pending.content.decode()
    report_accept(actor=world.users.jinshui, report=earlier)
    ok = client.post(
        url, {"reason": "duplicate", "duplicate_of_number": earlier.number, "notify_reporter": "on"}
    )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.duplicate_of == earlier


def test_full_flow_via_pages(world, as_user):
    report = new_report(world)
    boss, dept = as_user(world.users.jinshui), None
    assert boss.post(reverse("reports:accept", args=[report.pk]), {}).status_code == 302
    page = boss.get(reverse("reports:dispatch", args=[report.pk])).content.decode()
    assert world.orgs.jinshui_dept.name in page
    assert boss.post(reverse("reports:dispatch", args=[report.pk]), {"target": "abc"}).status_code == 400
    response = boss.post(
        reverse("reports:dispatch", args=[report.pk]), {"target": world.orgs.jinshui_dept.pk}
    )
    assert response.status_code == 302
    dept = as_user(world.users.jinshui_dept)
    assert "核查结论" in dept.get(reverse("reports:feedback", args=[report.pk])).content.decode()
    upload = SimpleUploadedFile("处罚决定书.png", png_bytes(), content_type="image/png")
    response = dept.post(
        reverse("reports:feedback", args=[report.pk]),
        {"conclusion": "true", "summary": "属实", "penalty_amount": "50000", "attachments": upload},
    )
    assert response.status_code == 302, response.content.decode()
    attachment = report.attachments.get()
    assert attachment.verification is not None
    boss = as_user(world.users.jinshui)
    close_page = boss.get(reverse("reports:close", args=[report.pk])).content.decode()
    assert "属实" in close_page and "50000" in close_page  # prefilled from the verification
    hint = boss.get(reverse("reports:reward_hint", args=[report.pk]), {"penalty_amount": "50000"})
    assert "7500" in hint.content.decode()
    response = boss.post(
        reverse("reports:close", args=[report.pk]),
        {
            "conclusion": "true",
            "summary": "属实",
            "penalty_amount": "50000",
            "reward_status": "pending",
            "notify_reporter": "on",
        },
    )
    assert response.status_code == 302
    assert report.number in boss.get(reverse("reports:rewards")).content.decode()
    response = boss.post(
        reverse("reports:reward_record", args=[report.pk]),
        {"amount": "7500", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reward_paid
    download = boss.get(reverse("reports:attachment", args=[report.pk, attachment.token]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert boss.get(reverse("reports:attachment", args=[report.pk, "nope"])).status_code == 404


def test_return_and_hand_back_pages(world, as_user):
    report = verify(world, run_to_verifying(world))
    client = as_user(world.users.jinshui)
    assert client.post(reverse("reports:return", args=[report.pk]), {"reason": ""}).status_code == 400
    assert client.post(reverse("reports:return", args=[report.pk]), {"reason": "补证据"}).status_code == 302
    assert hop(report, world.orgs.jinshui_dept).state == Handling.State.VERIFYING
    chained = chain_to_jinshui(world)
    assert (
        client.post(reverse("reports:hand_back", args=[chained.pk]), {"reason": "非本区"}).status_code == 302
    )
    assert hop(chained, world.orgs.jinshui).state == Handling.State.HANDED_BACK


def test_create_page_submit_and_draft(world, as_user):
    client = as_user(world.users.jinshui)
    data = {
        "channel": world.letter.pk,
        "received_on": timezone.localdate().isoformat(),
        "anonymity": "real",
        "reporter_name": "李四",
        "reporter_phone": "13900139000",
        # The region picker's three selects; the form takes the deepest.
        "region_province": "410000",
        "region_city": "410100",
        "region_county": "410105",
        "reported_unit_name": "丁化工厂",
        "industry": world.hazchem.pk,
        "problem_type": world.major_hazard.pk,
        "description": "违规动火",
        "form_token": "tok1",
    }
    draft_response = client.post(reverse("reports:create"), {**data, "intent": "draft"})
    draft = ReportDraft.objects.get()
    assert draft_response.status_code == 302 and draft.title == "丁化工厂"
    edit = client.get(reverse("reports:draft_edit", args=[draft.pk])).content.decode()
    assert "丁化工厂" in edit and "13900139000" in edit
    missing = client.post(
        reverse("reports:draft_edit", args=[draft.pk]), {**data, "reporter_phone": "", "intent": "submit"}
    )
    assert missing.status_code == 400 and "手机号码" in missing.content.decode()
    response = client.post(
        reverse("reports:draft_edit", args=[draft.pk]), {**data, "intent": "submit"}, follow=True
    )
    report = Report.objects.get()
    assert report.reporter_name == "李四" and report.entered_by == world.users.jinshui
    assert "举报编码" in response.content.decode()
    assert not ReportDraft.objects.exists()
    # A double submit with the same form token creates nothing new.
    client.post(reverse("reports:create"), {**data, "intent": "submit"})
    assert Report.objects.count() == 1
    assert events(report, "create").count() == 1


def test_drafts_are_per_user(world, as_user):
    from apps.reports.actions.drafts import draft_save

    draft = draft_save(actor=world.users.jinshui, data={"reported_unit_name": "甲"})
    other = as_user(world.users.zhongyuan)
    assert other.get(reverse("reports:draft_edit", args=[draft.pk])).status_code == 404
    assert other.post(reverse("reports:draft_delete", args=[draft.pk])).status_code == 404
    assert "甲" not in other.get(reverse("reports:drafts")).content.decode()
    owner = as_user(world.users.jinshui)
    assert owner.post(reverse("reports:draft_delete", args=[draft.pk])).status_code == 302
    assert not ReportDraft.objects.exists()


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(reverse("reports:todo"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_auditor_sees_no_reports(world, as_user):
    report = new_report(world, world.orgs.henan)
    client = as_user(world.users.auditor)
    assert report.number not in client.get(reverse("reports:all")).content.decode()
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
