"""What a member of the public does, one function each. The web views and the mini-program API
call these same functions, so both channels follow the same rules.

public_report_submit: notice acknowledged → idempotency → captcha → form → SMS code → files →
routing → (one transaction) report, first hop, first 流转记录, attachments, receipt SMS.
"""

import logging
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from apps.catalogs.models import Channel
from apps.core.crypto import decrypt_text, encrypt_text, lookup_hash
from apps.public import ratelimit
from apps.public.captcha import EXPIRED, OK, captcha_verify
from apps.public.errors import PublicError, RateLimited
from apps.public.forms import REAL_NAME, ReportForm
from apps.public.routing import route_report
from apps.public.sessions import MAX_AGE_SECONDS, PublicSession, ensure_acknowledged
from apps.public.smscode import phone_verified, sms_code_check, sms_code_send
from apps.public.validators import normalize_input
from apps.reports.actions.create import ReportContent, ReporterIdentity, StoredFiles, report_create
from apps.reports.actions.supplement import report_supplement
from apps.reports.attachments import CleanFile
from apps.reports.codes import normalize_receipt_code, receipt_hash
from apps.reports.errors import ReportActionError
from apps.reports.models import Attachment, Report
from apps.sms.errors import SmsError
from apps.sms.services import sms_queue
from apps.uploads.errors import UploadRejected
from apps.uploads.sanitize import check_upload_batch, sanitize_upload

HUMAN_TTL = 30 * 60
SUBMITS_PER_CLIENT_HOUR = 20
SMS_VERIFIES_PER_CLIENT_HOUR = 30
LOOKUP_FAILURES_ALLOWED = 10
LOOKUP_WINDOW = 15 * ratelimit.MINUTE
MATERIAL_GRANT_TTL = 30 * 60
LOCK_WAIT_SECONDS = 30
NOT_FOUND = "未查询到与该举报编码对应的举报，请核对举报编码（共18位数字）后重试。"
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
CAPTCHA_WRONG = "图形验证码不正确，请看清新的验证码后重新输入。"
CAPTCHA_EXPIRED = "图形验证码已过期，请点击图片刷新后重新输入。"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    # The 举报编码, or None for a retry whose code is no longer held (it is never stored).
    code: str | None
    replayed: bool
    # The real-name receipt SMS could not be queued: the reporter must keep the code shown.
    receipt_sms_failed: bool = False


# -- captcha -----------------------------------------------------------------------------------

def captcha_passed(session: PublicSession) -> bool:
    return bool(cache.get(session.cache_key("human")))


def pass_captcha(session: PublicSession, key: str | None, answer: str | None) -> None:
    """One solved captcha per report: it covers the SMS code and the submission, and a successful
    submission uses it up (see public_report_submit)."""
    if captcha_passed(session):
        return
    require_captcha(key, answer)
    cache.set(session.cache_key("human"), True, HUMAN_TTL)


def require_captcha(key: str | None, answer: str | None) -> None:
    if not (answer or "").strip():
        raise PublicError("请输入图形验证码。", field="captcha_answer")
    outcome = captcha_verify(key, answer)
    if outcome != OK:
        message = CAPTCHA_EXPIRED if outcome == EXPIRED else CAPTCHA_WRONG
        raise PublicError(message, field="captcha_answer")


# -- SMS verification --------------------------------------------------------------------------

def public_sms_code_send(*, session: PublicSession, phone: str, captcha_key: str | None,
                         captcha_answer: str | None, client: str) -> int:
    ensure_acknowledged(session)
    pass_captcha(session, captcha_key, captcha_answer)
    return sms_code_send(session=session, phone=normalize_input(phone), client=client)


def public_sms_code_check(*, session: PublicSession, phone: str, code: str, client: str) -> None:
    _limit_sms_verify(client)
    sms_code_check(session=session, phone=normalize_input(phone), code=normalize_input(code))


def _limit_sms_verify(client: str) -> None:
    # Each code allows MAX_TRIES; this bounds how many codes one client can guess at in an hour.
    ratelimit.limit("sms-verify", client, allowed=SMS_VERIFIES_PER_CLIENT_HOUR, window=ratelimit.HOUR,
                    message="短信验证码校验过于频繁，请稍后再试。")


# -- submission --------------------------------------------------------------------------------

