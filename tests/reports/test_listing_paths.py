"""所有举报 paths test_listing.py leaves out: each filter, Asia/Shanghai day boundaries, a moved
received_at, the page and the API on top of SubtreeReports, the fallback above MAX_BRANCHES and the
slicing protocol the paginator relies on."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.catalogs.models import Industry
from apps.reports import selectors
from apps.reports.actions.accept import report_accept, report_reject
from apps.reports.actions.create import report_create
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.listing import SubtreeReports
from apps.reports.models import Handling, Report
from apps.reports.views.common import PAGE_SIZE, CappedPaginator
from tests.reports.helpers import REPORTER, at, chain_to_jinshui, content_for, new_report
from tests.reports.test_listing import _expected, _listed

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = timezone.localdate() - datetime.timedelta(days=10)  # every moment below is days in the past


def _local(day, hour, minute=0, second=0, micro=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=SHANGHAI)


def _ago(days):
    return at(DAY - datetime.timedelta(days=days))


def _make(world, org, received_at, region_code="410105", **content):
    """The report and its 举报编码."""
    content = content_for(world, region_code, **content)
    return report_create(content=content, receiving_org=org, reporter=REPORTER, received_at=received_at)


def _corpus(world):
    """Four reports in 河南's subtree that differ in every filtered field, and one in 河北."""
    orgs, users = world.orgs, world.users
    a, _ = _make(world, orgs.jinshui, _ago(9), reported_unit_name="甲化工有限公司")
    b, _ = _make(
        world,
        orgs.zhongyuan,
        _ago(8),
        "410102",
        reported_unit_name="乙煤业集团",
        channel=world.letter,
        problem_type=world.concealed,
        industry=Industry.objects.get(code="chemical"),
    )
    c, c_code = _make(world, orgs.henan, _ago(7), reported_unit_name="丙化工厂", channel=world.letter)
    report_accept(actor=users.henan, report=c)
    report_dispatch(actor=users.henan, report=c, target_org=orgs.zhengzhou)
    report_accept(actor=users.zhengzhou, report=c)
    report_dispatch(actor=users.zhengzhou, report=c, target_org=orgs.jinshui)
    materials = Industry.objects.get(code="building_materials")
    d, _ = _make(world, orgs.zhengzhou, _ago(6), "410102", reported_unit_name="丁建材", industry=materials)
    report_reject(
        actor=users.zhengzhou, report=d, reason="no_evidence", detail="无证据", notify_reporter=False
    )
    e, e_code = _make(world, orgs.hebei, _ago(5), "130100", reported_unit_name="甲化工有限公司")
    return dict(a=a, b=b, c=c, d=d, e=e, c_code=c_code, e_code=e_code)


def _spaced(code):
    return " ".join(code[i : i + 6] for i in range(0, len(code), 6))


FILTERS = [
    (lambda w, r: {"q": r["a"].number}, "a"),
    (lambda w, r: {"q": r["b"].number[:14]}, "b"),  # region code and day
    (lambda w, r: {"q": _spaced(r["c_code"])}, "c"),  # a 举报编码 as read out
    (lambda w, r: {"q": r["e_code"]}, ""),  # 河北's report stays out of 河南's list
    (lambda w, r: {"unit": "化工"}, "ca"),
    (lambda w, r: {"unit": " 乙煤业 "}, "b"),
    (lambda w, r: {"region": w.regions["410105"]}, "ca"),
    (lambda w, r: {"region": w.regions["410102"]}, "db"),
    (lambda w, r: {"region": w.regions["410100"]}, "dcba"),
    (lambda w, r: {"problem_type": w.concealed}, "b"),
    (lambda w, r: {"industry": Industry.objects.get(code="building_materials")}, "d"),
    (lambda w, r: {"industry": w.hazchem}, "ca"),
    (lambda w, r: {"channel": w.letter}, "cb"),
    (lambda w, r: {"channel": w.web}, "da"),
    (lambda w, r: {"status": Report.Status.REJECTED}, "d"),
    (lambda w, r: {"status": Report.Status.RECEIVED}, "ba"),
    (lambda w, r: {"channel": w.letter, "region": w.regions["410105"]}, "c"),
]


