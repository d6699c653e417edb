"""所有举报 paged from the subtree's hops (apps.reports.listing) against the plain definition: the
visible reports (reports_visible_to) with the same filters, newest first."""

import datetime
import random

import pytest
from django.utils import timezone

from apps.reports import selectors
from apps.reports.actions.accept import report_accept, report_reject
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.filters import apply_report_filters
from apps.reports.listing import SubtreeReports
from apps.reports.models import Handling, Report
from tests.reports.helpers import new_report

pytestmark = pytest.mark.django_db

VIEWERS = ["henan", "zhengzhou", "jinshui", "jinshui_dept", "zhongyuan", "hebei"]


def _build(world, seed=7, n=36):
    """Reports received at every level on a few days (equal received_at included), some passed
    down the tree, one with two hops at the same org."""
    rng = random.Random(seed)
    base = timezone.now().replace(second=0, microsecond=0)
    moments = [base - datetime.timedelta(days=d, hours=h) for d in (0, 1, 3, 40, 400) for h in (0, 2)]
    receivers = ["henan", "zhengzhou", "jinshui", "zhongyuan", "hebei"]
    for _ in range(n):
        receiver = rng.choice(receivers)
        report = new_report(
            world,
            getattr(world.orgs, receiver),
            region_code="130100" if receiver == "hebei" else "410105",
            received_at=rng.choice(moments),  # repeated: equal received_at are ordered by id
            problem_type=rng.choice([world.major_hazard, world.concealed]),
        )
        roll = rng.random()
        if receiver == "henan" and roll < 0.7:
            report_accept(actor=world.users.henan, report=report)
            report_dispatch(actor=world.users.henan, report=report, target_org=world.orgs.zhengzhou)
            if roll < 0.4:
                report_accept(actor=world.users.zhengzhou, report=report)
                report_dispatch(actor=world.users.zhengzhou, report=report, target_org=world.orgs.jinshui)
        elif receiver == "jinshui" and roll < 0.3:
            report_accept(actor=world.users.jinshui, report=report)
            report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
        elif roll < 0.15:
            user = getattr(world.users, receiver)
            report_reject(
                actor=user, report=report, reason="no_evidence", detail="无有效证据", notify_reporter=False
            )
    # A second, finished hop at an org that already has one (handed back and sent again).
    report = Handling.objects.filter(org=world.orgs.zhengzhou).first().report
    Handling.objects.create(
        report=report,
        org=world.orgs.zhengzhou,
        state=Handling.State.HANDED_BACK,
        received_at=report.received_at,
    )


def _expected(user, data):
    qs = apply_report_filters(selectors.reports_list_for(user), data)
    return list(qs.values_list("pk", flat=True))


def _listed(rows, page_size=5):
    ids, offset = [], 0
    while True:
        page = rows[offset : offset + page_size]
        ids += [report.pk for report in page]
        if len(page) < page_size:
            return ids
        offset += page_size


FILTER_SETS = [
    {},
    {"date_from": timezone.localdate() - datetime.timedelta(days=3)},
    {"date_to": timezone.localdate() - datetime.timedelta(days=1), "status": Report.Status.RECEIVED},
    {"status": Report.Status.REJECTED},
    {"deadline": "normal"},
    {"deadline": "overdue"},
    {"unit": "化工"},
]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_pages_and_counts_match_the_visible_reports(world, viewer):
    _build(world)
    user = getattr(world.users, viewer)
    for data in FILTER_SETS:
        rows = selectors.all_reports_for(user, data)
        assert isinstance(rows, SubtreeReports)
        expected = _expected(user, data)
        assert _listed(rows) == expected, data
        assert rows.count() == len(expected)
        assert rows.capped_count(cap=3) == min(len(expected), 4)
        assert rows.capped_count(cap=1000) == len(expected)


