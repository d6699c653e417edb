import pytest

from apps.regions.models import Region
from tests.factories import RegionFactory

# (code, name, level, parent code, served): every irregular shape the national data has, small.
SMALL_TREE = [
    ("410000", "河南省", "province", None, True),
    ("410100", "郑州市", "city", "410000", True),
    ("410102", "中原区", "county", "410100", True),
    ("410105", "金水区", "county", "410100", True),
    ("410184", "新郑市", "county", "410100", True),
    ("419001", "济源市", "county", "410000", True),  # 省直辖县级市
    ("130000", "河北省", "province", None, True),
    ("130100", "石家庄市", "city", "130000", True),
    ("130102", "长安区", "county", "130100", True),
    ("110000", "北京市", "province", None, True),  # 直辖市: districts directly below
    ("110101", "东城区", "county", "110000", True),
    ("650000", "新疆维吾尔自治区", "province", None, True),
    ("650100", "乌鲁木齐市", "city", "650000", True),
    ("650102", "天山区", "county", "650100", True),
    ("659001", "石河子市", "county", "650000", True),  # 兵团
    ("440000", "广东省", "province", None, True),
    ("441900", "东莞市", "city", "440000", True),  # city without counties
    ("620000", "甘肃省", "province", None, True),
    ("629700", "中农发山丹马场", "county", "620000", True),
    ("810000", "香港特别行政区", "province", None, False),
    ("810001", "中西区", "county", "810000", False),
]


def build_regions(rows) -> dict[str, Region]:
    made: dict[str, Region] = {}
    for code, name, level, parent, served in rows:
        made[code] = RegionFactory(code=code, name=name, level=level, parent=made.get(parent) or (
            Region.objects.get(code=parent) if parent else None), is_served=served)
    return made


@pytest.fixture
def small_regions(db) -> dict[str, Region]:
    return build_regions(SMALL_TREE)