@pytest.mark.parametrize(("make_data", "names"), FILTERS)
def test_each_filter_matches_the_plain_definition(world, make_data, names):
    reports = _corpus(world)
    data = make_data(world, reports)
    expected_ids = [reports[name].pk for name in names]
    assert _expected(world.users.henan, data) == expected_ids
    for viewer in ("henan", "zhengzhou", "jinshui", "zhongyuan"):
        user = getattr(world.users, viewer)
        rows = selectors.all_reports_for(user, data)
        assert isinstance(rows, SubtreeReports)
        assert _listed(rows, page_size=2) == _expected(user, data), (viewer, data)
        assert rows.count() == len(_expected(user, data))
    assert _listed(selectors.all_reports_for(world.users.henan, data)) == expected_ids


def test_days_end_at_midnight_in_shanghai(world):
    """00:00 local is 16:00 UTC the day before: a UTC day would put q and s on the wrong side."""
    before, after = DAY - datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)
    moments = dict(
        p=_local(before, 23, 59, 59), q=_local(DAY, 0), r=_local(DAY, 23, 59, 59, 999_999), s=_local(after, 0)
    )
    ids = {name: new_report(world, world.orgs.jinshui, received_at=m).pk for name, m in moments.items()}
    cases = [
        ({"date_from": DAY}, "srq"),
        ({"date_to": DAY}, "rqp"),
        ({"date_from": DAY, "date_to": DAY}, "rq"),
        ({"date_from": after}, "s"),
        ({"date_to": before}, "p"),
        ({"date_from": after, "date_to": before}, ""),
    ]
    for viewer in ("henan", "jinshui"):
        user = getattr(world.users, viewer)
        for data, names in cases:
            expected = [ids[name] for name in names]
            assert _expected(user, data) == expected, data
            assert _listed(selectors.all_reports_for(user, data), page_size=2) == expected, data


def _hops_follow(report):
    report.refresh_from_db()
    hops = list(Handling.objects.filter(report=report).values_list("report_received_at", flat=True))
    assert len(hops) >= 3 and set(hops) == {report.received_at}


def test_a_moved_received_at_moves_the_report_and_its_hops(world):
    older = new_report(world, world.orgs.jinshui, received_at=_ago(5)).pk
    newer = new_report(world, world.orgs.jinshui, received_at=_ago(4)).pk
    report = chain_to_jinshui(world)  # received now, with hops at 河南, 郑州 and 金水
    report.received_at = _ago(6)
    report.save(update_fields=["received_at"])
    _hops_follow(report)
    early = {"date_to": DAY - datetime.timedelta(days=6)}
    late = {"date_from": DAY - datetime.timedelta(days=3)}
    for viewer in ("henan", "zhengzhou", "jinshui"):
        user = getattr(world.users, viewer)
        assert _listed(selectors.all_reports_for(user, {})) == [newer, older, report.pk]
        assert _listed(selectors.all_reports_for(user, {})) == _expected(user, {})
        assert _listed(selectors.all_reports_for(user, early)) == [report.pk] == _expected(user, early)
        assert _listed(selectors.all_reports_for(user, late)) == []

    report.received_at = _ago(3)
    report.save()
    report_accept(actor=world.users.jinshui, report=report)
    report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
    _hops_follow(report)  # the new 内设机构 hop too
    assert _listed(selectors.all_reports_for(world.users.henan, {})) == [report.pk, newer, older]
    for viewer in ("henan", "zhengzhou", "jinshui", "jinshui_dept"):
        user = getattr(world.users, viewer)
        assert _listed(selectors.all_reports_for(user, {})) == _expected(user, {})
        assert _listed(selectors.all_reports_for(user, early)) == _expected(user, early) == []
        assert _listed(selectors.all_reports_for(user, late)) == [report.pk]


