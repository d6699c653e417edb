"""The 督办举报 page read from the running clocks (apps.supervision.candidates) against its
definition, selectors.supervision_candidates: the same reports in the same order, whatever the
mix of stages, deadlines, statuses and existing 督办."""

import datetime as dt
import random

import pytest

from apps.reports.models import Handling, Report
from apps.supervision.candidates import CandidatePage
from apps.supervision.models import Supervision
from apps.supervision.selectors import candidate_list, supervision_candidates
from tests.supervision.world import TODAY, chain

pytestmark = pytest.mark.django_db
S = Handling.State
R = Report.Status

PATHS = [  # org keys from the receiving org down, and the states the last hop may be in
    (["henan", "zhengzhou"], [S.PENDING, S.ACCEPTED, S.VERIFYING]),
    (["henan", "zhengzhou", "jinshui"], [S.PENDING, S.ACCEPTED, S.VERIFYING, S.FED_BACK]),
    (["zhengzhou", "jinshui", "jinshui_dept"], [S.VERIFYING, S.REVIEWING]),
    (["henan", "henan_dept"], [S.VERIFYING]),
    (["hebei"], [S.PENDING, S.ACCEPTED]),
    (["jinshui"], [S.PENDING, S.ACCEPTED]),
]
USERS = ["ministry", "henan", "zhengzhou", "jinshui", "hebei", "jinshui_dept"]


def _due(rng) -> dt.date:
    return TODAY + dt.timedelta(days=rng.choice([-30, -3, -1, 0, 0, 1, 2, 5, 9, 40]))


def _build(world, seed: int, n: int = 30):
    rng = random.Random(seed)
    orgs = world.orgs
    for _ in range(n):
        keys, last_states = rng.choice(PATHS)
        states = [S.DISPATCHED] * (len(keys) - 1) + [rng.choice(last_states)]
        if len(keys) == 1 and states[0] == S.PENDING:
            status = R.RECEIVED
        else:
            status = rng.choice([R.VERIFYING, R.VERIFYING, R.ACCEPTED, R.CLOSED])
        report = chain(
            world,
            [(getattr(orgs, key), state) for key, state in zip(keys, states, strict=True)],
            status=status,
            result_due=_due(rng),
            accept_due=_due(rng),
            dispatch_due=_due(rng),
        )
        if keys[0] != "hebei" and rng.random() < 0.25:
            # A second clock below on the same report (sent to 中原区 too): the earlier one counts.
            state = rng.choice([S.PENDING, S.ACCEPTED])
            Handling.objects.create(
                report=report,
                org=orgs.zhongyuan,
                parent=report.handlings.order_by("pk").first(),
                state=state,
                received_at=report.received_at,
                accept_due=_due(rng) if state == S.PENDING else None,
                dispatch_due=_due(rng) if state == S.ACCEPTED else None,
            )
        if rng.random() < 0.3:  # a 督办 on one of its dates, current or not
            Supervision.objects.create(
                report=report,
                stage="result",
                deadline=rng.choice([report.result_due or TODAY, _due(rng)]),
                supervising_org=orgs.henan,
                supervised_org=orgs.zhengzhou,
                supervisor=world.users.henan,
                comment="请加快办理",
                due_date=TODAY,
            )


def _expected(user, warn_days, supervised):
    qs = supervision_candidates(user, warn_days=warn_days, today=TODAY)
    wanted = {"": None, "yes": True, "no": False}[supervised]
    return [(r.pk, r.urgent_due) for r in qs if wanted is None or r.is_supervised == wanted]


def _paged(rows, size=4):
    found, offset = [], 0
    while True:
        page = rows[offset : offset + size]
        found += [(r.pk, r.urgent_due) for r in page]
        if len(page) < size:
            return found
        offset += size


def _capped_count(rows, cap):
    if isinstance(rows, CandidatePage):
        return rows.capped_count(cap)
    return min(rows.count(), cap + 1)  # a 内设机构 or an auditor: the (empty) queryset


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_and_counts_equal_the_definition(world, seed):
    _build(world, seed)
    for key in USERS:
        user = getattr(world.users, key)
        for warn_days in (0, 3, 30):
            for supervised in ("", "yes", "no"):
                rows = candidate_list(user, warn_days=warn_days, today=TODAY, supervised=supervised)
                expected = _expected(user, warn_days, supervised)
                assert _paged(rows) == expected, (key, warn_days, supervised)
                for cap in (0, 1, 2, len(expected), len(expected) + 3):
                    assert _capped_count(rows, cap) == min(len(expected), cap + 1), (key, cap)


def test_the_ministry_reads_the_result_clock_in_order_and_the_rest_by_org_list(world):
    _build(world, 4)
    ministry = candidate_list(world.users.ministry, today=TODAY)
    province = candidate_list(world.users.henan, today=TODAY)
    assert isinstance(ministry, CandidatePage) and ministry.most_of_the_tree
    assert isinstance(province, CandidatePage) and not province.most_of_the_tree
    assert world.orgs.ministry.pk in ministry.outside_ids
    assert world.orgs.henan.pk not in province.below_ids and world.orgs.zhengzhou.pk in province.below_ids


def test_nobody_below_means_an_empty_page(world):
    _build(world, 5)
    for key in ("jinshui_dept", "auditor"):  # supervise nobody
        rows = candidate_list(getattr(world.users, key), today=TODAY)
        assert not isinstance(rows, CandidatePage) and list(rows) == []
    rows = candidate_list(world.users.zhongyuan, today=TODAY)  # no org below it
    assert rows[0:20] == [] and rows.capped_count(10) == 0


def test_slices_must_be_bounded(world):
    rows = candidate_list(world.users.henan, today=TODAY)
    with pytest.raises(TypeError):
        rows[0:]
    with pytest.raises(ValueError):
        rows[-1:3]
    with pytest.raises(TypeError):
        list(rows)


@pytest.mark.parametrize("key", ["ministry", "henan"])
def test_unsupervised_filter_when_the_most_urgent_are_all_supervised(world, key):
    """未督办 reads the clocks only so far: past the reports that have a 督办, which here are the
    most urgent ones."""
    _build(world, 6)
    user = getattr(world.users, key)
    for report in list(supervision_candidates(user, today=TODAY))[:9]:
        Supervision.objects.create(
            report=report,
            stage="result",
            deadline=report.urgent_due,
            supervising_org=world.orgs.henan,
            supervised_org=world.orgs.zhengzhou,
            supervisor=world.users.henan,
            comment="请加快办理",
            due_date=TODAY,
        )
    for supervised in ("no", "yes"):
        rows = candidate_list(user, today=TODAY, supervised=supervised)
        expected = _expected(user, None, supervised)
        assert expected and _paged(rows, size=3) == expected, supervised
        for cap in (0, 2, 5, len(expected), len(expected) + 2):
            assert rows.capped_count(cap) == min(len(expected), cap + 1), (supervised, cap)
