"""A world for the 首页 and 可视化分析 tests on the real region table: 应急管理部 with one 司局,
河南省 → 郑州市 → 金水区 / 中原区, 开封市 beside 郑州, and 河北省; one user per org plus an
auditor; reports spread over those places with distinct types, channels, industries and words."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.catalogs.seed import seed_catalogs
from apps.orgs.models import Org
from apps.regions.selectors import region_by_code
from apps.reports.actions.create import ReportContent, report_create
from tests.factories import OrgFactory, UserFactory

ORGS = [
    # key, code, name, level, parent key, region code
    ("mem", "MEM", "应急管理部", Org.Level.MINISTRY, None, None),
    ("henan", "EM410000", "河南省应急管理厅", Org.Level.PROVINCE, "mem", "410000"),
    ("zhengzhou", "EM410100", "郑州市应急管理局", Org.Level.CITY, "henan", "410100"),
    ("jinshui", "EM410105", "金水区应急管理局", Org.Level.COUNTY, "zhengzhou", "410105"),
    ("zhongyuan", "EM410102", "中原区应急管理局", Org.Level.COUNTY, "zhengzhou", "410102"),
    ("kaifeng", "EM410200", "开封市应急管理局", Org.Level.CITY, "henan", "410200"),
    ("gulou", "EM410204", "鼓楼区应急管理局", Org.Level.COUNTY, "kaifeng", "410204"),
    ("hebei", "EM130000", "河北省应急管理厅", Org.Level.PROVINCE, "mem", "130000"),
    ("changan", "EM130102", "长安区应急管理局", Org.Level.COUNTY, "hebei", "130102"),
]

# (receiving org, region, problem type, channel, industry, description): every place has its own
# words, so a leak of another place's report shows up in the hot words too.
REPORTS = [
    ("jinshui", "410105", "major_hazard", "web", "hazchem", "金水区化工厂储罐泄漏，储罐区报警失灵。"),
    ("jinshui", "410105", "major_hazard", "phone", "hazchem", "储罐附近违规动火，储罐没有防爆措施。"),
    ("jinshui", "410105", "illegal_act", "letter", "commerce", "商场消防通道堵塞，储罐存放在地下室。"),
    ("zhongyuan", "410102", "concealed_accident", "web", "machinery", "机械厂冲压车间工人受伤被瞒报。"),
    ("gulou", "410204", "other", "visit", "fireworks", "鼓楼烟花爆竹作坊非法生产鞭炮。"),
    ("changan", "130102", "illegal_act", "fax", "metal_mine", "长安尾矿库坝体渗漏，尾矿库无人值守。"),
    ("changan", "130102", "illegal_act", "fax", "metal_mine", "尾矿库排洪设施损坏。"),
]

KAIFENG_WORDS = ("鞭炮", "作坊")
HEBEI_WORDS = ("尾矿库", "排洪")


def _build(*, last_year_report: bool = True) -> SimpleNamespace:
    seed_catalogs(ProblemType, Industry, Channel)
    orgs: dict[str, Org] = {}
    for key, code, name, level, parent, region_code in ORGS:
        orgs[key] = OrgFactory(code=code, name=name, level=level, parent=orgs.get(parent),
                               region=region_by_code(region_code) if region_code else None)
    bureau = OrgFactory(code="MEM-HAZCHEM", name="危险化学品安全监督管理司", kind=Org.Kind.BUREAU,
                        level=Org.Level.MINISTRY, parent=orgs["mem"])
    bureau.industry_scope.set(Industry.objects.filter(code__in=["hazchem", "chemical"]))
    orgs["bureau"] = bureau
    users = {key: UserFactory(username=f"dash_{key}", real_name=f"{org.name}用户", org=org)
             for key, org in orgs.items()}
    users["auditor"] = UserFactory(username="dash_auditor", real_name="审计员", org=orgs["mem"],
                                   role=User.Role.AUDITOR)
    reports = []
    for org_key, region_code, ptype, channel, industry, text in REPORTS:
        reports.append(_report(orgs[org_key], region_code, ptype, channel, industry, text))
    if last_year_report:
        # Outside this year: counted in a long period, never in this year's totals.
        reports.append(_report(orgs["jinshui"], "410105", "other", "email", "textile", "纺织厂去年的旧举报。",
                               received_at=timezone.now() - dt.timedelta(days=400)))
    return SimpleNamespace(orgs=SimpleNamespace(**orgs), users=SimpleNamespace(**users), reports=reports)


def _report(org, region_code, ptype, channel, industry, text, received_at=None):
    report, _code = report_create(
        content=ReportContent(
            channel=Channel.objects.get(code=channel), region=region_by_code(region_code),
            problem_type=ProblemType.objects.get(code=ptype), industry=Industry.objects.get(code=industry),
            reported_unit_name="某生产经营单位", description=text,
        ),
        receiving_org=org,
        received_at=received_at,
    )
    return report


def add_report(world, org_key="jinshui", region_code="410105", ptype="major_hazard", channel="web",
               industry="hazchem", text="储罐区未设置可燃气体报警装置。"):
    return _report(getattr(world.orgs, org_key), region_code, ptype, channel, industry, text)


def count_queries(request) -> int:
    with CaptureQueriesContext(connection) as ctx:
        request()
    return len(ctx.captured_queries)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Hot words are cached per scope and period; a previous test's answer must not leak in.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(all_regions):
    return _build()


@pytest.fixture
def live_world(all_regions, transactional_db):
    return _build()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
