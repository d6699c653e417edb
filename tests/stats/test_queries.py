"""apps.stats.queries: the jurisdiction scope, the numbers, bad input, and query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.orgs.models import Org
from apps.stats import queries as q
from tests.factories import OrgFactory, UserFactory
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=200)


@pytest.fixture
def spread(world):
    """Two reports in each county-level region, one 问题类型 apart, plus a 危险化学品 one in 长安区."""
    hazchem = next(i for i in world.industries if i.code == "hazchem")
    other = next(i for i in world.industries if i.code == "metallurgy")
    for leaf in ("410105", "410102", "419001", "130102"):
        make_report(world, leaf=leaf, received=at(DAY), industry=other, problem_type=world.problem_types[1])
        make_report(
            world,
            leaf=leaf,
            received=at(DAY + dt.timedelta(days=3)),
            industry=other,
            problem_type=world.problem_types[2],
        )
    make_report(world, leaf="130102", received=at(DAY), industry=hazchem)
    return world


def test_scopes_follow_the_org(world):
    ministry = q.stats_scope(world.users.ministry)
    assert ministry.is_nationwide and ministry.region is None and ministry.industry_ids is None
    henan = q.stats_scope(world.users.henan)
    assert [p.code for p in henan.places] == ["410000"] and henan.region.code == "410000"
    # A 内设机构's staff see what their bureau sees.
    assert q.stats_scope(world.users.jinshui_dept).places == q.stats_scope(world.users.jinshui).places
    bureau = q.stats_scope(world.users.hazchem_bureau)
    assert bureau.is_nationwide and bureau.industry_ids == {
        next(i.pk for i in world.industries if i.code == "hazchem")
    }
    assert q.stats_scope(world.users.auditor) is None


def test_a_bureau_account_limited_to_some_industries_sees_only_those(world):
    from apps.catalogs.models import Industry
    from tests.factories import UserFactory

    hazchem, mining = Industry.objects.get(code="hazchem"), Industry.objects.exclude(code="hazchem").first()
    world.orgs.hazchem_bureau.industry_scope.set([hazchem, mining])
    whole = UserFactory(org=world.orgs.hazchem_bureau)
    assert q.stats_scope(whole).industry_ids == {hazchem.pk, mining.pk}
    limited = UserFactory(org=world.orgs.hazchem_bureau)
    limited.industry_scope.set([mining])
    assert q.stats_scope(limited).industry_ids == {mining.pk}
    # The same industries as the report lists (apps.reports.selectors.reports_visible_to).
    from apps.reports.selectors import reports_visible_to

    assert set(reports_visible_to(limited).values_list("industry_id", flat=True)) <= {mining.pk}


def test_zone_scope_is_its_listed_regions(world):
    zone = OrgFactory(
        code="ZONE1",
        name="测试功能区",
        kind=Org.Kind.ZONE,
        level=Org.Level.CITY,
        parent=world.orgs.henan,
        region=None,
    )
    zone.extra_regions.set(
        [
            world.regions["410105"],
            world.regions["419001"],
            world.regions["410000"].children.get(code="410100").children.get(code="410105"),
        ]
    )
    scope = q.stats_scope(UserFactory(org=zone))
    assert [p.code for p in scope.places] == ["410105", "419001"]
    assert scope.region.code == "410000"  # the lowest region containing both


def test_counts_by_every_dimension(spread):
    scope = q.stats_scope(spread.users.ministry)
    start, end = DAY - dt.timedelta(days=10), TODAY
    assert q.report_counts(scope=scope, start=start, end=end, by="child_region") == {"130000": 3, "410000": 6}
    assert q.report_counts(scope=scope, start=start, end=end, by="province") == {"130000": 3, "410000": 6}
    assert q.report_counts(scope=scope, start=start, end=end, by="city") == {"130100": 3, "410100": 4}
    assert q.report_counts(scope=scope, start=start, end=end, by="county") == {
        "130102": 3,
        "410102": 2,
        "410105": 2,
        "419001": 2,
    }
    assert q.report_counts(scope=scope, start=start, end=end, by="status") == {"received": 9}
    assert q.report_counts(scope=scope, start=start, end=end, by="industry") == {"危险化学品": 1, "冶金": 8}
    by_type = q.report_counts(scope=scope, start=start, end=end, by="problem_type")
    assert sum(by_type.values()) == 9 and by_type[spread.problem_types[2].name] == 4
    assert sum(q.report_counts(scope=scope, start=start, end=end, by="month").values()) == 9
    # One day only: the first reports.
    assert q.report_totals(scope=scope, start=DAY, end=DAY)["total"] == 5


def test_a_city_sees_nothing_outside_it(spread):
    city = q.stats_scope(spread.users.zhengzhou)
    start, end = DAY - dt.timedelta(days=10), TODAY
    assert q.report_counts(scope=city, start=start, end=end, by="child_region") == {"410102": 2, "410105": 2}
    assert q.report_totals(scope=city, start=start, end=end)["total"] == 4
    assert q.report_counts(scope=city, start=start, end=end, by="province") == {}  # none inside a city
    for code in ("130000", "130102", "419001", "410000"):
        with pytest.raises(q.StatsQueryError) if code != "410000" else _no_error():
            q.report_totals(scope=city, start=start, end=end, region_code=code)
    table = q.report_table(scope=city, start=start, end=end, column="channel")
    assert [r.code for r in table.rows] == ["410102", "410105"] and table.total.total == 4


class _no_error:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_bureau_sees_its_industries_only(spread):
    bureau = q.stats_scope(spread.users.hazchem_bureau)
    start, end = DAY - dt.timedelta(days=10), TODAY
    assert q.report_counts(scope=bureau, start=start, end=end, by="child_region") == {"130000": 1}
    assert q.report_totals(scope=bureau, start=start, end=end)["total"] == 1


@pytest.mark.parametrize(
    ("start", "end", "region", "message"),
    [
        (dt.date(2026, 5, 2), dt.date(2026, 5, 1), None, "开始日期不能晚于结束日期。"),
        (dt.date(1999, 12, 31), dt.date(2026, 5, 1), None, "开始日期须在"),
        (dt.date(2000, 1, 1), dt.date(2026, 5, 1), None, "统计时间跨度不能超过20年"),
        (dt.date(2026, 1, 1), dt.date(2026, 5, 1), "999999", "所选地区不存在。"),
        (dt.date(2026, 1, 1), dt.date(2026, 5, 1), "12", "所选地区不存在。"),
        ("2026-01-01", dt.date(2026, 5, 1), None, "开始日期格式不正确。"),
    ],
)
def test_bad_input_is_a_chinese_message(world, start, end, region, message):
    scope = q.stats_scope(world.users.ministry)
    with pytest.raises(q.StatsQueryError) as info:
        q.report_counts(scope=scope, start=start, end=end, region_code=region, by="channel")
    assert info.value.message.startswith(message)


def test_unknown_dimension_and_missing_scope(world):
    with pytest.raises(q.StatsQueryError, match="不支持"):
        q.report_counts(scope=q.stats_scope(world.users.ministry), start=None, end=None, by="colour")
    with pytest.raises(q.StatsQueryError, match="权限"):
        q.report_totals(scope=None, start=None, end=None)


@pytest.mark.parametrize(
    ("start", "end", "months", "edges"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), (dt.date(2026, 1, 1), dt.date(2026, 3, 1)), []),
        (
            dt.date(2026, 1, 15),
            dt.date(2026, 3, 31),
            (dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
            [(dt.date(2026, 1, 15), dt.date(2026, 1, 31))],
        ),
        (
            dt.date(2026, 1, 15),
            dt.date(2026, 3, 3),
            (dt.date(2026, 2, 1), dt.date(2026, 2, 1)),
            [(dt.date(2026, 1, 15), dt.date(2026, 1, 31)), (dt.date(2026, 3, 1), dt.date(2026, 3, 3))],
        ),
        (dt.date(2026, 1, 15), dt.date(2026, 1, 20), None, [(dt.date(2026, 1, 15), dt.date(2026, 1, 20))]),
        (dt.date(2026, 1, 15), dt.date(2026, 2, 20), None, [(dt.date(2026, 1, 15), dt.date(2026, 2, 20))]),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29), (dt.date(2024, 2, 1), dt.date(2024, 2, 1)), []),
    ],
)
def test_split_period(start, end, months, edges):
    assert q.split_period(start, end) == (months, edges)


def test_screen_queries_are_few(spread, django_assert_max_num_queries):
    """The query count of the screen's calls is pinned (no per-row queries)."""
    scope = q.stats_scope(spread.users.ministry)
    start, end = TODAY.replace(month=1, day=1), TODAY
    with django_assert_max_num_queries(4):
        q.report_counts(scope=scope, start=start, end=end, by="problem_type")
    with django_assert_max_num_queries(4):
        q.report_counts(scope=scope, start=start, end=end, by="child_region")
    with django_assert_max_num_queries(3):
        q.report_totals(scope=scope, start=start, end=end)