def idempotency_hash(session: PublicSession, key: str | None) -> str:
    key = (key or "").strip()
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise PublicError("幂等键（Idempotency-Key）应为8至64位字母、数字、“-”或“_”。",
                          field="idempotency_key")
    # Scoped to the session: one client's key can never find another client's report.
    return lookup_hash(f"idem:{session.sid}:{key}")


def public_report_submit(*, session: PublicSession, data: dict, files: list, idempotency_key: str | None,
                         captcha_key: str | None, captcha_answer: str | None, client: str) -> SubmitResult:
    ensure_acknowledged(session)
    idem = idempotency_hash(session, idempotency_key)
    with _session_lock(session):
        replay = _replay(idem)
        if replay is not None:
            return replay
        ratelimit.limit("submit", client, allowed=SUBMITS_PER_CLIENT_HOUR, window=ratelimit.HOUR,
                        message="提交过于频繁，请稍后再试。")
        form = ReportForm(data)
        if not form.is_valid():
            errors = {("general" if field == "__all__" else field): list(messages)
                      for field, messages in form.errors.items()}
            if not captcha_passed(session) and not (captcha_answer or "").strip():
                errors["captcha_answer"] = ["请输入图形验证码。"]
            raise PublicError(_first(errors), errors=errors)
        pass_captcha(session, captcha_key, captcha_answer)
        cd = form.cleaned_data
        reporter = None
        if cd["mode"] == REAL_NAME:
            if not phone_verified(session, cd["reporter_phone"]):
                _limit_sms_verify(client)
            sms_code_check(session=session, phone=cd["reporter_phone"], code=cd["sms_code"])
            reporter = ReporterIdentity(name=cd["reporter_name"], phone=cd["reporter_phone"],
                                        id_number=cd["reporter_id_number"])
        cleaned_files = clean_public_files(files, stem="举报材料")
        route = route_report(region=cd["region"], industry=cd["industry"], problem_type=cd["problem_type"])
        channel = Channel.objects.filter(code=session.channel, is_active=True).first()
        if channel is None:
            raise PublicError("该举报渠道暂未开通，请拨打12350举报热线。")
        content = ReportContent(
            channel=channel,
            region=cd["region"], problem_type=cd["problem_type"], industry=cd["industry"],
            reported_unit_name=cd["reported_unit_name"], reported_unit_address=cd["reported_unit_address"],
            address=cd["address"], occurred_on=cd["occurred_on"], description=cd["description"],
        )
        sms_failed = False
        try:
            # StoredFiles outside the transaction: it removes the written files once it rolled back.
            with StoredFiles() as stored, transaction.atomic():
                report, code = report_create(content=content, receiving_org=route.org, reporter=reporter,
                                             idempotency_key=idem, referral_suggested=route.referral,
                                             public_text="举报已提交")
                if code is None:  # a concurrent retry committed first
                    return _replay(idem) or SubmitResult(report=report, code=None, replayed=True)
                stored.store(report=report, files=cleaned_files, stage=Attachment.Stage.REPORT)
                if reporter is not None:
                    sms_failed = not _queue_receipt_sms(report, phone=reporter.phone, code=code)
        except ReportActionError as exc:
            raise PublicError(exc.message) from None
        # Held (encrypted) for the session's lifetime only, so that a retry after a lost response
        # shows the same code again instead of leaving the reporter without one.
        cache.set(f"pub:idem:{idem}", {"r": report.pk, "c": encrypt_text(code)}, MAX_AGE_SECONDS)
        # One captcha per report: the next report in this session needs a new one. A retry of
        # this one is answered by _replay above, before any captcha is asked for.
        cache.delete(session.cache_key("human"))
        return SubmitResult(report=report, code=code, replayed=False, receipt_sms_failed=sms_failed)


def _queue_receipt_sms(report: Report, *, phone: str, code: str) -> bool:
    """Queue the receipt SMS; False when it cannot be. The code is on the reporter's screen, so
    a missing or broken SMS template (our configuration, not their input) must not cost them
    the report they wrote: the report is kept and the receipt says the SMS did not go out."""
    try:
        with transaction.atomic():
            sms_queue(to=phone, template_code="receipt_code", context={"report_code": code},
                      related=f"report:{report.pk}")
    except SmsError:
        logger.exception("receipt SMS for report %s could not be queued", report.pk)
        return False
    return True


