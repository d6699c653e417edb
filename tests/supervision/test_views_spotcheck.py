"""The 督办 pages for a 抽检整改: the form, the 被督办 list and the report panel say 抽检整改 (the
督办 is stored as 核查 with no handling hop), and the 督办举报 page says what the header's number
counts (its reports plus the 抽检整改 in the panel underneath)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.supervision.actions import report_supervise
from apps.supervision.models import Stage, Supervision
from apps.supervision.templatetags.supervision_panel import stage_label
from tests.spotchecks.world import build_world, item_to_rectify

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HEADER_HINT = "右上角“督办”数另含下方的抽检整改项数"


@pytest.fixture
def sc(db):
    cache.clear()  # the header's 督办 number is cached per user for a minute
    return build_world()


@pytest.fixture
def late(sc):
    """郑州市's correction was due two days ago; 河南省 (which checked it) and the ministry are above."""
    return item_to_rectify(sc, due=TODAY - dt.timedelta(days=2))


def login(client, user):
    client.force_login(user)
    return client


def supervise(user, item):
    return report_supervise(
        actor=user, report=item.report, comment="请抓紧整改", due_date=TODAY + dt.timedelta(days=3)
    )


def test_stage_label_filter():
    assert stage_label(Supervision(stage=Stage.RESULT)) == "抽检整改"  # no handling hop
    assert stage_label(Supervision(stage=Stage.RESULT, handling_id=1)) == "核查"
    assert stage_label(Supervision(stage=Stage.ACCEPTANCE, handling_id=1)) == "受理"


@pytest.mark.parametrize("htmx", [False, True])
def test_the_form_names_the_correction(client, sc, late, htmx):
    url = reverse("supervision:supervise", args=[late.report_id])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(client, sc.users.henan).get(url, **headers)
    html = response.content.decode()
    assert response.status_code == 200 and "确认督办" in html
    assert "督办环节：抽检整改（期限" in html and "被督办单位：郑州市应急管理局" in html
    assert "督办环节：核查" not in html


def test_the_supervised_list_and_the_report_panel_say_rectify(client, rf, sc, late):
    supervise(sc.users.henan, late)
    html = login(client, sc.users.zhengzhou).get(reverse("supervision:supervised")).content.decode()
    assert late.report.number in html and "<td>抽检整改</td>" in html and "<td>核查</td>" not in html
    request = rf.get(f"/reports/{late.report_id}/")
    request.session = {}
    request.user = sc.users.henan
    panel = render_to_string(
        "supervision/_report_panel.html", {"report": late.report, "user": sc.users.henan}, request=request
    )
    assert "督办郑州市应急管理局（抽检整改环节）" in panel and "（核查环节）" not in panel


def test_the_candidates_page_says_what_the_header_number_counts(client, sc, late):
    url = reverse("supervision:candidates")
    html = login(client, sc.users.henan).get(url).content.decode()
    # No report below 河南省 is running late; its one late correction makes the header's 1.
    assert f"共0件；{HEADER_HINT}" in html
    assert 'id="spotcheck-due-count">1</span>项' in html and late.report.number in html
    assert 'aria-label="待督办1项（举报单和抽检整改）"' in html
    # The page's 督办状态 filter applies to the panel too.
    assert 'id="spotcheck-due-count">0</span>项' in client.get(url, {"supervised": "yes"}).content.decode()
    supervise(sc.users.henan, late)
    html = client.get(url, {"supervised": "yes"}).content.decode()
    assert 'id="spotcheck-due-count">1</span>项' in html and "已督办" in html
    assert 'id="spotcheck-due-count">0</span>项' in client.get(url, {"supervised": "no"}).content.decode()
