"""The mini-program channel: /api/v1/public/. Same rules and the same actions as the web form.

Authentication (see docs/public-api.md): POST /public/sessions issues a **signed client key**
(X-Client-Key). Every other operation needs it. The key is signed by the server and holds when
the 举报须知 was shown, so it cannot be forged or backdated; it expires after 6 hours. On top of
the key, sending an SMS code and creating a report need one solved **image captcha** per key, and
every 进度查询 needs its own captcha: the key alone never opens a door.
"""

import base64
import datetime

from captcha.views import captcha_image
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.security import APIKeyHeader
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from apps.catalogs.models import Industry, ProblemType
from apps.public import actions, ratelimit
from apps.public.captcha import captcha_new
from apps.public.errors import PublicError, SessionInvalid
from apps.public.notice import notice_data
from apps.public.sessions import (
    MAX_AGE_SECONDS,
    NOTICE_MIN_SECONDS,
    PublicSession,
    session_acknowledge,
    session_load,
    session_start,
)
from apps.public.smscode import CODE_TTL
from apps.public.timeline import public_progress
from apps.uploads.limits import default_limits

SESSIONS_PER_CLIENT_HOUR = 300


class ClientKey(APIKeyHeader):
    """The signed client key from POST /api/v1/public/sessions, sent as X-Client-Key."""

    param_name = "X-Client-Key"
    openapi_description = (
        "服务器签发的客户端密钥（POST /api/v1/public/sessions 返回的 client_key），有效期6小时，"
        "不能伪造或修改。发送短信验证码和提交举报还需在该密钥下通过一次图形验证码；每次进度查询都需图形验证码。"
    )

    def authenticate(self, request: HttpRequest, key: str | None) -> PublicSession:
        try:
            return session_load(key, channel="miniprogram")
        except SessionInvalid as exc:
            raise HttpError(401, exc.message) from None


router = Router(auth=ClientKey(), tags=["社会公众举报（小程序）"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class SessionOut(Schema):
    client_key: str
    expires_in: int
    notice_min_seconds: int
    notice: dict


class CaptchaOut(Schema):
    captcha_key: str
    image_url: str
    image: str


class CatalogItem(Schema):
    code: str
    name: str


class IndustryItem(CatalogItem):
    in_remit: bool
    competent_department: str


class CatalogsOut(Schema):
    problem_types: list[CatalogItem]
    industries: list[IndustryItem]
    upload_limits: dict[str, int]
    notice_min_seconds: int


TRUE_WORDS = frozenset({"true", "1", "on", "yes"})


def _as_text(value) -> str:
    if value is None or isinstance(value, (dict, list, tuple)):
        return ""
    return value if isinstance(value, str) else str(value)


def _as_flag(value) -> bool:
    return value is True or (value is not False and _as_text(value).strip().lower() in TRUE_WORDS)


class PublicIn(Schema):
    """Input of the public operations. Every field has a default and takes any scalar, so that a
    missing or mistyped value reaches the shared form and actions and gets their Chinese message
    in the documented shape ({"detail", "errors": {field: [...]}}), not ninja's English list.
    `required` in the schema says what a client must send all the same."""

    @field_validator("*", mode="before")
    @classmethod
    def _lenient(cls, value, info: ValidationInfo):
        if cls.model_fields[info.field_name].annotation is bool:
            return _as_flag(value)
        return _as_text(value)


def _documented_required(*names: str) -> ConfigDict:
    return ConfigDict(json_schema_extra={"required": list(names)})


class SmsCodeIn(PublicIn):
    model_config = _documented_required("phone")

    phone: str = ""
    notice_acknowledged: bool = False
    captcha_key: str = ""
    captcha_answer: str = ""


class SmsCodeOut(Schema):
    resend_after: int
    expires_in: int


class ReportIn(PublicIn):
    model_config = _documented_required(
        "mode", "region", "problem_type", "industry", "reported_unit_name", "description"
    )

    notice_acknowledged: bool = False
    mode: str = ""
    region: str = ""
    address: str = ""
    problem_type: str = ""
    industry: str = ""
    reported_unit_name: str = ""
    reported_unit_address: str = ""
    occurred_on: str = ""
    description: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    sms_code: str = ""
    reporter_id_number: str = ""
    captcha_key: str = ""
    captcha_answer: str = ""


class ReceiptOut(Schema):
    report_code: str | None
    replayed: bool
    receipt_sms_failed: bool = Field(
        False, description="实名举报的回执短信未能发送：请提示举报人务必抄写、截图保存举报编码。"
    )
    submitted_at: datetime.datetime
    receiving_org: str
    accept_due: datetime.date | None


class StatusIn(PublicIn):
    model_config = _documented_required("code")

    code: str = ""
    captcha_key: str = ""
    captcha_answer: str = ""


class TimelineOut(Schema):
    at: datetime.datetime
    text: str


class StatusOut(Schema):
    status: str
    status_label: str
    submitted_at: datetime.datetime
    timeline: list[TimelineOut]
    rejection: dict | None
    supplement_request: str
    result: dict | None
    material_token: str | None


class MaterialIn(PublicIn):
    model_config = _documented_required("material_token", "text")

    material_token: str = ""
    text: str = ""


class OkOut(Schema):
    status: str
    status_label: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 429: ErrorOut}

SESSION_DOC = "在显示举报须知时调用。返回的 client_key 记录须知的显示时间；至少15秒后才能确认须知并提交。"
CAPTCHA_DOC = (
    "图片以 data URI 返回，也可从 image_url 获取。30分钟内有效，每个验证码只能使用一次；"
    "过期时提示“图形验证码已过期”，请获取新的验证码。"
)
SMS_DOC = (
    "6位数字，5分钟内有效，同一号码60秒内只能获取一次，每个验证码最多尝试5次。"
    "本客户端密钥下尚未通过图形验证码时，须同时提交 captcha_key 和 captcha_answer。"
)
CREATE_DOC = (
    "multipart/form-data：表单字段与附件 attachments（可多个）。必须带 Idempotency-Key 请求头"
    "（8-64位字母数字，每份举报一个新值，重试时不变）：同一客户端密钥下相同的键只会生成一份举报，"
    "重试返回200和同一举报编码（replayed=true）。首次成功返回201。举报编码只返回这一次，系统不保存明文。"
)
IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
}
STATUS_DOC = (
    "举报编码 + 图形验证码。编码错误与编码不存在返回相同的结果；失败次数过多会被限制。"
    "需要补正时返回 material_token，用于 public_report_add_material（30分钟内有效）。"
)
MATERIAL_DOC = "multipart/form-data：material_token、text 与附件 attachments。"


