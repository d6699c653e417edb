"""The generated tree against the real national region table (one load per module)."""

import time

import pytest

from apps.orgs import tree_data
from apps.orgs.generate import org_tree_generate
from apps.orgs.models import Org
from apps.orgs.routing import RegionNotServed, org_for_region
from apps.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(all_regions, django_assert_max_num_queries):
    started = time.monotonic()
    # Bulk writes: ~60 batched statements (SQLite caps a statement at 999 parameters); a
    # per-row save() would be over 6,000 and take minutes.
    with django_assert_max_num_queries(150):
        result = org_tree_generate()
    return result, time.monotonic() - started


def test_generates_the_whole_country_in_seconds(national):
    result, seconds = national
    assert result.created == Org.objects.count() > 3200
    assert seconds < 15  # ~0.7 s on a 2-core machine; generous for slow CI disks
    assert org_tree_generate().created == 0


def test_one_bureau_per_served_province_plus_xpcc(national):
    mem = Org.objects.get(code="MEM")
    provincial = Org.objects.filter(parent=mem, kind="emergency", level="province")
    assert provincial.exclude(code=tree_data.XPCC_CODE).count() == 31
    assert provincial.filter(code=tree_data.XPCC_CODE).exists()
    assert set(provincial.exclude(region=None).values_list("region__code", flat=True)) == set(
        Region.objects.filter(level="province", is_served=True).values_list("code", flat=True)
    )
    assert sorted(Org.objects.get(code="EM-XPCC").extra_regions.values_list("code", flat=True)) == [
        f"6590{n:02d}" for n in range(1, 13)
    ]


def test_every_served_city_and_county_has_exactly_one_bureau(national):
    expected = set(
        Region.objects.filter(is_served=True, level__in=["city", "county"])
        .exclude(code__in=["419001", *tree_data.NO_BUREAU_REGIONS])
        .values_list("code", flat=True)
    )
    local = Org.objects.filter(kind="emergency", level__in=["city", "county"])
    bureaus = list(local.values_list("region__code", flat=True))
    assert len(bureaus) == len(set(bureaus))
    assert set(bureaus) == expected
    assert not Org.objects.filter(region__is_served=False).exists()


def test_parent_chains(national):
    orgs = {o.pk: o for o in Org.objects.select_related("region__parent")}
    by_code = {o.code: o for o in orgs.values()}
    for o in orgs.values():
        parent = orgs.get(o.parent_id)
        assert o.path == (parent.path if parent else "") + f"{o.pk:08d}/"
        if o.kind != "emergency" or o.level not in ("city", "county"):
            continue
        region_parent = o.region.parent.code
        if o.region.code.startswith(tree_data.XPCC_REGION_PREFIX):
            assert parent.code == tree_data.XPCC_CODE, o.code
        else:
            assert parent.code == f"EM{region_parent}", o.code
    assert {o.parent.code for o in orgs.values() if o.code.startswith("EM1101")} == {"EM110000"}
    assert by_code["EM410105"].parent.parent.code == "EM410000"
    assert by_code["ZONE-JIYUAN"].parent.code == "EM410000"
    assert by_code["MINE-410000"].parent.code == "MINE"
    assert by_code["MINE-130000"].parent.code == "MINE"


ROUTES = {
    "410105": "EM410105", "419001": "ZONE-JIYUAN", "110105": "EM110105", "500101": "EM500101",
    "441900": "EM441900", "659001": "EM659001", "429004": "EM429004", "629800": "EM620000",
}


def test_routing(national):
    # One test, not a parametrised one: each test pays for generating the whole country.
    regions = Region.objects.in_bulk([*ROUTES, "810000"], field_name="code")
    assert {code: org_for_region(regions[code]).code for code in ROUTES} == ROUTES
    with pytest.raises(RegionNotServed):
        org_for_region(regions["810000"])
