"""A small national world for the statistics tests, built with factories (fast):

全国: 应急管理部 (+ 危化司, a 司局 seeing 危险化学品 only)
  河南省 410000 → 郑州市 410100 → 金水区 410105, 中原区 410102 (金水区 has a 内设机构)
                → 济源市 419001 (a county-level city directly under the province)
  河北省 130000 → 石家庄市 130100 → 长安区 130102
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.catalogs.models import Channel, Industry, ProblemType
from apps.orgs.models import Org
from tests.factories import OrgFactory, RegionFactory, UserFactory

REGIONS = [
    ("410000", "河南省", "province", None),
    ("410100", "郑州市", "city", "410000"),
    ("410105", "金水区", "county", "410100"),
    ("410102", "中原区", "county", "410100"),
    ("419001", "济源市", "county", "410000"),
    ("130000", "河北省", "province", None),
    ("130100", "石家庄市", "city", "130000"),
    ("130102", "长安区", "county", "130100"),
]
LEAVES = ("410105", "410102", "419001", "130102")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Exports are written under MEDIA_ROOT: a scratch directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _org(code, name, level, parent, region, kind=Org.Kind.EMERGENCY):
    return OrgFactory(code=code, name=name, level=level, parent=parent, region=region, kind=kind)


@pytest.fixture
def world(db):
    regions = {}
    for code, name, level, parent in REGIONS:
        regions[code] = RegionFactory(code=code, name=name, level=level, parent=regions.get(parent))
    ministry = _org("MEM", "应急管理部", Org.Level.MINISTRY, None, None)
    hazchem_bureau = _org(
        "MEM-WHS", "危险化学品安全监督管理司", Org.Level.MINISTRY, ministry, None, kind=Org.Kind.BUREAU
    )
    hazchem_bureau.industry_scope.set([Industry.objects.get(code="hazchem")])
    henan = _org("EM410000", "河南省应急管理厅", Org.Level.PROVINCE, ministry, regions["410000"])
    zhengzhou = _org("EM410100", "郑州市应急管理局", Org.Level.CITY, henan, regions["410100"])
    jinshui = _org("EM410105", "金水区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410105"])
    zhongyuan = _org("EM410102", "中原区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410102"])
    jiyuan = _org("EM419001", "济源市应急管理局", Org.Level.CITY, henan, regions["419001"])
    hebei = _org("EM130000", "河北省应急管理厅", Org.Level.PROVINCE, ministry, regions["130000"])
    shijiazhuang = _org("EM130100", "石家庄市应急管理局", Org.Level.CITY, hebei, regions["130100"])
    changan = _org("EM130102", "长安区应急管理局", Org.Level.COUNTY, shijiazhuang, regions["130102"])
    orgs = dict(
        ministry=ministry,
        hazchem_bureau=hazchem_bureau,
        henan=henan,
        zhengzhou=zhengzhou,
        jinshui=jinshui,
        zhongyuan=zhongyuan,
        jiyuan=jiyuan,
        hebei=hebei,
        shijiazhuang=shijiazhuang,
        changan=changan,
    )
    for key in ("jinshui", "zhongyuan", "jiyuan", "changan"):
        county = orgs[key]
        orgs[f"{key}_dept"] = _org(
            f"{county.code}-D01",
            "执法监察大队",
            Org.Level.COUNTY,
            county,
            county.region,
            kind=Org.Kind.INTERNAL,
        )
    users = {
        key: UserFactory(username=f"{key}_u", real_name=f"{org.name}统计员", org=org)
        for key, org in orgs.items()
    }
    from apps.accounts.models import User

    users["auditor"] = UserFactory(
        username="stats_auditor", real_name="审计员", org=ministry, role=User.Role.AUDITOR
    )
    org_for_leaf = {"410105": jinshui, "410102": zhongyuan, "419001": jiyuan, "130102": changan}
    key_for_leaf = {"410105": "jinshui", "410102": "zhongyuan", "419001": "jiyuan", "130102": "changan"}
    return SimpleNamespace(
        regions=regions,
        orgs=SimpleNamespace(**orgs),
        users=SimpleNamespace(**users),
        org_for_leaf=org_for_leaf,
        key_for_leaf=key_for_leaf,
        channels=list(Channel.objects.order_by("pk")),
        industries=list(Industry.objects.order_by("pk")),
        problem_types=list(ProblemType.objects.order_by("pk")),
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`hour` o'clock on `day`, but never later than now: before 10:00 today's 10:00 is in the
    future, and a report cannot be received in the future."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), timezone.now())


def make_report(
    world,
    *,
    leaf="410105",
    received=None,
    channel=None,
    industry=None,
    problem_type=None,
    description="储罐区未设置可燃气体报警装置，危险化学品仓库超量储存。",
    staff=False,
):
    """A report created through the real action (so the cells are maintained by the signals)."""
    from apps.reports.actions.create import ReportContent, report_create

    content = ReportContent(
        channel=channel or world.channels[0],
        region=world.regions[leaf],
        problem_type=problem_type or world.problem_types[1],
        industry=industry or world.industries[4],
        reported_unit_name="某化工有限公司",
        description=description,
    )
    report, _code = report_create(
        content=content, receiving_org=world.org_for_leaf[leaf], received_at=received
    )
    return report
