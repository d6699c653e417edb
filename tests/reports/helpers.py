"""Helpers shared by the report tests."""

import datetime

from django.utils import timezone

from apps.reports.actions.create import ReportContent, ReporterIdentity, report_create


def content_for(world, region_code="410105", **overrides) -> ReportContent:
    fields = dict(
        channel=world.web,
        region=world.regions[region_code],
        problem_type=world.major_hazard,
        industry=world.hazchem,
        reported_unit_name="某化工有限公司",
        description="储罐区未设置可燃气体报警装置。",
        reported_unit_address="金水区某路1号",
    )
    fields.update(overrides)
    return ReportContent(**fields)


REPORTER = ReporterIdentity(name="张三", phone="13800138000", id_number="")


def new_report(world, org=None, *, anonymous=False, region_code="410105", received_at=None, **content):
    report, _code = report_create(
        content=content_for(world, region_code, **content),
        receiving_org=org or world.orgs.jinshui,
        reporter=None if anonymous else REPORTER,
        received_at=received_at,
    )
    return report


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def sms_for(report, template_code=None):
    from apps.sms.models import SmsOutbox

    qs = SmsOutbox.objects.filter(related=f"report:{report.pk}")
    return qs.filter(template_code=template_code) if template_code else qs


def messages_for(report, org=None, kind=None):
    from apps.inbox.models import Message

    qs = Message.objects.filter(report=report)
    if org is not None:
        qs = qs.filter(recipient_org=org)
    return qs.filter(kind=kind) if kind else qs


def events(report, action=None):
    qs = report.events.order_by("id")
    return qs.filter(action=action) if action else qs


def hop(report, org):
    return report.handlings.filter(org=org).order_by("-id").first()


def run_to_verifying(world, report=None):
    """Public report at 金水区 → accepted → dispatched to its 内设机构 (VERIFYING)."""
    from apps.reports.actions.accept import report_accept
    from apps.reports.actions.dispatch import report_dispatch

    report = report or new_report(world)
    report_accept(actor=world.users.jinshui, report=report)
    return report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)


def verify(world, report, actor=None, **fields):
    from apps.reports.actions.feedback import report_feedback

    data = dict(
        conclusion="true",
        summary="现场检查属实，已责令整改。",
        decision="罚款5万元",
        penalty_amount="50000",
        rectification="已整改",
    )
    data.update(fields)
    return report_feedback(actor=actor or world.users.jinshui_dept, report=report, **data)


def chain_to_jinshui(world, anonymous=False):
    """A 信件 report received by 河南省, accepted, 转办 to 郑州市, accepted, 转办 to 金水区 (PENDING)."""
    from apps.reports.actions.accept import report_accept
    from apps.reports.actions.dispatch import report_dispatch

    report = new_report(world, world.orgs.henan, anonymous=anonymous, channel=world.letter)
    report_accept(actor=world.users.henan, report=report)
    report_dispatch(actor=world.users.henan, report=report, target_org=world.orgs.zhengzhou)
    report_accept(actor=world.users.zhengzhou, report=report)
    return report_dispatch(actor=world.users.zhengzhou, report=report, target_org=world.orgs.jinshui)


def png_bytes(size=(4, 4)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()