def _error(exc: PublicError, rename: dict[str, str] | None = None):
    """`rename`: the shared actions name fields as the web form does; the API may call them otherwise."""
    errors = exc.errors or ({exc.field: [exc.message]} if exc.field else {})
    errors = {(rename or {}).get(field, field): messages for field, messages in errors.items()}
    return Status(exc.status, {"detail": exc.message, "errors": errors})


def _limit_client(request, bucket: str) -> None:
    """Starting a session and fetching a captcha need no key yet: the client's address is all
    there is to limit."""
    ratelimit.limit(
        bucket,
        ratelimit.client_id(request),
        allowed=SESSIONS_PER_CLIENT_HOUR,
        window=ratelimit.HOUR,
        message="请求过于频繁，请稍后再试。",
    )


def _acknowledged(request, flag: bool) -> PublicSession:
    if not flag:
        message = f"请先阅读举报须知（至少{NOTICE_MIN_SECONDS}秒）并确认（notice_acknowledged=true）。"
        raise PublicError(message, field="notice_acknowledged")
    return session_acknowledge(request.auth)


@router.post(
    "/sessions",
    auth=None,
    response={200: SessionOut, 429: ErrorOut},
    operation_id="public_session_start",
    summary="开始举报（签发客户端密钥）",
    description=SESSION_DOC,
)
def public_session_start(request):
    try:
        _limit_client(request, "session")
    except PublicError as exc:
        return _error(exc)
    session = session_start("miniprogram")
    return {
        "client_key": session.token,
        "expires_in": MAX_AGE_SECONDS,
        "notice_min_seconds": NOTICE_MIN_SECONDS,
        "notice": notice_data(),
    }


@router.get(
    "/captcha",
    response={200: CaptchaOut, 429: ErrorOut},
    operation_id="public_captcha_new",
    summary="获取图形验证码",
    description=CAPTCHA_DOC,
)
def public_captcha_new(request):
    try:
        _limit_client(request, "captcha")
    except PublicError as exc:
        return _error(exc)
    captcha = captcha_new()
    png = captcha_image(request, captcha.key).content
    return {
        "captcha_key": captcha.key,
        "image_url": captcha.image_url,
        "image": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
    }


