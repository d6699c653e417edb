"""A small org tree with accounts at every level, shared by the accounts, audit and sysadmin tests.

    M 应急管理部 (ministry) ── B 司局 (bureau)
     ├─ P1 省厅 ── P1d 内设机构
     │   ├─ C1 市局 ── C1d 内设机构
     │   │   └─ K1 县局
     │   └─ C2 市局 ── K2 县局
     └─ P2 省厅 ── C3 市局

Every org has an admin, a user and an auditor: "<org>_admin", "<org>_user", "<org>_audit".
"""

import re
from dataclasses import dataclass, field

import pytest

from apps.accounts.models import User
from apps.catalogs.models import Industry
from apps.orgs.models import Org
from apps.sms.models import SmsOutbox
from tests.factories import OrgFactory, RegionFactory, UserFactory

PASSWORD = "Test@12345pw"
ORG_KEYS = ["M", "B", "P1", "P1d", "P2", "C1", "C1d", "C2", "K1", "K2", "C3"]
ROLES = {"admin": User.Role.ADMIN, "user": User.Role.USER, "audit": User.Role.AUDITOR}


@dataclass
class World:
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def user(self, org_key: str, role: str = "admin") -> User:
        return self.users[f"{org_key}_{role}"]


def build_world() -> World:
    r1 = RegionFactory(code="910000", name="甲省")
    r2 = RegionFactory(code="920000", name="乙省")
    rc1 = RegionFactory(code="910100", name="甲一市", parent=r1, level="city")
    rc2 = RegionFactory(code="910200", name="甲二市", parent=r1, level="city")
    rc3 = RegionFactory(code="920100", name="乙一市", parent=r2, level="city")
    rk1 = RegionFactory(code="910101", name="甲一县", parent=rc1, level="county")
    rk2 = RegionFactory(code="910201", name="甲二县", parent=rc2, level="county")
    rk3 = RegionFactory(code="910102", name="甲一新县", parent=rc1, level="county")  # for org creation tests
    assert rk3.pk

    w = World()
    o = w.orgs
    o["M"] = OrgFactory(code="W-MEM", name="应急管理部", level=Org.Level.MINISTRY, kind=Org.Kind.EMERGENCY)
    o["B"] = OrgFactory(
        code="W-BUREAU", name="安全执法局", level=Org.Level.MINISTRY, kind=Org.Kind.BUREAU, parent=o["M"]
    )
    o["P1"] = OrgFactory(
        code="W-P1", name="甲省应急管理厅", level=Org.Level.PROVINCE, parent=o["M"], region=r1
    )
    o["P1d"] = OrgFactory(
        code="W-P1D",
        name="甲省厅执法处",
        level=Org.Level.PROVINCE,
        kind=Org.Kind.INTERNAL,
        parent=o["P1"],
        region=r1,
    )
    o["P2"] = OrgFactory(
        code="W-P2", name="乙省应急管理厅", level=Org.Level.PROVINCE, parent=o["M"], region=r2
    )
    o["C1"] = OrgFactory(
        code="W-C1", name="甲一市应急管理局", level=Org.Level.CITY, parent=o["P1"], region=rc1
    )
    o["C1d"] = OrgFactory(
        code="W-C1D",
        name="甲一市局执法科",
        level=Org.Level.CITY,
        kind=Org.Kind.INTERNAL,
        parent=o["C1"],
        region=rc1,
    )
    o["C2"] = OrgFactory(
        code="W-C2", name="甲二市应急管理局", level=Org.Level.CITY, parent=o["P1"], region=rc2
    )
    o["K1"] = OrgFactory(
        code="W-K1", name="甲一县应急管理局", level=Org.Level.COUNTY, parent=o["C1"], region=rk1
    )
    o["K2"] = OrgFactory(
        code="W-K2", name="甲二县应急管理局", level=Org.Level.COUNTY, parent=o["C2"], region=rk2
    )
    o["C3"] = OrgFactory(
        code="W-C3", name="乙一市应急管理局", level=Org.Level.CITY, parent=o["P2"], region=rc3
    )
    industries = list(Industry.objects.filter(in_remit=True).order_by("sort_order")[:3])
    o["B"].industry_scope.set(industries)
    for index, key in enumerate(ORG_KEYS):
        for suffix, role in ROLES.items():
            name = f"{key}_{suffix}".lower()
            w.users[f"{key}_{suffix}"] = UserFactory(
                username=name,
                real_name=f"{key}{suffix}",
                org=o[key],
                role=role,
                mobile=f"138{index:02d}{list(ROLES).index(suffix):02d}0000"[:11],
            )
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


def captcha_fields() -> dict:
    # CAPTCHA_TEST_MODE (on under pytest) makes every captcha accept "PASSED".
    return {"captcha_0": "test-key", "captcha_1": "PASSED"}


def latest_login_code(user: User) -> str:
    row = SmsOutbox.objects.filter(related=f"login:{user.pk}").order_by("-id").first()
    assert row is not None, "no login code was queued"
    return re.search(r"\d{6}", row.text).group()


def start_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password, **captcha_fields(), **extra})


def full_login(client, user: User, password: str = PASSWORD):
    """Password, captcha and SMS code through the real views; returns the last response."""
    response = start_login(client, user.username, password)
    assert response.status_code == 302 and response["Location"] == "/login/code/", response.content.decode()[
        :500
    ]
    return client.post("/login/code/", {"code": latest_login_code(user)})


def age_login_codes(user: User, seconds: int = 61) -> None:
    """Make the last code old enough that a new one may be sent (resend waits 60 seconds)."""
    import datetime

    from django.utils import timezone

    from apps.accounts.models import LoginCode

    LoginCode.objects.filter(user=user).update(
        created_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )
