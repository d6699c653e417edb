import pytest
from django.core.management import call_command

from apps.catalogs.models import Industry
from apps.orgs.generate import org_tree_generate, org_tree_rebuild_paths
from apps.orgs.models import Org
from tests.orgs.conftest import build_regions

pytestmark = pytest.mark.django_db


def org(code: str) -> Org:
    return Org.objects.get(code=code)


def assert_paths_consistent():
    by_pk = {o.pk: o for o in Org.objects.all()}
    for o in by_pk.values():
        parent = by_pk.get(o.parent_id)
        expected = (parent.path if parent else "") + f"{o.pk:08d}/"
        assert o.path == expected, o.code
        assert o.depth == (parent.depth + 1 if parent else 0), o.code


def test_ministry_departments_and_mine_safety(small_regions):
    org_tree_generate()
    mem = org("MEM")
    assert (mem.parent, mem.level, mem.kind, mem.region) == (None, "ministry", "emergency", None)

    bureaus = Org.objects.filter(kind=Org.Kind.BUREAU)
    assert {b.parent_id for b in bureaus} == {mem.pk}
    in_remit = set(Industry.objects.filter(in_remit=True).values_list("code", flat=True))
    assert len(in_remit) == 16
    assert set(org("MEM-STATS").industry_scope.values_list("code", flat=True)) == in_remit
    hazchem = set(org("MEM-HAZCHEM").industry_scope.values_list("code", flat=True))
    assert hazchem == {"chemical", "pharma", "hazchem", "fireworks", "oil_extraction"}
    # Mines belong to 国家矿山安全监察局 alone; every other in-remit industry has a 司 below the
    # statistics department.
    specific = bureaus.exclude(code__in=["MEM-STATS", "MEM-COORD"])
    links = Org.industry_scope.through.objects.filter(org__in=specific)
    covered = set(links.values_list("industry__code", flat=True))
    assert covered == in_remit - {"coal_mine", "metal_mine"}

    mine = org("MINE")
    assert (mine.parent, mine.kind) == (mem, "mine_safety")
    assert set(mine.industry_scope.values_list("code", flat=True)) == {"coal_mine", "metal_mine"}
    assert org("MINE-410000").name == "国家矿山安全监察局河南局"
    assert org("MINE-130000").name == "国家矿山安全监察局河北局"
    assert org("MINE-650000").name == "国家矿山安全监察局新疆局"
    assert org("MINE-410000").parent == mine
    assert not Org.objects.filter(code="MINE-110000").exists()


def test_regional_bureaus_follow_the_region_tree(small_regions):
    org_tree_generate()
    mem = org("MEM")
    assert org("EM410000").name == "河南省应急管理厅"
    assert org("EM110000").name == "北京市应急管理局"
    assert org("EM650000").name == "新疆维吾尔自治区应急管理厅"
    for code in ("410000", "130000", "110000", "650000", "440000", "620000"):
        assert org(f"EM{code}").parent == mem
    assert not Org.objects.filter(code__in=["EM810000", "EM810001"]).exists()

    jinshui = org("EM410105")
    assert (jinshui.name, jinshui.level, jinshui.region.code) == ("金水区应急管理局", "county", "410105")
    assert jinshui.parent == org("EM410100")
    assert org("EM410100").parent == org("EM410000")
    assert org("EM110101").parent == org("EM110000")  # 直辖市 districts: no city level
    assert org("EM441900").level == "city"  # 东莞: a city-level leaf
    assert not org("EM441900").children.exists()
    assert not Org.objects.filter(code="EM629700").exists()  # a state farm has no bureau
    assert_paths_consistent()


