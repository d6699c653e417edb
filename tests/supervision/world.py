"""A small org world for the 督办/延期/消息中心 tests, built with the shared factories (fast):

    应急管理部
    ├─ 河南省应急管理厅 (+执法监察处)
    │  └─ 郑州市应急管理局 (+执法监察支队)
    │     ├─ 金水区应急管理局 (+执法监察大队)
    │     └─ 中原区应急管理局
    └─ 河北省应急管理厅

One user per org, plus an auditor of 河南省. Reports are put into the state a test needs directly
(apps.reports' own tests cover how the actions get them there; tests/supervision/test_flow.py
drives the real actions end to end).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone

from apps.accounts.models import User
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.orgs.models import Org
from apps.reports.actions.create import ReportContent, ReporterIdentity, report_create
from apps.reports.models import Handling, Report
from tests.factories import OrgFactory, RegionFactory, UserFactory

S = Handling.State
R = Report.Status

# A Thursday. The next working days are Mon 28 and Tue 29 (25 Sep 2026 is 中秋节), Wed 30, then
# Thu 8 October after the 国庆节 holiday; Sat 10 October is a 调休 working day.
TODAY = dt.date(2026, 9, 24)

REGIONS = [
    ("410000", "河南省", "province", None),
    ("410100", "郑州市", "city", "410000"),
    ("410105", "金水区", "county", "410100"),
    ("410102", "中原区", "county", "410100"),
    ("130000", "河北省", "province", None),
]

REPORTER = ReporterIdentity(name="张三", phone="13800138000")


def build_world() -> SimpleNamespace:
    regions = {}
    for code, name, level, parent in REGIONS:
        regions[code] = RegionFactory(code=code, name=name, level=level, parent=regions.get(parent))

    def org(code, name, level, parent, region=None, kind=Org.Kind.EMERGENCY):
        return OrgFactory(code=code, name=name, level=level, parent=parent, region=region, kind=kind)

    ministry = org("EM000000", "应急管理部", Org.Level.MINISTRY, None)
    henan = org("EM410000", "河南省应急管理厅", Org.Level.PROVINCE, ministry, regions["410000"])
    zhengzhou = org("EM410100", "郑州市应急管理局", Org.Level.CITY, henan, regions["410100"])
    jinshui = org("EM410105", "金水区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410105"])
    zhongyuan = org("EM410102", "中原区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410102"])
    hebei = org("EM130000", "河北省应急管理厅", Org.Level.PROVINCE, ministry, regions["130000"])
    henan_dept = org("EM410000-D01", "执法监察处", Org.Level.PROVINCE, henan, kind=Org.Kind.INTERNAL)
    zhengzhou_dept = org("EM410100-D01", "执法监察支队", Org.Level.CITY, zhengzhou, kind=Org.Kind.INTERNAL)
    jinshui_dept = org("EM410105-D01", "执法监察大队", Org.Level.COUNTY, jinshui, kind=Org.Kind.INTERNAL)
    orgs = dict(
        ministry=ministry,
        henan=henan,
        zhengzhou=zhengzhou,
        jinshui=jinshui,
        zhongyuan=zhongyuan,
        hebei=hebei,
        henan_dept=henan_dept,
        zhengzhou_dept=zhengzhou_dept,
        jinshui_dept=jinshui_dept,
    )
    users = {
        key: UserFactory(username=f"sv_{key}", real_name=f"{o.name}经办人", org=o) for key, o in orgs.items()
    }
    users["henan2"] = UserFactory(username="sv_henan2", real_name="河南省第二经办人", org=henan)
    users["auditor"] = UserFactory(
        username="sv_auditor", real_name="审计员", org=henan, role=User.Role.AUDITOR
    )
    return SimpleNamespace(
        regions=regions,
        orgs=SimpleNamespace(**orgs),
        users=SimpleNamespace(**users),
        channel=Channel.objects.get(code="letter"),
        industry=Industry.objects.filter(in_remit=True).order_by("pk").first(),
        problem_type=ProblemType.objects.order_by("pk").first(),
    )


def new_report(world, org: Org, *, anonymous: bool = False, received_at: dt.datetime | None = None) -> Report:
    content = ReportContent(
        channel=world.channel,
        region=world.regions["410105"],
        problem_type=world.problem_type,
        industry=world.industry,
        reported_unit_name="某化工有限公司",
        description="储罐区未设置可燃气体报警装置。",
    )
    report, _code = report_create(
        content=content,
        receiving_org=org,
        reporter=None if anonymous else REPORTER,
        received_at=received_at or at(TODAY - dt.timedelta(days=20)),
    )
    return report


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def chain(
    world,
    hops: list[tuple[Org, str]],
    *,
    status: str = R.VERIFYING,
    result_due: dt.date | None = None,
    accept_due: dt.date | None = None,
    dispatch_due: dt.date | None = None,
    anonymous: bool = False,
) -> Report:
    """A report passed down `hops` (first = the org that received and first accepted it), each hop
    in the given state. accept_due / dispatch_due go on the last hop; result_due on the report."""
    first_org, first_state = hops[0]
    report = new_report(world, first_org, anonymous=anonymous)
    accepted = first_state not in (S.PENDING, S.DEFERRED, S.REJECTED)
    Report.objects.filter(pk=report.pk).update(
        status=status,
        accepting_org=first_org if accepted else None,
        accepted_at=at(TODAY - dt.timedelta(days=15)) if accepted else None,
        result_due=result_due if accepted else None,
        closed_at=at(TODAY) if status == R.CLOSED else None,
    )
    parent = report.handlings.get()
    received = at(TODAY - dt.timedelta(days=19))
    Handling.objects.filter(pk=parent.pk).update(state=first_state, accept_due=None, received_at=received)
    last = parent
    for index, (org, state) in enumerate(hops[1:], start=1):
        last = Handling.objects.create(
            report=report, org=org, parent=last, state=state, received_at=received + dt.timedelta(hours=index)
        )
    Handling.objects.filter(pk=last.pk).update(accept_due=accept_due, dispatch_due=dispatch_due)
    report.refresh_from_db()
    return report


@contextmanager
def today_is(day: dt.date, hour: int = 10):
    """Move "today": the report actions' clock (apps.reports.actions.base._clock, which ours use
    too) and timezone.localdate() without arguments (the selectors' and badges' default)."""
    real = timezone.localdate

    def fake(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    with (
        mock.patch("django.utils.timezone.localdate", fake),
        mock.patch("apps.reports.actions.base._clock", lambda: at(day, hour)),
    ):
        yield
