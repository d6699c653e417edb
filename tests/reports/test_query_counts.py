"""Pinned query counts for every list page: the count must not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.reports.actions.accept import report_accept, report_defer
from apps.reports.actions.close import report_close
from apps.reports.deadlines import badge_for
from tests.reports.helpers import new_report, run_to_verifying, verify

pytestmark = pytest.mark.django_db

# session, user, the user's org and its region, the org ids it acts on or sees (one query), COUNT,
# the page's rows (one query, every related name joined), 4 filter choices (types, industries,
# channels, regions), the header and sidebar counts (unread messages, 被督办, 延期待审批; the 督办
# badge is cached for a minute), and the session's idle-timeout save (savepoint, update, release).
# 所有举报 of a local org reads the page's report ids from its hops, then those reports: one more.
EXPECTED = {
    "todo": 17,
    "all": 18,
    "closed": 17,
    "unaccepted": 17,
    "rewards": 17,
}


def make_reports(world, n):
    for i in range(n):
        report = new_report(world, reported_unit_name=f"单位{i}")
        if i % 4 == 1:
            report_accept(actor=world.users.jinshui, report=report)
        elif i % 4 == 2:
            report_defer(actor=world.users.jinshui, report=report, missing="照片", notify_reporter=False)
        elif i % 4 == 3:
            verify(world, run_to_verifying(world, report))
            report_close(
                actor=world.users.jinshui,
                report=report,
                conclusion="true",
                summary="属实",
                reward_status="pending",
            )


def count_queries(client, name):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"reports:{name}"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("name", list(EXPECTED))
def test_list_page_query_count_is_pinned(world, client, name, django_assert_num_queries):
    badge_for("x", new_report(world).accept_due)  # warm the per-process working-day calendar
    client.force_login(world.users.jinshui)
    count_queries(client, name)  # and the 督办 badge, kept for a minute
    make_reports(world, 4)
    small, _ = count_queries(client, name)
    make_reports(world, 12)
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(reverse(f"reports:{name}"))
    assert response.status_code == 200
    assert small == EXPECTED[name]


def test_drafts_page_query_count_is_pinned(world, client, django_assert_num_queries):
    from apps.reports.actions.drafts import draft_save

    client.force_login(world.users.jinshui)
    for i in range(3):
        draft_save(actor=world.users.jinshui, data={"reported_unit_name": f"单位{i}"})
    count_queries(client, "drafts")  # warm the per-process working-day calendar (header counts)
    small, _ = count_queries(client, "drafts")
    for i in range(10):
        draft_save(actor=world.users.jinshui, data={"reported_unit_name": f"单位{i}"})
    # session, user, the drafts, the header and sidebar counts, the session save.
    with django_assert_num_queries(small):
        response = client.get(reverse("reports:drafts"))
    assert response.status_code == 200 and small == 10
