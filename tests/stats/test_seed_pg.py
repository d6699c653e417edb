"""bench_seed on the real national tree (PostgreSQL only: it generates the rows in SQL), and the
one-pass rebuild it ends with checked against the reports table by the portable GROUP BYs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import Handling, Report
from apps.stats import queries as q
from apps.stats.models import Cell

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="bench_seed generates rows in PostgreSQL"),
]


def test_seed_and_rebuild_agree_with_group_by(all_regions, client):
    from apps.orgs.generate import org_tree_generate
    from apps.stats.seed import Seeder, bench_users

    org_tree_generate()
    Seeder(3000, say=lambda _msg: None).run()
    # Exactly N: a time generated later than now is moved back, never dropped.
    assert Report.objects.count() == 3000
    assert not Report.objects.filter(received_at__gt=timezone.now()).exists()
    assert not Report.objects.filter(accepted_at__lt=F("received_at")).exists()
    assert Handling.objects.count() == Report.objects.count()
    assert set(Report.objects.values_list("status", flat=True)) == set(Report.Status.values)
    assert Cell.objects.count() > 10000

    users = bench_users()
    today = dt.date.today()
    # The 司局 reads its industry cells (PostgreSQL's one-pass rebuild wrote them).
    assert "bureau" in users and q.stats_scope(users["bureau"]).industry_ids
    for key in ("ministry", "province", "city", "bureau"):
        scope = q.stats_scope(users[key])
        for start in (
            today - dt.timedelta(days=364),
            today.replace(year=today.year - 10) + dt.timedelta(days=1),
        ):
            for by in ("problem_type", "channel", "industry", "child_region", "month"):
                assert q.report_counts(scope=scope, start=start, end=today, by=by) == q.report_counts(
                    scope=scope, start=start, end=today, by=by, engine="raw"
                ), (key, start, by)
            assert q.kpis(scope=scope, start=start, end=today) == q.kpis(
                scope=scope, start=start, end=today, engine="raw"
            ), (key, start)

    client.force_login(users["county"])
    assert client.get(reverse("reports:todo")).status_code == 200
    assert (
        client.get(
            reverse("stats:index"),
            {"mode": "region", "start": "2020-01-01", "end": today.isoformat(), "column": "industry"},
        ).status_code
        == 200
    )