@pytest.mark.parametrize("user", ["ministry", "henan", "zhengzhou", "hazchem_bureau"])
def test_the_overview_is_the_separate_figures_in_one_pass(spread, user, django_assert_max_num_queries):
    scope = q.stats_scope(getattr(spread.users, user))
    period = dict(scope=scope, start=DAY - dt.timedelta(days=40), end=TODAY)
    # A 司局's industry scope is counted on the reports table, one GROUP BY per measure family.
    with django_assert_max_num_queries(4 if scope.industry_ids is None else 50):
        overview = q.report_overview(**period, today=TODAY)
    assert overview.totals == q.report_totals(**period, today=TODAY)
    assert overview.kpis == q.kpis(**period, today=TODAY)
    for by in q.BREAKDOWNS:
        assert overview.by[by] == q.report_counts(**period, by=by), by
    assert overview == q.report_overview(**period, today=TODAY, engine="raw")
    assert q.report_total(**period) == overview.totals["total"] > 0


def test_kpis_by_org(spread):
    scope = q.stats_scope(spread.users.henan)
    rows = q.kpis(scope=scope, start=DAY - dt.timedelta(days=10), end=TODAY, by_org=True)
    assert [(org.code, k.total) for org, k in rows] == [("EM410100", 4), ("EM419001", 2)]
    assert all(k.accept_rate is None for _org, k in rows)  # nothing accepted yet: "—", not 0 %


def test_hot_words_are_cached_and_scoped(spread, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    scope = q.stats_scope(spread.users.zhengzhou)
    words = q.hot_words(scope=scope, start=DAY - dt.timedelta(days=1), end=TODAY)
    assert ("储罐区", 4) in words and ("危险化学品", 4) in words
    assert not any(w in ("举报", "公司", "存在") for w, _ in words)
    with django_assert_max_num_queries(0):
        assert q.hot_words(scope=scope, start=DAY - dt.timedelta(days=1), end=TODAY) == words