def test_xpcc_and_zones(small_regions):
    org_tree_generate()
    xpcc = org("EM-XPCC")
    assert xpcc.name == "新疆生产建设兵团应急管理局"
    assert (xpcc.level, xpcc.parent, xpcc.region) == ("province", org("MEM"), None)
    assert list(xpcc.extra_regions.values_list("code", flat=True)) == ["659001"]
    assert org("EM659001").parent == xpcc
    assert org("EM650102").parent == org("EM650100")

    jiyuan = org("ZONE-JIYUAN")
    assert (jiyuan.kind, jiyuan.level, jiyuan.parent) == ("zone", "city", org("EM410000"))
    assert jiyuan.name == "济源产城融合示范区应急管理局"
    assert list(jiyuan.extra_regions.values_list("code", flat=True)) == ["419001"]
    assert not Org.objects.filter(code="EM419001").exists()
    # Without a 410173 region the airport zone exists but covers nothing (see tree_data).
    airport = org("ZONE-ZZAIRPORT")
    assert airport.parent == org("EM410000") and airport.region is None
    assert not airport.extra_regions.exists()


def test_airport_zone_takes_over_its_statistical_region(small_regions):
    build_regions([("410173", "郑州航空港经济综合实验区", "county", "410100", True)])
    org_tree_generate()
    assert org("ZONE-ZZAIRPORT").region.code == "410173"
    assert not Org.objects.filter(code="EM410173").exists()


def test_second_run_creates_nothing_and_keeps_edits(small_regions, django_assert_max_num_queries):
    first = org_tree_generate()
    assert first.created == Org.objects.count() and first.existing == 0
    Org.objects.filter(code="EM410105").update(name="郑州市金水区应急管理局", is_active=False)
    paths = dict(Org.objects.values_list("code", "path"))

    with django_assert_max_num_queries(8):
        second = org_tree_generate()
    assert (second.created, second.existing) == (0, first.created)
    assert dict(Org.objects.values_list("code", "path")) == paths
    jinshui = org("EM410105")
    assert (jinshui.name, jinshui.is_active) == ("郑州市金水区应急管理局", False)


def test_an_org_whose_code_an_administrator_changed_is_not_generated_again(small_regions):
    org_tree_generate()
    Org.objects.filter(code="EM410105").update(code="JS-001")
    Org.objects.filter(code="ZONE-JIYUAN").update(code="JY-001")
    Org.objects.filter(code="EM410100").update(code="ZZ-001")  # a parent of a missing org
    Org.objects.filter(code="EM410102").delete()
    assert org_tree_generate().created == 1
    assert org("EM410102").parent == org("ZZ-001")
    assert not Org.objects.filter(code__in=["EM410105", "ZONE-JIYUAN", "EM410100"]).exists()


def test_new_regions_get_their_bureau_on_the_next_run(small_regions):
    org_tree_generate()
    build_regions([("410103", "二七区", "county", "410100", True)])
    assert org_tree_generate().created == 1
    assert org("EM410103").parent == org("EM410100")
    assert_paths_consistent()


def test_command_reports_counts(small_regions, capsys):
    call_command("generate_orgs")
    assert "新增机构" in capsys.readouterr().out
    call_command("generate_orgs")
    assert "新增机构 0 个" in capsys.readouterr().out


def test_rebuild_paths_after_a_move(small_regions):
    org_tree_generate()
    jinshui, shijiazhuang = org("EM410105"), org("EM130100")
    dept = Org(code="EM410105-D01", name="综合科", kind="internal", level="county", parent=jinshui)
    dept.save()
    Org.objects.filter(pk=jinshui.pk).update(parent=shijiazhuang)

    assert org_tree_rebuild_paths() == 2
    jinshui.refresh_from_db()
    dept.refresh_from_db()
    assert jinshui.path == f"{shijiazhuang.path}{jinshui.pk:08d}/"
    assert dept.path.startswith(jinshui.path) and dept.depth == 4
    assert_paths_consistent()
    assert org_tree_rebuild_paths() == 0


def test_rebuild_refuses_a_cycle(small_regions):
    org_tree_generate()
    Org.objects.filter(code="EM410000").update(parent=org("EM410105"))
    with pytest.raises(ValueError, match="循环"):
        org_tree_rebuild_paths()
