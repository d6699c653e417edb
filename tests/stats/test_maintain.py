"""apps.stats.maintain: deltas in the same transaction, nothing for saves that change nothing
counted, and the commands that rebuild and check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from apps.reports.models import Report
from apps.stats import queries as q
from apps.stats.models import Cell
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()


def _total(world) -> int:
    return q.report_totals(scope=q.stats_scope(world.users.ministry), start=None, end=None)["total"]


def test_a_new_report_counts_at_every_level(world):
    report = make_report(world, leaf="410105", received=at(TODAY))
    month = TODAY.replace(day=1)
    nodes = set(
        Cell.objects.filter(dim="n", grain=Cell.Grain.MONTH, period=month).values_list("node", "level", "n")
    )
    industry = f"{report.industry_id:03d}"
    assert nodes == {
        ("100000", 0, 1), ("410000", 1, 1), ("410100", 2, 1), ("410105", 3, 1),
        # 全国 and 河南 for the report's industry (the cells of 司局 and 矿山安监 scopes)
        (f"10i{industry}", 10, 1), (f"41i{industry}", 11, 1),
    }
    # Recent: day cells at every level too.
    assert Cell.objects.filter(dim="n", grain=Cell.Grain.DAY, period=TODAY).count() == 6
    assert Cell.objects.get(node="410105", dim="st", key="received", grain=Cell.Grain.MONTH).n == 1
    assert (
        Cell.objects.get(
            node="100000", dim="due", key=report.accept_due.isoformat(), grain=Cell.Grain.MONTH
        ).n
        == 1
    )


def test_an_old_report_has_no_county_day_cells(world):
    old = TODAY - dt.timedelta(days=400)
    make_report(world, leaf="410105", received=at(old))
    day_nodes = set(Cell.objects.filter(grain=Cell.Grain.DAY, period=old).values_list("node", "dim"))
    assert ("410000", "pt") in day_nodes and ("100000", "ch") in day_nodes  # nation and province: all
    assert ("410100", "n") in day_nodes and ("410100", "pt") not in day_nodes  # city: the total only
    assert not any(node == "410105" for node, _ in day_nodes)
    assert not any("i" in node for node, _ in day_nodes)  # industry cells: months only, when old


def test_a_rolled_back_change_leaves_no_trace(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_report(world, leaf="130102", received=at(TODAY))
        assert _total(world) == 1
        raise RuntimeError
    assert _total(world) == 0 and not Cell.objects.exclude(n=0).exists()


def test_saves_of_uncounted_fields_cost_no_query(world, django_assert_num_queries):
    report = make_report(world, received=at(TODAY))
    report.address = "新地址"
    with django_assert_num_queries(1):  # the UPDATE itself
        report.save(update_fields=["address"])


def test_status_change_moves_one_count(world):
    report = make_report(world, received=at(TODAY))
    report.status = Report.Status.DEFERRED
    report.save(update_fields=["status"])
    counts = q.report_counts(scope=q.stats_scope(world.users.ministry), start=None, end=None, by="status")
    assert counts == {"deferred": 1}


def test_delete_subtracts(world):
    report = make_report(world, received=at(TODAY))
    report.events.all()._raw_delete(report.events.db)
    report.delete()
    assert _total(world) == 0 and not Cell.objects.exclude(n=0).exists()


def test_check_finds_drift_and_rebuild_repairs_it(world, capsys):
    make_report(world, received=at(TODAY - dt.timedelta(days=3)))
    make_report(world, leaf="130102", received=at(TODAY - dt.timedelta(days=300)))
    call_command("stats_check")
    assert "一致" in capsys.readouterr().out
    # Behind the signals' back: QuerySet.update is not seen.
    Report.objects.filter(region__code="130102").update(status=Report.Status.REJECTED)
    with pytest.raises(CommandError, match="差异"):
        call_command("stats_check")
    assert "st:rejected" in capsys.readouterr().out
    call_command("stats_rebuild")
    call_command("stats_check")
    counts = q.report_counts(scope=q.stats_scope(world.users.ministry), start=None, end=None, by="status")
    assert counts == {"received": 1, "rejected": 1}


def test_stale_day_cells_are_pruned_and_ignored(world):
    from apps.stats.rebuild import check, prune_stale

    make_report(world, received=at(TODAY))
    Cell.objects.create(
        node="410105",
        dim="pt",
        grain=Cell.Grain.DAY,
        period=TODAY - dt.timedelta(days=400),
        key="1",
        parent="410100",
        level=3,
        n=5,
    )
    assert check() == []  # out of the recent window: never read, not compared
    assert prune_stale() == 0  # check() pruned it already
    assert not Cell.objects.filter(period=TODAY - dt.timedelta(days=400)).exists()
