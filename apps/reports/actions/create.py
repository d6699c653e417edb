"""新建举报: a report received from the public (apps.public) or entered by staff (信件、来访、传真…).

Both paths end in `report_create`, which writes the report, its first handling hop (PENDING at
the receiving org, 3 working days to decide acceptance), the first 流转记录 row and a 待办
message for the receiving org, in one transaction.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.catalogs.models import Channel, Industry, ProblemType
from apps.core.crypto import lookup_hash
from apps.orgs.models import Org
from apps.orgs.scoping import org_region_scope
from apps.regions.models import Region
from apps.reports import notifications
from apps.reports.actions.base import clean_text, ensure_may_handle, now, today
from apps.reports.attachments import CleanFile, clean_uploads, store_attachments
from apps.reports.codes import new_receipt_code, new_report_number, receipt_hash
from apps.reports.errors import PermissionDeniedForAction, ReportActionError
from apps.reports.events import record_event
from apps.reports.models import Attachment, Handling, Report, ReportDraft
from apps.workcalendar.calendar import add_working_days

ACCEPT_WORKING_DAYS = 3
REPORT_NUMBER_ATTEMPTS = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    phone: str
    id_number: str = ""


@dataclass(frozen=True)
class ReportContent:
    channel: Channel
    region: Region
    problem_type: ProblemType
    industry: Industry
    reported_unit_name: str
    description: str
    reported_unit_address: str = ""
    address: str = ""
    occurred_on: datetime.date | None = None


def _province_and_city_codes(region: Region) -> tuple[str, str]:
    codes = [c for c in region.path.split("/") if c]
    return codes[0], (codes[1] if len(codes) > 1 and region.level != Region.Level.PROVINCE else "")


def _clean_reporter(reporter: ReporterIdentity | None) -> ReporterIdentity | None:
    if reporter is None:
        return None
    from apps.sms.phones import MAINLAND_MOBILE

    name = clean_text(reporter.name, field="举报人姓名", required=True, max_length=50)
    phone = (reporter.phone or "").strip()
    if not MAINLAND_MOBILE.fullmatch(phone):
        raise ReportActionError("举报人手机号码格式不正确，请输入11位中国大陆手机号码。")
    id_number = (reporter.id_number or "").strip().upper()
    if id_number and (
        len(id_number) != 18 or not id_number[:17].isdigit() or id_number[17] not in "0123456789X"
    ):
        raise ReportActionError("举报人身份证号格式不正确，应为18位。")
    return ReporterIdentity(name=name, phone=phone, id_number=id_number)


def _clean_content(content: ReportContent) -> ReportContent:
    if not content.region.is_served:
        raise ReportActionError("该地区的举报不由本系统受理。")
    if content.occurred_on and content.occurred_on > today():
        raise ReportActionError("发生时间不能晚于今天。")
    for catalog, label in (
        (content.channel, "举报形式"),
        (content.industry, "行业"),
        (content.problem_type, "问题类型"),
    ):
        if not catalog.is_active:
            raise ReportActionError(f"所选{label}“{catalog.name}”已停用，请重新选择。")
    return ReportContent(
        channel=content.channel,
        region=content.region,
        problem_type=content.problem_type,
        industry=content.industry,
        reported_unit_name=clean_text(
            content.reported_unit_name, field="被举报单位", required=True, max_length=200
        ),
        description=clean_text(content.description, field="举报内容", required=True, max_length=5000),
        reported_unit_address=clean_text(
            content.reported_unit_address, field="被举报单位地址", max_length=200
        ),
        address=clean_text(content.address, field="详细地址", max_length=200),
        occurred_on=content.occurred_on,
    )


def report_create(
    *,
    content: ReportContent,
    receiving_org: Org,
    reporter: ReporterIdentity | None = None,
    actor=None,
    idempotency_key: str | None = None,
    referral_suggested: bool = False,
    received_at: datetime.datetime | None = None,
    public_text: str = "举报已提交",
    files: list | None = None,
) -> tuple[Report, str | None]:
    """Create a report received by `receiving_org`, with its first handling hop and event.

    Returns the report and its plaintext 举报编码 (shown once, never stored), or (existing, None)
    when the idempotency key was already used: a retried submission creates nothing new.
    `files` are uploaded files (stored as 举报材料); callers may also add attachments themselves
    inside the same transaction. Bad input raises ReportActionError and creates nothing.
    """
    if idempotency_key:
        existing = Report.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, None
    content = _clean_content(content)
    reporter = _clean_reporter(reporter)
    cleaned_files = clean_uploads(files, keep_names=actor is not None)
    received_at = received_at or now()
    if received_at > now() + datetime.timedelta(minutes=5):
        raise ReportActionError("收到举报的时间不能晚于现在。")
    received_day = timezone.localdate(received_at)
    province_code, city_code = _province_and_city_codes(content.region)
    code = new_receipt_code()
    try:
        # StoredFiles outside the transaction: it removes the written files once it rolled back.
        with StoredFiles() as stored, transaction.atomic():
            report = _insert_report(
                region_code=content.region.code,
                day=received_day,
                receipt_hash=receipt_hash(code),
                receipt_tail=code[-4:],
                idempotency_key=idempotency_key or None,
                channel=content.channel,
                **_reporter_fields(reporter),
                region=content.region,
                province_code=province_code,
                city_code=city_code,
                address=content.address,
                reported_unit_name=content.reported_unit_name,
                reported_unit_address=content.reported_unit_address,
                industry=content.industry,
                problem_type=content.problem_type,
                occurred_on=content.occurred_on,
                description=content.description,
                status=Report.Status.RECEIVED,
                receiving_org=receiving_org,
                referral_suggested=referral_suggested,
                entered_by=actor,
                received_at=received_at,
                accept_due=add_working_days(received_day, ACCEPT_WORKING_DAYS),
            )
            hop = Handling.objects.create(
                report=report,
                org=receiving_org,
                state=Handling.State.PENDING,
                holds_identity=True,
                received_at=received_at,
                accept_due=report.accept_due,
            )
            stored.store(report=report, files=cleaned_files, stage=Attachment.Stage.REPORT, uploaded_by=actor)
            record_event(
                report=report,
                handling=hop,
                action="create",
                actor=actor,
                org=receiving_org if actor else None,
                target_org=receiving_org,
                to_status=report.status,
                to_state=hop.state,
                public_text=public_text,
                comment=f"{content.channel.name}渠道" + ("录入" if actor else "提交"),
            )
            notifications.notify_org(
                org=receiving_org,
                kind=notifications.NEW_IN_WORKLIST,
                report=report,
                text=f"新的举报单 {report.number}（{report.reported_unit_name}）待受理。",
            )
    except IntegrityError:
        # _insert_report handles a repeated staff number, so the unique value a concurrent retry
        # collided on is the idempotency key.
        if idempotency_key:
            existing = Report.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, None
        raise
    return report, code


def _reporter_fields(reporter: ReporterIdentity | None) -> dict:
    if reporter is None:
        return {"is_anonymous": True}
    return {
        "is_anonymous": False,
        "reporter_name": reporter.name,
        "reporter_phone": reporter.phone,
        "reporter_id_number": reporter.id_number,
        # Keyed hashes, so staff can find a reporter's reports by exact value without decrypting.
        "reporter_phone_hash": lookup_hash("phone:" + reporter.phone),
        "reporter_id_number_hash": lookup_hash("idcard:" + reporter.id_number) if reporter.id_number else "",
    }


def _insert_report(*, region_code: str, day: datetime.date, **fields) -> Report:
    """The staff number is the county, the day and 6 random digits, so two reports of one county
    and day can draw the same number: draw again. Each INSERT runs in its own savepoint, since a
    failed one aborts the whole transaction on PostgreSQL."""
    for _ in range(REPORT_NUMBER_ATTEMPTS):
        number = new_report_number(region_code, day)
        try:
            with transaction.atomic():
                return Report.objects.create(number=number, **fields)
        except IntegrityError:
            if not Report.objects.filter(number=number).exists():
                raise  # another unique value (the idempotency key): report_create decides
    raise ReportActionError("举报单编号生成失败，请稍后重新提交。")


class StoredFiles:
    """Attachment files written in a transaction, deleted again when the block is left by an
    exception: the rollback takes the rows back but not the files, and an orphaned file could
    still hold what a reporter sent. Use `with StoredFiles() as stored, transaction.atomic():`,
    so that the files are deleted only after the rows are rolled back."""

    def __init__(self):
        self.attachments: list[Attachment] = []

    def __enter__(self) -> "StoredFiles":
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc_type is not None:
            for attachment in self.attachments:
                _delete_file(attachment)
        return False

    def store(self, *, files: list[CleanFile], **kwargs) -> None:
        # One file at a time, so that the files written before a failing one are known.
        for clean in files:
            self.attachments += store_attachments(files=[clean], **kwargs)


def _delete_file(attachment: Attachment) -> None:
    try:
        attachment.file.storage.delete(attachment.file.name)
    except OSError:  # never hide the error that caused the rollback
        logger.exception("attachment file %s left behind after a rollback", attachment.file.name)


def _org_covers_region(org: Org, region: Region) -> bool:
    # The same scope the 新建举报 region picker offers: 兵团 has no region of its own, only its
    # extra regions, and must not be taken for the ministry.
    return org_region_scope(org).allows(region)


def report_enter(
    *,
    actor,
    content: ReportContent,
    reporter: ReporterIdentity | None = None,
    files: list | None = None,
    received_on: datetime.date | None = None,
    idempotency_key: str | None = None,
    draft: ReportDraft | None = None,
) -> tuple[Report, str | None]:
    """Staff 新建举报: the report is received by the actor's org (a 内设机构 user enters it for the
    org it belongs to). The receipt date may be earlier than today (a letter opened late) and the
    3-working-day acceptance clock counts from it. A submitted draft is deleted with the entry."""
    ensure_may_handle(actor)
    org = actor.org.owning_org()
    if content.channel.is_public:
        raise ReportActionError(
            "网络、小程序渠道的举报由举报人自行提交，工作人员录入请选择信件、来访、传真等渠道。"
        )
    if not _org_covers_region(org, content.region):
        raise ReportActionError("举报事项所在地不在本单位管辖范围内，请由属地应急管理部门录入。")
    received_at = None
    if received_on is not None:
        if received_on > today():
            raise ReportActionError("收到举报的日期不能晚于今天。")
        if received_on < today():
            received_at = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9, 0)))
    if draft is not None and draft.owner_id != actor.pk:
        raise PermissionDeniedForAction("只能提交本人的草稿。")
    with transaction.atomic():
        report, code = report_create(
            content=content,
            receiving_org=org,
            reporter=reporter,
            actor=actor,
            files=files,
            idempotency_key=idempotency_key,
            received_at=received_at,
            public_text=f"举报已收到（{content.channel.name}）",
        )
        if draft is not None and code is not None:
            ReportDraft.objects.filter(pk=draft.pk).delete()
    return report, code
