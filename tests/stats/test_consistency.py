"""The maintained cells against the reports table, on random data (hypothesis).

Random sequences of real workflow actions (新建, 受理, 暂不受理, 不予受理, 转办, 反馈, 办结, 奖励兑现),
direct edits of a report's dimensions (as an administrator's correction would save them), partial
saves and deletions; after each sequence:

* every cell equals its recomputation by GROUP BY on the reports table (rebuild.check), and
* the public queries give the same numbers from the cells as from the reports table, for random
  periods (whole and partial months), regions, dimensions and users.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.reports.actions import base as action_base
from apps.reports.errors import ReportActionError
from apps.reports.models import Report
from apps.stats import queries, rebuild
from tests.stats.conftest import LEAVES, at, make_report

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=420)

create_op = st.tuples(
    st.just("create"),
    st.sampled_from(LEAVES),
    st.integers(0, 419),
    st.integers(0, 8),
    st.integers(0, 25),
    st.integers(0, 3),
)
# (report, days, variant, conclusion, reward) of a workflow step; `variant` picks among the
# choices of the report's state.
STEP_ARGS = (
    st.integers(0, 30),
    st.integers(0, 6),
    st.integers(0, 9),
    st.sampled_from(["true", "partly_true", "false"]),
    st.sampled_from(["none", "pending", "paid"]),
)
op = st.one_of(
    create_op,
    # The next step of the workflow for one report, listed twice: it is the common operation.
    st.tuples(st.just("advance"), *STEP_ARGS),
    st.tuples(st.just("advance"), *STEP_ARGS),
    st.tuples(st.just("advance_all"), *STEP_ARGS),
    st.tuples(
        st.just("edit"),
        st.integers(0, 30),
        st.sampled_from(
            ["industry", "channel", "problem_type", "region", "received_at", "result_due", "status_only"]
        ),
        st.integers(0, 100),
    ),
    st.tuples(st.just("delete"), st.integers(0, 30)),
)


@contextmanager
def clock(moment):
    original = action_base._clock
    action_base._clock = lambda: moment
    try:
        yield
    finally:
        action_base._clock = original


def _advance(world, report: Report, days: int, variant: int, conclusion: str, reward: str) -> None:
    from apps.reports.actions.accept import report_accept, report_defer, report_reject
    from apps.reports.actions.close import report_close, report_reward_record
    from apps.reports.actions.dispatch import report_dispatch
    from apps.reports.actions.feedback import report_feedback
    from apps.reports.actions.supplement import report_supplement
    from apps.reports.models import Handling

    key = world.key_for_leaf[report.region.code]
    owner, dept = getattr(world.users, key), getattr(world.users, f"{key}_dept")
    S = Report.Status
    base = report.accepted_at or report.received_at
    # Around each deadline: 0-6 days after receipt for acceptance (3 working days), 0-90 after
    # acceptance for the result (60 working days).
    moment = base + dt.timedelta(
        days=days if report.status in (S.RECEIVED, S.DEFERRED) else days * 15, hours=1
    )
    with clock(moment):
        if report.status == S.RECEIVED:
            if variant < 7:
                report_accept(actor=owner, report=report)
            elif variant < 9:
                report_defer(actor=owner, report=report, missing="请补充地址")
            else:
                report_reject(actor=owner, report=report, reason="no_evidence", detail="无有效线索")
        elif report.status == S.DEFERRED:
            report_supplement(report=report, text="补充了地址", files=[])
        elif report.status == S.ACCEPTED:
            report_dispatch(actor=owner, report=report, target_org=getattr(world.orgs, f"{key}_dept"))
        elif report.status == S.VERIFYING:
            if report.handlings.filter(
                org=getattr(world.orgs, f"{key}_dept"), state=Handling.State.VERIFYING
            ).exists():
                report_feedback(
                    actor=dept,
                    report=report,
                    conclusion=conclusion,
                    summary="核查完毕",
                    penalty_amount=str(Decimal(days * 1000 + 50) / 100) if variant % 2 else None,
                )
            else:
                amount = None if reward == "none" or conclusion == "false" else f"{100 + variant}.45"
                report_close(
                    actor=owner,
                    report=report,
                    conclusion=conclusion,
                    summary="已办结",
                    penalty_amount="10.10" if days % 2 else None,
                    reward_status=reward if amount else "none",
                    reward_amount=amount,
                    reward_paid_on=None,
                )
        elif report.status == S.CLOSED and report.reward_status == Report.RewardStatus.PENDING:
            report_reward_record(actor=owner, report=report, amount="88.80")


def _apply(world, reports: list[Report], step) -> None:
    kind = step[0]
    if kind == "create":
        _, leaf, offset, ch, ind, pt = step
        reports.append(
            make_report(
                world,
                leaf=leaf,
                received=at(START + dt.timedelta(days=offset), hour=9 + offset % 8),
                channel=world.channels[ch],
                industry=world.industries[ind],
                problem_type=world.problem_types[pt],
            )
        )
        return
    live = [r for r in reports if Report.objects.filter(pk=r.pk).exists()]
    if not live:
        return
    if kind == "advance_all":
        _, _, days, variant, conclusion, reward = step
        for i, r in enumerate(live):
            try:
                _advance(
                    world, Report.objects.get(pk=r.pk), (days + i) % 7, (variant + i) % 10, conclusion, reward
                )
            except ReportActionError:
                pass
        return
    report = Report.objects.get(pk=live[step[1] % len(live)].pk)
    if kind == "delete":
        report.events.all()._raw_delete(report.events.db)  # 流转记录 refuse instance deletes
        report.verifications.all()._raw_delete(report.verifications.db)
        report.handlings.update(parent=None)
        report.delete()
        return
    if kind == "edit":
        _, _, field, n = step
        if field == "region":
            report.region = world.regions[LEAVES[n % len(LEAVES)]]
            codes = [c for c in report.region.path.split("/") if c]
            report.province_code, report.city_code = codes[0], codes[1] if len(codes) > 1 else ""
        elif field == "received_at":
            report.received_at = report.received_at - dt.timedelta(days=n, hours=n % 5)
        elif field == "result_due":
            report.result_due = (report.result_due or TODAY) + dt.timedelta(days=n % 40)
            report.save(update_fields=["result_due", "updated_at"])
            return
        elif field == "status_only":
            report.save(update_fields=["updated_at"])
            return
        else:
            catalog = {
                "industry": world.industries,
                "channel": world.channels,
                "problem_type": world.problem_types,
            }[field]
            setattr(report, field, catalog[n % len(catalog)])
        report.save()
        return
    _, _, days, variant, conclusion, reward = step
    try:
        _advance(world, report, days, variant, conclusion, reward)
    except ReportActionError:
        pass  # e.g. a deadline clock in the future of the moment chosen: nothing changed


def _compare_queries(world, draw_periods) -> None:
    for user_key in ("ministry", "henan", "zhengzhou", "jinshui", "hebei", "hazchem_bureau", "jinshui_dept"):
        scope = queries.stats_scope(getattr(world.users, user_key))
        for start, end in draw_periods:
            for by in ("problem_type", "channel", "industry", "status", "child_region", "county", "month"):
                auto = queries.report_counts(scope=scope, start=start, end=end, by=by)
                raw = queries.report_counts(scope=scope, start=start, end=end, by=by, engine="raw")
                assert auto == raw, (user_key, start, end, by)
            auto = queries.report_totals(scope=scope, start=start, end=end)
            assert auto == queries.report_totals(scope=scope, start=start, end=end, engine="raw"), (
                user_key,
                start,
                end,
            )
            assert queries.kpis(scope=scope, start=start, end=end) == queries.kpis(
                scope=scope, start=start, end=end, engine="raw"
            )
            table = queries.report_table(scope=scope, start=start, end=end, column="status")
            raw_table = queries.report_table(scope=scope, start=start, end=end, column="status", engine="raw")
            assert table == raw_table


period = st.tuples(st.integers(0, 430), st.integers(0, 430)).map(
    lambda t: (START + dt.timedelta(days=min(t)), min(TODAY, START + dt.timedelta(days=max(t))))
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    seed_reports=st.lists(create_op, min_size=2, max_size=5),
    steps=st.lists(op, min_size=4, max_size=20),
    periods=st.lists(period, min_size=1, max_size=2),
)
def test_cells_equal_group_by_after_random_changes(world, seed_reports, steps, periods):
    reports: list[Report] = list(Report.objects.all())
    for step in [*seed_reports, *steps]:
        _apply(world, reports, step)
    assert rebuild.check() == []
    _compare_queries(world, periods)


def test_rebuild_reproduces_the_maintained_cells(world):
    from apps.stats.models import Cell

    for i, leaf in enumerate(LEAVES * 2):
        make_report(world, leaf=leaf, received=at(START + dt.timedelta(days=37 * i)))
    before = sorted(Cell.objects.exclude(n=0).values_list("node", "dim", "grain", "period", "key", "n"))
    rebuild.rebuild()
    after = sorted(Cell.objects.exclude(n=0).values_list("node", "dim", "grain", "period", "key", "n"))
    assert before == after and len(after) > 50