def clean_public_files(files: list, *, stem: str) -> list[CleanFile]:
    """Sanitize before any transaction (it is slow for videos). The uploader's file names are
    dropped: "IMG_张三_0412.jpg" would name the reporter; stored names are 举报材料1.jpg, …"""
    files = [f for f in files or [] if f]
    try:
        check_upload_batch(files)
        cleaned = [sanitize_upload(f) for f in files]
    except UploadRejected as exc:
        raise PublicError(exc.message, field="attachments") from None
    return [
        CleanFile(content=c.content, display_name=c.generic_name(f"{stem}{i}"), content_type=c.content_type)
        for i, c in enumerate(cleaned, start=1)
    ]


def _replay(idem: str) -> SubmitResult | None:
    held = cache.get(f"pub:idem:{idem}")
    if held is not None:
        report = Report.objects.filter(pk=held["r"]).first()
        if report is not None:
            return SubmitResult(report=report, code=decrypt_text(held["c"]), replayed=True)
    report = Report.objects.filter(idempotency_key=idem).first()
    return SubmitResult(report=report, code=None, replayed=True) if report is not None else None


class _session_lock:
    """A double click sends the same form twice at once: the second request waits for the first
    and then answers with its result, instead of failing on the already-used captcha."""

    def __init__(self, session: PublicSession):
        self.key = session.cache_key("lock")

    def __enter__(self):
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while not cache.add(self.key, 1, LOCK_WAIT_SECONDS * 2):
            if time.monotonic() > deadline:
                raise RateLimited("正在处理您刚才的提交，请稍候再试。")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        cache.delete(self.key)
        return False


def _first(errors: dict) -> str:
    for messages in errors.values():
        if messages:
            return str(messages[0])
    return "请检查填写的内容。"


# -- progress ----------------------------------------------------------------------------------

def public_report_lookup(*, code: str, captcha_key: str | None, captcha_answer: str | None,
                         client: str) -> Report:
    """The report a 举报编码 belongs to. A wrong code and one that does not exist get the same
    answer; each failure is counted and slows the next answer down."""
    failures = ratelimit.count("lookup-fail", client, window=LOOKUP_WINDOW)
    if failures >= LOOKUP_FAILURES_ALLOWED:
        raise RateLimited("查询失败次数过多，请15分钟后再试。")
    if not normalize_input(code):  # before the captcha, so it is not used up for nothing
        raise PublicError("请输入举报编码。", field="code")
    require_captcha(captcha_key, captcha_answer)
    digits = normalize_receipt_code(normalize_input(code))
    report = Report.objects.filter(receipt_hash=receipt_hash(digits)).first()
    if report is None:
        failures = ratelimit.hit("lookup-fail", client, window=LOOKUP_WINDOW)
        time.sleep(min(failures, 5) * getattr(settings, "PUBLIC_LOOKUP_FAILURE_DELAY", 0.5))
        raise PublicError(NOT_FOUND, field="code")
    return report


def material_grant(report: Report) -> str | None:
    """After a successful lookup of a report waiting for 补正, a short-lived token that lets the
    same visitor add material without typing the code again."""
    if report.status != Report.Status.DEFERRED:
        return None
    token = secrets.token_urlsafe(24)
    cache.set(f"pub:grant:{token}", report.pk, MATERIAL_GRANT_TTL)
    return token


def report_for_grant(token: str) -> Report | None:
    report_id = cache.get(f"pub:grant:{(token or '')[:64]}")
    return None if report_id is None else Report.objects.filter(pk=report_id).first()


def public_report_add_material(*, token: str, text: str, files: list, client: str) -> Report:
    report = report_for_grant(token)
    if report is None:
        raise PublicError("页面已过期，请重新输入举报编码查询后再补充材料。", field="material_token")
    ratelimit.limit("material", client, allowed=SUBMITS_PER_CLIENT_HOUR, window=ratelimit.HOUR,
                    message="提交过于频繁，请稍后再试。")
    files = [f for f in files or [] if f]
    try:
        check_upload_batch(files)
    except UploadRejected as exc:
        raise PublicError(exc.message, field="attachments") from None
    try:
        report = report_supplement(report=report, text=text, files=files)
    except ReportActionError as exc:
        raise PublicError(exc.message, field="attachments" if "附件" in exc.message else None) from None
    cache.delete(f"pub:grant:{token}")
    return report


__all__ = [
    "SubmitResult", "material_grant", "public_report_add_material", "public_report_lookup",
    "public_report_submit", "public_sms_code_check", "public_sms_code_send",
]