@pytest.mark.parametrize("sample", [1, 3])
def test_capped_count_is_exact_up_to_the_cap_however_the_reports_repeat(world, monkeypatch, sample):
    """henan's subtree holds reports with three hops in it: with SAMPLE 1 the first rows are short
    of distinct reports and the count falls back to the full UNION."""
    from apps.reports import listing

    monkeypatch.setattr(listing, "SAMPLE", sample)
    full_unions = []
    full_union = listing.SubtreeReports._count

    def spy(self, limit):
        full_unions.append(limit)
        return full_union(self, limit)

    monkeypatch.setattr(listing.SubtreeReports, "_count", spy)
    _build(world)
    for viewer in ("henan", "zhengzhou"):
        rows = selectors.all_reports_for(getattr(world.users, viewer), {})
        total = rows.count()
        assert [rows.capped_count(cap) for cap in range(total + 2)] == [
            min(total, cap + 1) for cap in range(total + 2)
        ]
    if sample == 1:
        assert any(limit is not None for limit in full_unions)  # the fallback was taken and right


def test_the_subtree_lists_differ_by_jurisdiction(world):
    _build(world)
    lists = {
        viewer: set(_listed(selectors.all_reports_for(getattr(world.users, viewer), {})))
        for viewer in VIEWERS
    }
    assert lists["jinshui"] <= lists["zhengzhou"] <= lists["henan"]
    assert lists["jinshui_dept"] <= lists["jinshui"]
    assert not lists["hebei"] & lists["henan"]
    assert lists["zhongyuan"] and not lists["zhongyuan"] & lists["jinshui"]


def test_page_rows_carry_the_deadline_and_related_rows(world, django_assert_num_queries):
    _build(world)
    rows = selectors.all_reports_for(world.users.henan, {})
    with django_assert_num_queries(2):  # the page's ids, then those reports with their related rows
        page = rows[0:10]
        assert all(report.channel.name and report.region.name for report in page)
    assert all(hasattr(report, "due") for report in page)


def test_ministry_and_bureau_lists_stay_on_the_reports_table(world):
    from apps.orgs.models import Org
    from tests.factories import OrgFactory, UserFactory

    ministry = OrgFactory(code="EM000000", name="应急管理部", level=Org.Level.MINISTRY, parent=None)
    user = UserFactory(username="ministry_user", org=ministry)
    _build(world)
    rows = selectors.all_reports_for(user, {"status": Report.Status.REJECTED})
    assert not isinstance(rows, SubtreeReports)
    assert list(rows.values_list("pk", flat=True)) == list(
        Report.objects.filter(status=Report.Status.REJECTED)
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)
    )


def test_auditors_see_nothing(world):
    _build(world)
    rows = selectors.all_reports_for(world.users.auditor, {})
    assert list(rows) == []


def test_every_hop_carries_its_reports_received_at(world):
    _build(world)
    hops = Handling.objects.select_related("report")
    assert hops.count() > 36
    assert all(hop.report_received_at == hop.report.received_at for hop in hops)


@pytest.mark.parametrize(
    "data, listed",
    [
        ({"date_from": datetime.date.min}, True),
        ({"date_to": datetime.date.max}, True),
        ({"date_from": datetime.date.min, "date_to": datetime.date.max}, True),
        ({"date_to": datetime.date.min}, False),
        ({"date_from": datetime.date.max}, False),
    ],
)
def test_filters_at_the_ends_of_the_calendar_do_not_overflow(world, data, listed):
    # The form and the API refuse such dates; the filter itself must still not raise (a 500):
    # a bound that cannot be represented excludes nothing and is left out.
    report = new_report(world)
    user = world.users.jinshui
    expected = [report.pk] if listed else []
    assert [r.pk for r in apply_report_filters(Report.objects.all(), data)] == expected
    assert [r.pk for r in selectors.all_reports_for(user, data)[:10]] == expected
    hops = apply_report_filters(selectors.worklist_for(user), data, prefix="report__")
    assert [hop.report_id for hop in hops] == expected
