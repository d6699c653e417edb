import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.orgs.models import Org
from apps.orgs.scoping import org_get_for_user_or_404, org_is_below, org_is_within, orgs_within
from tests.factories import OrgFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Org]:
    def make(key, parent, level, kind="emergency"):
        made[key] = OrgFactory(code=key.upper(), name=key, parent=made.get(parent), level=level, kind=kind)

    made: dict[str, Org] = {}
    make("mem", None, "ministry")
    make("henan", "mem", "province")
    make("zhengzhou", "henan", "city")
    make("jinshui", "zhengzhou", "county")
    make("jinshui_dept", "jinshui", "county", kind="internal")
    make("erqi", "zhengzhou", "county")
    make("zhengzhou_dept", "zhengzhou", "city", kind="internal")
    make("kaifeng", "henan", "city")
    make("longting", "kaifeng", "county")
    make("hebei", "mem", "province")
    make("shijiazhuang", "hebei", "city")
    return made


def visible(user) -> set[str]:
    return set(orgs_within(user).values_list("name", flat=True))


def user_at(org: Org, **kwargs) -> User:
    return UserFactory(org=org, **kwargs)


def test_county_user_sees_its_subtree_only(tree):
    assert visible(user_at(tree["jinshui"])) == {"jinshui", "jinshui_dept"}


def test_city_user_sees_its_counties_not_a_sibling_city(tree):
    expected = {"zhengzhou", "jinshui", "jinshui_dept", "erqi", "zhengzhou_dept"}
    assert visible(user_at(tree["zhengzhou"])) == expected


def test_province_user_does_not_see_another_province(tree):
    seen = visible(user_at(tree["henan"]))
    assert {"kaifeng", "longting", "jinshui"} <= seen
    assert not seen & {"mem", "hebei", "shijiazhuang"}


def test_ministry_user_sees_everything(tree):
    assert visible(user_at(tree["mem"])) == set(tree)


def test_internal_department_user_sees_only_the_department(tree):
    assert visible(user_at(tree["zhengzhou_dept"])) == {"zhengzhou_dept"}


def test_inactive_and_anonymous_users_see_nothing(tree):
    inactive = user_at(tree["mem"], is_active=False)
    for user in (inactive, AnonymousUser()):
        assert visible(user) == set()
        assert not org_is_within(user, tree["jinshui"])
        with pytest.raises(Http404):
            org_get_for_user_or_404(user, tree["jinshui"].pk)


def test_within_and_below(tree):
    user = user_at(tree["zhengzhou"])
    assert org_is_within(user, tree["zhengzhou"]) and not org_is_below(user, tree["zhengzhou"])
    assert org_is_within(user, tree["jinshui_dept"]) and org_is_below(user, tree["jinshui_dept"])
    assert not org_is_within(user, tree["henan"]) and not org_is_below(user, tree["kaifeng"])


def test_get_or_404(tree):
    user = user_at(tree["zhengzhou"])
    assert org_get_for_user_or_404(user, tree["jinshui"].pk) == tree["jinshui"]
    assert org_get_for_user_or_404(user, str(tree["zhengzhou"].pk)) == tree["zhengzhou"]
    missing = Org.objects.order_by("-pk").first().pk + 1
    # Sibling, ancestor, cousin and nonexistent look the same from outside.
    outside = [tree[key].pk for key in ("kaifeng", "henan", "mem", "longting")]
    for pk in (*outside, missing, "abc", None):
        with pytest.raises(Http404, match="机构不存在"):
            org_get_for_user_or_404(user, pk)


def test_path_prefixes_do_not_leak_between_similar_ids(tree):
    # Org 1's path "00000001/" is a string prefix of nothing but its own subtree; a naive
    # `path LIKE '1%'` would also match ids 10-19.
    root = tree["mem"]
    for _ in range(12):
        OrgFactory(parent=None, level="ministry")
    assert orgs_within(user_at(root)).count() == len(tree)


def test_scoped_list_is_one_query(tree, django_assert_num_queries):
    user = User.objects.select_related("org").get(pk=user_at(tree["zhengzhou"]).pk)
    with django_assert_num_queries(1):
        list(orgs_within(user))
    with django_assert_num_queries(1):
        org_get_for_user_or_404(user, tree["jinshui"].pk)


def test_subtree_query_is_an_indexed_prefix_match(tree):
    qs = orgs_within(user_at(tree["zhengzhou"]))
    with CaptureQueriesContext(connection) as ctx:
        list(qs)
    sql = ctx.captured_queries[-1]["sql"]
    path = tree["zhengzhou"].path
    if connection.vendor == "sqlite":
        # SQLite's LIKE is case-insensitive and cannot use the BINARY index; GLOB can.
        assert f"\"orgs_org\".\"path\" GLOB '{path}*'" in sql
        with connection.cursor() as cursor:
            query, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN QUERY PLAN " + query, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "USING INDEX org_path_prefix" in plan or "USING COVERING INDEX org_path_prefix" in plan, plan
    else:
        assert f"\"orgs_org\".\"path\" LIKE '{path}%'" in sql.replace("::text", "")
        # A tiny table is always scanned; forbidding that shows whether the index can serve LIKE.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            query, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN " + query, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "org_path_prefix" in plan, plan
