"""A small org world for the spot-check tests, built with the shared factories (fast):

    应急管理部 ─┬─ 河南省应急管理厅 (+执法监察处) ─┬─ 郑州市应急管理局 (+执法监察支队) ─┬─ 金水区应急管理局
               │                                  │                                     └─ 中原区应急管理局
               │                                  └─ 洛阳市应急管理局
               └─ 河北省应急管理厅 ─ 石家庄市应急管理局

One user per org, plus an auditor of 河南省. `closed(...)` puts a report straight into the closed
state (apps.reports' own tests cover how the actions get it there); `close_for_real(...)` runs the
real actions, for the end-to-end tests.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from apps.accounts.models import User
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.orgs.models import Org
from apps.reports.actions.accept import report_accept
from apps.reports.actions.close import report_close
from apps.reports.actions.create import ReportContent, report_create
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback
from apps.reports.models import Handling, Report
from tests.factories import OrgFactory, RegionFactory, UserFactory

PASSWORD = "Test@12345pw"

REGIONS = [
    ("410000", "河南省", "province", None),
    ("410100", "郑州市", "city", "410000"),
    ("410105", "金水区", "county", "410100"),
    ("410102", "中原区", "county", "410100"),
    ("410300", "洛阳市", "city", "410000"),
    ("410303", "西工区", "county", "410300"),
    ("130000", "河北省", "province", None),
    ("130100", "石家庄市", "city", "130000"),
    ("130102", "长安区", "county", "130100"),
]


def seed_reference_data() -> None:
    """Catalogs come from a data migration; a transactional test (live server) flushes them, so put
    them back when they are missing."""
    if not Channel.objects.exists():
        from apps.catalogs.seed import seed_catalogs

        seed_catalogs(ProblemType, Industry, Channel)


def build_world() -> SimpleNamespace:
    seed_reference_data()
    regions = {}
    for code, name, level, parent in REGIONS:
        regions[code] = RegionFactory(code=code, name=name, level=level, parent=regions.get(parent))

    def org(code, name, level, parent, region=None, kind=Org.Kind.EMERGENCY):
        return OrgFactory(code=code, name=name, level=level, parent=parent, region=region, kind=kind)

    ministry = org("EM000000", "应急管理部", Org.Level.MINISTRY, None)
    henan = org("EM410000", "河南省应急管理厅", Org.Level.PROVINCE, ministry, regions["410000"])
    henan_dept = org("EM410000-D01", "执法监察处", Org.Level.PROVINCE, henan, kind=Org.Kind.INTERNAL)
    zhengzhou = org("EM410100", "郑州市应急管理局", Org.Level.CITY, henan, regions["410100"])
    zhengzhou_dept = org("EM410100-D01", "执法监察支队", Org.Level.CITY, zhengzhou, kind=Org.Kind.INTERNAL)
    jinshui = org("EM410105", "金水区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410105"])
    zhongyuan = org("EM410102", "中原区应急管理局", Org.Level.COUNTY, zhengzhou, regions["410102"])
    luoyang = org("EM410300", "洛阳市应急管理局", Org.Level.CITY, henan, regions["410300"])
    hebei = org("EM130000", "河北省应急管理厅", Org.Level.PROVINCE, ministry, regions["130000"])
    shijiazhuang = org("EM130100", "石家庄市应急管理局", Org.Level.CITY, hebei, regions["130100"])
    orgs = dict(ministry=ministry, henan=henan, henan_dept=henan_dept, zhengzhou=zhengzhou,
                zhengzhou_dept=zhengzhou_dept, jinshui=jinshui, zhongyuan=zhongyuan, luoyang=luoyang,
                hebei=hebei, shijiazhuang=shijiazhuang)
    users = {key: UserFactory(username=f"sc_{key}", real_name=f"{o.name}经办人", org=o)
             for key, o in orgs.items()}
    users["henan2"] = UserFactory(username="sc_henan2", real_name="河南省第二经办人", org=henan)
    users["auditor"] = UserFactory(username="sc_auditor", real_name="审计员", org=henan,
                                   role=User.Role.AUDITOR)
    return SimpleNamespace(
        regions=regions, orgs=SimpleNamespace(**orgs), users=SimpleNamespace(**users),
        channel=Channel.objects.get(code="letter"),
        industry=Industry.objects.filter(in_remit=True).order_by("pk").first(),
        problem_type=ProblemType.objects.order_by("pk").first(),
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def new_report(world, org: Org, region_code: str, *, received_at: dt.datetime | None = None) -> Report:
    content = ReportContent(
        channel=world.channel, region=world.regions[region_code], problem_type=world.problem_type,
        industry=world.industry, reported_unit_name="某化工有限公司",
        description="储罐区未设置可燃气体报警装置。",
    )
    report, _code = report_create(content=content, receiving_org=org, reporter=None, received_at=received_at)
    return report


def closed(world, org: Org, *, region_code: str | None = None, closed_on: dt.date | None = None,
           penalty: str | None = "50000", reward_status: str = Report.RewardStatus.NONE,
           reward_amount: str | None = None) -> Report:
    """A report received, accepted and closed by `org` (its first and only hop set CLOSED)."""
    region_code = region_code or org.region.code
    closed_on = closed_on or timezone.localdate()
    report = new_report(world, org, region_code, received_at=at(closed_on - dt.timedelta(days=20)))
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.CLOSED, accepting_org=org, accepted_at=at(closed_on - dt.timedelta(days=19)),
        closed_at=at(closed_on, 15), conclusion=Report.Conclusion.TRUE, verification_summary="现场检查属实。",
        decision="责令限期整改并罚款", penalty_amount=Decimal(penalty) if penalty is not None else None,
        reward_status=reward_status, reward_amount=Decimal(reward_amount) if reward_amount else None,
    )
    Handling.objects.filter(report=report).update(state=Handling.State.CLOSED, finished_at=at(closed_on, 15))
    report.refresh_from_db()
    return report


def close_for_real(world, org_key: str = "zhengzhou") -> Report:
    """An anonymous 信件 report received by the org, accepted, dispatched to its 内设机构, verified,
    fed back and closed with the real actions."""
    org = getattr(world.orgs, org_key)
    user = getattr(world.users, org_key)
    dept_user = getattr(world.users, f"{org_key}_dept")
    report = new_report(world, org, org.region.code if org.region.level != "city" else "410105")
    report_accept(actor=user, report=report)
    report_dispatch(actor=user, report=report, target_org=dept_user.org)
    report_feedback(actor=dept_user, report=report, conclusion="true", summary="现场检查属实，已责令整改。",
                    decision="罚款5万元", penalty_amount="50000", rectification="已整改")
    return report_close(actor=user, report=report, conclusion="true", summary="现场检查属实，已责令整改。",
                        decision="罚款5万元", penalty_amount="50000", rectification="已整改",
                        reward_status=Report.RewardStatus.PENDING, reward_amount="2000")


def item_to_rectify(world, *, due: dt.date | None = None):
    """河南省 draws one of 郑州市's closed reports and finds it 不合格, so 郑州市 must correct it
    (by `due` when given, instead of the configured working days from today)."""
    from apps.spotchecks.actions import spotcheck_create, spotcheck_review
    from apps.spotchecks.models import SpotCheckItem

    closed(world, world.orgs.zhengzhou, region_code="410105")
    today = timezone.localdate()
    batch = spotcheck_create(actor=world.users.henan, scope="org", org=world.orgs.zhengzhou,
                             closed_from=today - dt.timedelta(days=5), closed_to=today, size=1)
    item = batch.items.get()
    spotcheck_review(actor=world.users.henan, item=item, qualified=False, opinion="处罚偏轻")
    if due is not None:
        SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=due)
    item.refresh_from_db()
    return item
