"""A small org world for the report tests: 河南省 → 郑州市 → 金水区 / 中原区, each with an 内设机构,
and 河北省 beside it; one user per org plus an auditor. Built with factories (fast), not with
the national tree."""

from types import SimpleNamespace

import pytest

from apps.accounts.models import User
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.orgs.models import Org
from tests.factories import OrgFactory, RegionFactory, UserFactory
from tests.public.flows import patch_server_clock
from tests.reference_data import ensure_reference_data

PASSWORD = "Test@12345pw"

REGIONS = [
    ("410000", "河南省", "province", None),
    ("410100", "郑州市", "city", "410000"),
    ("410105", "金水区", "county", "410100"),
    ("410102", "中原区", "county", "410100"),
    ("130000", "河北省", "province", None),
    ("130100", "石家庄市", "city", "130000"),
]


def _org(code, name, level, parent, region, kind=Org.Kind.EMERGENCY):
    return OrgFactory(code=code, name=name, level=level, parent=parent, region=region, kind=kind)


@pytest.fixture
def world(db):
    ensure_reference_data()
    regions = {}
    for code, name, level, parent in REGIONS:
        regions[code] = RegionFactory(code=code, name=name, level=level, parent=regions.get(parent))
    henan = _org("EM410000", "河南省应急管理厅", Org.Level.PROVINCE, None, regions["410000"])
    zhengzhou = _org("EM410100", "郑州市应急管理局", Org.Level.CITY, henan, regions["410100"])
    jinshui = _org("EM410105", "金水区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410105"])
    zhongyuan = _org("EM410102", "中原区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410102"])
    hebei = _org("EM130000", "河北省应急管理厅", Org.Level.PROVINCE, None, regions["130000"])
    depts = {
        key: _org(f"{parent.code}-D01", name, parent.level, parent, None, kind=Org.Kind.INTERNAL)
        for key, parent, name in [
            ("henan_dept", henan, "执法监察处"),
            ("zhengzhou_dept", zhengzhou, "执法监察支队"),
            ("jinshui_dept", jinshui, "执法监察大队"),
        ]
    }
    orgs = dict(henan=henan, zhengzhou=zhengzhou, jinshui=jinshui, zhongyuan=zhongyuan, hebei=hebei, **depts)
    users = {
        key: UserFactory(username=f"{key}_user", real_name=f"{org.name}经办人", org=org)
        for key, org in orgs.items()
    }
    users["auditor"] = UserFactory(
        username="henan_auditor", real_name="审计员", org=henan, role=User.Role.AUDITOR
    )
    users["henan_admin"] = UserFactory(
        username="henan_admin_user", real_name="管理员", org=henan, role=User.Role.ADMIN
    )
    return SimpleNamespace(
        regions=regions,
        orgs=SimpleNamespace(**orgs),
        users=SimpleNamespace(**users),
        letter=Channel.objects.get(code="letter"),
        web=Channel.objects.get(code="web"),
        hazchem=Industry.objects.get(code="hazchem"),
        major_hazard=ProblemType.objects.get(code="major_hazard"),
        concealed=ProblemType.objects.get(code="concealed_accident"),
    )


@pytest.fixture
def server_clock(monkeypatch):
    """The public notice's clock (the browser test reports through the public form)."""
    return patch_server_clock(monkeypatch)
