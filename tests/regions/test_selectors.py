import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.regions.selectors import (
    is_within,
    leaf_regions,
    region_ancestors,
    region_by_code,
    region_children_by_code,
    region_subtree,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["", "4101", "41010x", "４１０１０５", None, 410105, "999999"])
def test_region_by_code_returns_none_for_bad_or_unknown_codes(all_regions, bad):
    assert region_by_code(bad) is None


def test_subtree_of_a_province_and_of_a_city(all_regions):
    henan = region_by_code("410000")
    zhengzhou = region_by_code("410100")
    henan_codes = set(region_subtree(henan).values_list("code", flat=True))
    assert {"410000", "410100", "410105", "419001"} <= henan_codes
    assert all(code.startswith("41") for code in henan_codes)
    assert set(region_subtree(zhengzhou).values_list("code", flat=True)) == {
        "410100", "410102", "410103", "410104", "410105", "410106", "410108", "410122",
        "410181", "410182", "410183", "410184", "410185",
    }
    assert not region_subtree(zhengzhou).filter(code="419001").exists()


def test_ancestors_in_one_query(all_regions):
    jinshui = region_by_code("410105")
    with CaptureQueriesContext(connection) as ctx:
        chain = region_ancestors(jinshui)
    assert [r.code for r in chain] == ["410000", "410100"]
    assert len(ctx.captured_queries) == 1
    assert [r.code for r in region_ancestors(jinshui, include_self=True)] == ["410000", "410100", "410105"]
    assert region_ancestors(region_by_code("410000")) == []


def test_leaf_regions_are_where_reports_can_be_located(all_regions):
    leaves = set(leaf_regions().values_list("code", flat=True))
    assert {"410105", "110101", "419001", "659001", "441900", "620200", "629700"} <= leaves
    assert not leaves & {"410000", "410100", "110000", "460300"}
    assert not any(code.startswith(("71", "81", "82")) for code in leaves)
    assert len(leaves) >= 2800


def test_children_by_code(all_regions):
    assert [r.code for r in region_children_by_code(None)][:3] == ["110000", "120000", "130000"]
    assert len(region_children_by_code("100000")) == 34
    assert region_children_by_code("123") is None
    kids = {r.code: r.has_children for r in region_children_by_code("410000")}
    assert kids["410100"] is True and kids["419001"] is False


def test_is_within(all_regions):
    assert is_within(region_by_code("410105"), region_by_code("410000"))
    assert is_within(region_by_code("410000"), region_by_code("410000"))
    assert not is_within(region_by_code("410000"), region_by_code("410105"))