@pytest.fixture
def many(world):
    """45 reports of 河南's subtree, two at each moment (ties ordered by id), every third a 信件."""
    orgs = [world.orgs.jinshui, world.orgs.zhongyuan, world.orgs.zhengzhou]
    for n in range(45):
        received = _local(DAY, 12) - datetime.timedelta(hours=n // 2)
        channel = world.letter if n % 3 == 0 else world.web
        new_report(world, orgs[n % 3], received_at=received, channel=channel)
    expected = _expected(world.users.henan, {})
    assert len(expected) == 45
    return expected


def _page(client, query=""):
    response = client.get(reverse("reports:all") + query)
    assert response.status_code == 200
    html = response.content.decode()
    rows = [int(pk) for pk in re.findall(r'data-report="(\d+)"', html)]
    return rows, html, response.context["page"].paginator.count


def test_the_page_shows_the_expected_rows(world, many, monkeypatch):
    client = Client()
    client.force_login(world.users.henan)
    assert PAGE_SIZE == 20
    rows, html, count = _page(client, "?page=2")
    assert rows == many[20:40] and count == 45
    assert "共 45 件" in html and "第 2 / 3 页" in html
    numbers = dict(Report.objects.values_list("pk", "number"))
    assert re.findall(r">(\d{20})</a>", html) == [numbers[pk] for pk in many[20:40]]
    assert _page(client, "?page=abc")[0] == many[:20]
    assert _page(client, "?page=999")[0] == _page(client, "?page=-1")[0] == many[40:]  # get_page: the last
    letters = _expected(world.users.henan, {"channel": world.letter})
    rows, html, _ = _page(client, f"?channel={world.letter.pk}")
    assert rows == letters and f"共 {len(letters)} 件" in html

    monkeypatch.setattr(CappedPaginator, "cap", 30)
    rows, html, count = _page(client)
    assert rows == many[:20] and count == 31  # counted up to the cap, plus one
    assert "超过 30 件，可用查询条件缩小范围" in html and "共 45 件" not in html
    assert "第 1 页" in html and "第 1 / " not in html


def test_the_api_counts_and_pages_exactly(world, many):
    client = Client()
    client.force_login(world.users.henan)
    listed = []
    for offset in range(0, 49, 7):
        response = client.get(f"/api/v1/reports?scope=all&offset={offset}&limit=7")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == 45
        listed += [item["id"] for item in body["items"]]
    assert listed == many
    body = client.get("/api/v1/reports?scope=all&channel=letter&limit=100").json()
    letters = _expected(world.users.henan, {"channel": world.letter})
    assert body["count"] == len(letters) == 15 and [item["id"] for item in body["items"]] == letters


def test_a_subtree_above_max_branches_lists_from_the_reports_table(world, monkeypatch):
    reports = _corpus(world)
    subtree_size = len(selectors._subtree_ids(world.users.henan, world.orgs.henan))
    assert subtree_size == 7
    monkeypatch.setattr(selectors, "MAX_BRANCHES", subtree_size)
    assert isinstance(selectors.all_reports_for(world.users.henan, {}), SubtreeReports)
    monkeypatch.setattr(selectors, "MAX_BRANCHES", 1)
    for make_data, names in FILTERS:
        data = make_data(world, reports)
        rows = selectors.all_reports_for(world.users.henan, data)
        assert isinstance(rows, QuerySet) and rows.model is Report
        assert list(rows.values_list("pk", flat=True)) == [reports[name].pk for name in names], data
    client = Client()
    client.force_login(world.users.henan)
    body = client.get("/api/v1/reports?scope=all&offset=1&limit=2").json()
    assert body["count"] == 4 and [item["id"] for item in body["items"]] == [reports["c"].pk, reports["b"].pk]


def test_slicing_protocol(world):
    reports = _corpus(world)
    rows = selectors.all_reports_for(world.users.henan, {})
    expected = [reports[name].pk for name in "dcba"]
    assert rows[0].pk == expected[0] and rows[3].pk == expected[3]
    assert hasattr(rows[1], "due") and isinstance(rows[1], Report)
    with pytest.raises(IndexError):
        rows[4]
    assert rows[2:2] == [] and rows[3:1] == [] and rows[4:10] == [] and rows[100:120] == []
    assert [r.pk for r in rows[1:3]] == expected[1:3]
    assert [r.pk for r in rows[3:50]] == expected[3:]
    assert len(rows) == 4
    with pytest.raises(TypeError):
        rows[-1]
    with pytest.raises(TypeError):
        rows[1:]
    with pytest.raises(TypeError):
        rows[0:4:2]
    with pytest.raises(ValueError, match="negative"):
        rows[-2:4]
    with pytest.raises(ValueError, match="negative"):
        rows[0:-1]
    with pytest.raises(TypeError):
        list(rows)
