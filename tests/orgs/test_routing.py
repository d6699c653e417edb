import pytest

from apps.orgs.generate import org_tree_generate
from apps.orgs.models import Org
from apps.orgs.routing import RegionNotServed, org_for_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(small_regions):
    org_tree_generate()
    return small_regions


@pytest.mark.parametrize(("region", "org_code"), [
    ("410105", "EM410105"),
    ("410100", "EM410100"),
    ("410000", "EM410000"),
    ("419001", "ZONE-JIYUAN"),
    ("110101", "EM110101"),
    ("441900", "EM441900"),
    ("659001", "EM659001"),
    ("629700", "EM620000"),  # no bureau of its own: the province handles it
])
def test_most_local_org(tree, region, org_code, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert org_for_region(tree[region]).code == org_code


def test_inactive_bureau_hands_over_to_the_next_one_up(tree):
    Org.objects.filter(code="EM410105").update(is_active=False)
    assert org_for_region(tree["410105"]).code == "EM410100"
    Org.objects.filter(code="EM659001").update(is_active=False)
    assert org_for_region(tree["659001"]).code == "EM-XPCC"  # the 兵团 list beats 新疆厅
    Org.objects.filter(code="ZONE-JIYUAN").update(is_active=False)
    assert org_for_region(tree["419001"]).code == "EM410000"


def test_ministry_is_the_last_resort(tree):
    Org.objects.filter(code__in=["EM410105", "EM410100", "EM410000"]).update(is_active=False)
    Org.objects.filter(code="MEM").update(code="YJGLB")
    assert org_for_region(tree["410105"]).code == "YJGLB"


@pytest.mark.parametrize("region", ["810000", "810001"])
def test_unserved_regions_are_refused(tree, region):
    with pytest.raises(RegionNotServed, match="不在本系统受理范围内"):
        org_for_region(tree[region])


def test_a_served_flag_under_an_unserved_parent_is_still_refused(tree):
    from tests.orgs.conftest import build_regions

    stray = build_regions([("810002", "湾仔区", "county", "810000", True)])["810002"]
    with pytest.raises(RegionNotServed):
        org_for_region(stray)