@router.get(
    "/catalogs", response=CatalogsOut, operation_id="public_catalogs", summary="问题类型、行业与附件限制"
)
def public_catalogs(request):
    limits = default_limits()
    return {
        "problem_types": list(ProblemType.objects.filter(is_active=True).values("code", "name")),
        "industries": list(
            Industry.objects.filter(is_active=True).values("code", "name", "in_remit", "competent_department")
        ),
        "upload_limits": {
            "max_files": limits.max_files,
            "max_image_bytes": limits.max_image_bytes,
            "max_document_bytes": limits.max_document_bytes,
            "max_video_bytes": limits.max_video_bytes,
            "max_total_bytes": limits.max_total_bytes,
            "max_video_seconds": limits.max_video_seconds,
        },
        "notice_min_seconds": NOTICE_MIN_SECONDS,
    }


@router.post(
    "/sms-codes",
    response={200: SmsCodeOut, **ERRORS},
    operation_id="public_sms_code_send",
    summary="发送实名举报手机验证码",
    description=SMS_DOC,
)
def public_sms_code_send(request, payload: SmsCodeIn):
    try:
        session = _acknowledged(request, payload.notice_acknowledged)
        wait = actions.public_sms_code_send(
            session=session,
            phone=payload.phone,
            captcha_key=payload.captcha_key,
            captcha_answer=payload.captcha_answer,
            client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        return _error(exc, rename={"reporter_phone": "phone"})
    return Status(200, {"resend_after": wait, "expires_in": CODE_TTL})


@router.post(
    "/reports",
    response={200: ReceiptOut, 201: ReceiptOut, **ERRORS},
    operation_id="public_report_create",
    summary="提交举报",
    description=CREATE_DOC,
    openapi_extra={"parameters": [IDEMPOTENCY_HEADER]},
)
def public_report_create(request, payload: Form[ReportIn], attachments: File[list[UploadedFile]] = None):
    try:
        session = _acknowledged(request, payload.notice_acknowledged)
        data = payload.dict()
        result = actions.public_report_submit(
            session=session,
            data=data,
            files=attachments or [],
            idempotency_key=request.headers.get("Idempotency-Key"),
            captcha_key=payload.captcha_key,
            captcha_answer=payload.captcha_answer,
            client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        return _error(exc)
    report = result.report
    body = {
        "report_code": result.code,
        "replayed": result.replayed,
        "receipt_sms_failed": result.receipt_sms_failed,
        "submitted_at": report.received_at,
        "receiving_org": report.receiving_org.name,
        "accept_due": report.accept_due,
    }
    return Status(200 if result.replayed else 201, body)


@router.post(
    "/reports/status",
    response={200: StatusOut, **ERRORS},
    operation_id="public_report_status",
    summary="进度查询",
    description=STATUS_DOC,
)
def public_report_status(request, payload: StatusIn):
    try:
        report = actions.public_report_lookup(
            code=payload.code,
            captcha_key=payload.captcha_key,
            captcha_answer=payload.captcha_answer,
            client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        return _error(exc)
    progress = public_progress(report)
    return Status(
        200,
        {
            "status": progress.status,
            "status_label": progress.status_label,
            "submitted_at": progress.submitted_at,
            "timeline": [{"at": e.at, "text": e.text} for e in progress.timeline],
            "rejection": progress.rejection,
            "supplement_request": progress.supplement_request,
            "result": progress.result,
            "material_token": actions.material_grant(report),
        },
    )


@router.post(
    "/reports/material",
    response={200: OkOut, **ERRORS},
    operation_id="public_report_add_material",
    summary="补正材料",
    description=MATERIAL_DOC,
)
def public_report_add_material(
    request, payload: Form[MaterialIn], attachments: File[list[UploadedFile]] = None
):
    from apps.public.forms import MaterialForm

    form = MaterialForm({"material_token": payload.material_token, "text": payload.text})
    try:
        if not form.is_valid():
            errors = {k: list(v) for k, v in form.errors.items()}
            raise PublicError(next(iter(errors.values()))[0], errors=errors)
        report = actions.public_report_add_material(
            token=payload.material_token,
            text=form.cleaned_data["text"],
            files=attachments or [],
            client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        return _error(exc)
    progress = public_progress(report)
    return Status(200, {"status": progress.status, "status_label": progress.status_label})
