"""Two users accepting the same report at the same moment, on two database connections: exactly
one succeeds, the other gets a clear message. Needs PostgreSQL's row locks (SQLite serialises
whole transactions, so there is nothing to race)."""

import threading

import pytest
from django.db import connection, connections, transaction

from apps.accounts.models import User
from apps.reports.actions.accept import report_accept
from apps.reports.errors import InvalidTransition
from apps.reports.models import Report
from tests.factories import UserFactory
from tests.reports.helpers import events, new_report

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # the outcome is what the test inspects
            results[key] = exc
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_two_simultaneous_accepts_exactly_one_wins(world):
    colleague = UserFactory(username="jinshui_user2", org=world.orgs.jinshui, role=User.Role.USER)
    report = new_report(world)
    barrier = threading.Barrier(2)
    results = {}

    def accept_as(user):
        def go():
            barrier.wait()
            return report_accept(actor=user, report=Report.objects.get(pk=report.pk))

        return go

    threads = [
        _in_thread(accept_as(world.users.jinshui), results, "a"),
        _in_thread(accept_as(colleague), results, "b"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["InvalidTransition", "Report"], results
    loser = next(r for r in results.values() if isinstance(r, InvalidTransition))
    assert "已受理待转办" in loser.message and "不能受理" in loser.message
    assert events(report, "accept").count() == 1
    assert Report.objects.get(pk=report.pk).status == Report.Status.ACCEPTED


def test_second_accept_waits_for_the_first_to_commit(world):
    """Deterministic interleaving: A holds the row lock (its transaction still open) while B
    tries; B must block, then see A's committed result and refuse."""
    colleague = UserFactory(username="jinshui_user2", org=world.orgs.jinshui, role=User.Role.USER)
    report = new_report(world)
    a_has_lock, release_a = threading.Event(), threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            accepted = report_accept(actor=world.users.jinshui, report=report)
            a_has_lock.set()
            release_a.wait(timeout=30)
            return accepted

    def second():
        a_has_lock.wait(timeout=30)
        return report_accept(actor=colleague, report=report)

    a, b = _in_thread(first, results, "a"), _in_thread(second, results, "b")
    a.start()
    b.start()
    assert a_has_lock.wait(timeout=30)
    b.join(timeout=1.0)
    assert b.is_alive(), "the second accept must wait for the first one's row lock"
    release_a.set()
    a.join(timeout=30)
    b.join(timeout=30)
    assert isinstance(results["a"], Report)
    assert isinstance(results["b"], InvalidTransition), results["b"]
    assert events(report, "accept").count() == 1
