"""The national org tree as data. `generate.py` turns it plus the region table into orgs.

Org codes (generation finds existing orgs by code, or by kind and region for orgs that cover
a region, so administrators may recode regional orgs but not the region-less ones):

  MEM                 应急管理部
  MEM-<slug>          部机关司局
  MINE                国家矿山安全监察局
  MINE-<province>     its provincial 局, e.g. MINE-410000
  EM<region code>     the 应急管理厅/局 of a region, e.g. EM410000, EM410105
  EM-XPCC             新疆生产建设兵团应急管理局
  ZONE-<slug>         functional zones (功能区)
  <parent code>-Dnn   内设机构 created without an explicit code

Department names are those of 2022, when the system went live (the notice names 调查统计司 as
its owner). Later reorganisations are applied by renaming in 机构管理; codes stay.
"""

from dataclasses import dataclass

MINISTRY_CODE = "MEM"
MINE_CODE = "MINE"
XPCC_CODE = "EM-XPCC"

ALL_IN_REMIT = "*"

# (slug, name, industry codes from apps.catalogs.seed). Only the 司局 that take part in
# 举报 handling: each sees the reports of its industries.
MINISTRY_DEPARTMENTS: list[tuple[str, str, tuple[str, ...] | str]] = [
    # Owns the reporting system and its statistics, so it sees every industry.
    ("STATS", "调查统计司", ALL_IN_REMIT),
    ("HAZCHEM", "危险化学品安全监督管理司",
     ("chemical", "pharma", "hazchem", "fireworks", "oil_extraction")),
    ("BASIC", "安全生产基础司",
     ("metallurgy", "nonferrous", "building_materials", "machinery", "light_industry", "textile",
      "tobacco", "commerce", "other")),
    # Enforcement across the non-mining industries; mines are enforced by 国家矿山安全监察局.
    ("ENFORCE", "安全生产执法局",
     ("chemical", "pharma", "hazchem", "fireworks", "oil_extraction", "metallurgy", "nonferrous",
      "building_materials", "machinery", "light_industry", "textile", "tobacco", "commerce", "other")),
    ("COORD", "安全生产综合协调司", ALL_IN_REMIT),
]

MINE_INDUSTRIES = ("coal_mine", "metal_mine")

# Provinces with a provincial 国家矿山安全监察局 (the former 煤矿安全监察局 provinces).
MINE_PROVINCES = (
    "130000", "140000", "150000", "210000", "220000", "230000", "320000", "340000", "350000",
    "360000", "370000", "410000", "420000", "430000", "450000", "500000", "510000", "520000",
    "530000", "610000", "620000", "630000", "640000", "650000",
)

MUNICIPALITIES = ("110000", "120000", "310000", "500000")

# Names in 国家矿山安全监察局XX局 and similar use the short form of the province.
PROVINCE_SHORT_NAMES = {
    "150000": "内蒙古",
    "450000": "广西",
    "540000": "西藏",
    "640000": "宁夏",
    "650000": "新疆",
}


def province_short_name(code: str, name: str) -> str:
    if code in PROVINCE_SHORT_NAMES:
        return PROVINCE_SHORT_NAMES[code]
    return name.removesuffix("省").removesuffix("市")


def province_bureau_name(code: str, name: str) -> str:
    # 直辖市 have an 应急管理局, provinces and autonomous regions an 应急管理厅.
    return f"{name}应急管理局" if code in MUNICIPALITIES else f"{name}应急管理厅"


# 新疆生产建设兵团: a province-level org under the ministry whose jurisdiction is the
# 兵团 cities (GB/T 2260 6590xx, county-level under 新疆), not a region subtree.
XPCC_NAME = "新疆生产建设兵团应急管理局"
XPCC_REGION_PREFIX = "6590"


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name: str
    parent_code: str
    level: str
    # Regions the zone takes over: no generic 应急管理局 is generated for them, and reports
    # located there are routed to the zone.
    region_codes: tuple[str, ...]


ZONES = (
    ZoneSpec("ZONE-JIYUAN", "济源产城融合示范区应急管理局", "EM410000", "city", ("419001",)),
    # 航空港区 has no GB/T 2260 code: its land was carved out of 新郑市 and 中牟县, which
    # keep their own bureaus. 410173 is its 统计用区划代码; when the region table has it the
    # zone takes it over, otherwise the zone exists for accounts, dispatch and statistics but
    # routing by region never picks it (reports reach it by 转办 from 郑州/新郑/中牟).
    ZoneSpec("ZONE-ZZAIRPORT", "郑州航空港经济综合实验区应急管理局", "EM410000", "city", ("410173",)),
)

# Province-managed areas that the region table carries as county-level units only so that points
# inside them resolve (甘肃 中农发山丹马场, 莲花山 and 太子山 reserves, see apps.regions.source).
# They are not local governments and have no 应急管理局: reports there go to the province.
NO_BUREAU_REGIONS = frozenset({"629700", "629800", "629900"})
