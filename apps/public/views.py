"""官网举报 and 进度查询 pages. Thin: parse, call one action in apps.public.actions, render."""

import math

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from apps.public import actions, clock, ratelimit
from apps.public.captcha import captcha_new
from apps.public.errors import PublicError, SessionInvalid
from apps.public.forms import MODES, MaterialForm, ProgressForm
from apps.public.notice import notice_data
from apps.public.pages import form_context
from apps.public.sessions import (
    NOTICE_MIN_SECONDS,
    PublicSession,
    session_acknowledge,
    session_load,
    session_start,
)
from apps.public.timeline import public_progress
from apps.regions.picker import deepest_region

SESSIONS_PER_CLIENT_HOUR = 300
CAPTCHAS_PER_CLIENT_HOUR = 300


def _notice(request, *, session: PublicSession | None = None, error: str = "", status: int = 200):
    if session is None:
        try:
            ratelimit.limit("session", ratelimit.client_id(request), allowed=SESSIONS_PER_CLIENT_HOUR,
                            window=ratelimit.HOUR, message="访问过于频繁，请稍后再试。")
        except PublicError as exc:
            return render(request, "public/error.html", {"message": exc.message}, status=exc.status)
        session = session_start("web")
    # shown_at is kept to the millisecond and may round up past now: never count from above 15.
    waited = max(0.0, clock.now() - session.shown_at)
    remaining = max(0, math.ceil(NOTICE_MIN_SECONDS - waited))
    context = {"session": session, "notice": notice_data(), "min_seconds": NOTICE_MIN_SECONDS, "error": error,
               "remaining": remaining}
    return render(request, "public/notice.html", context, status=status)


@require_GET
def notice(request):
    return _notice(request)


@require_POST
def start(request):
    """【我已阅读以上条款】 then 匿名举报 / 实名举报: the server checks the 15 seconds itself."""
    try:
        session = session_load(request.POST.get("session"), channel="web")
    except SessionInvalid as exc:
        return _notice(request, error=exc.message, status=400)
    mode = request.POST.get("mode")
    if mode not in dict(MODES):
        return _notice(request, session=session, error="请选择匿名举报或实名举报。", status=400)
    try:
        session = session_acknowledge(session)
    except PublicError as exc:
        return _notice(request, session=session, error=exc.message, status=400)
    return render(request, "public/form.html", form_context(session, mode=mode))


@require_POST
def submit(request):
    try:
        session = session_load(request.POST.get("session"), channel="web")
    except SessionInvalid as exc:
        return _notice(request, error=exc.message, status=400)
    values = {key: request.POST.get(key, "") for key in request.POST}
    values["region"] = deepest_region(request.POST)
    files = request.FILES.getlist("attachments")
    try:
        result = actions.public_report_submit(
            session=session, data=values, files=files, idempotency_key=values.get("idempotency_key"),
            captcha_key=values.get("captcha_key"), captcha_answer=values.get("captcha_answer"),
            client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        if exc.field == "notice":
            return _notice(request, error=exc.message, status=400)
        errors = exc.errors or {"general": [exc.message]}
        context = form_context(session, mode=values.get("mode", ""), values=values, errors=errors,
                               files_dropped=bool(files))
        context["error_summary"] = exc.message
        return render(request, "public/form.html", context, status=exc.status)
    return render(request, "public/receipt.html", {"result": result, "report": result.report})


def _json_error(exc: PublicError, session: PublicSession | None = None) -> JsonResponse:
    body = {"ok": False, "message": exc.message, "field": exc.field}
    if session is not None:
        body["captcha_passed"] = actions.captcha_passed(session)
        if not body["captcha_passed"]:
            captcha = captcha_new()
            body["captcha"] = {"key": captcha.key, "image_url": captcha.image_url}
    return JsonResponse(body, status=exc.status)


@require_POST
def sms_send(request):
    try:
        session = session_load(request.POST.get("session"), channel="web")
    except SessionInvalid as exc:
        return _json_error(exc)
    try:
        wait = actions.public_sms_code_send(
            session=session, phone=request.POST.get("reporter_phone", ""),
            captcha_key=request.POST.get("captcha_key"), captcha_answer=request.POST.get("captcha_answer"),
            client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        return _json_error(exc, session)
    message = "验证码已发送，5分钟内有效，请注意查收短信。"
    return JsonResponse({"ok": True, "message": message, "resend_after": wait, "captcha_passed": True})


@require_POST
def sms_verify(request):
    try:
        session = session_load(request.POST.get("session"), channel="web")
        actions.public_sms_code_check(session=session, phone=request.POST.get("reporter_phone", ""),
                                      code=request.POST.get("sms_code", ""),
                                      client=ratelimit.client_id(request))
    except PublicError as exc:
        return _json_error(exc)
    return JsonResponse({"ok": True, "message": "手机号码已验证。"})


@require_GET
def captcha_refresh(request):
    try:
        ratelimit.limit("captcha", ratelimit.client_id(request), allowed=CAPTCHAS_PER_CLIENT_HOUR,
                        window=ratelimit.HOUR, message="刷新过于频繁，请稍后再试。")
    except PublicError as exc:
        return _json_error(exc)
    captcha = captcha_new()
    return JsonResponse({"key": captcha.key, "image_url": captcha.image_url})


def progress(request):
    """进度查询: the 举报编码 is posted, never put in the address (it would stay in the history)."""
    if request.method != "POST":
        return render(request, "public/progress.html", {"captcha": captcha_new()})
    form = ProgressForm(request.POST)
    code = request.POST.get("code", "")
    try:
        if not form.is_valid():
            raise PublicError("请输入举报编码。", field="code")
        report = actions.public_report_lookup(
            code=form.cleaned_data["code"], captcha_key=form.cleaned_data["captcha_key"],
            captcha_answer=form.cleaned_data["captcha_answer"], client=ratelimit.client_id(request),
        )
    except PublicError as exc:
        context = {"captcha": captcha_new(), "error": exc.message, "field": exc.field, "code": code}
        return render(request, "public/progress.html", context, status=exc.status)
    return _progress_page(request, report)


def _progress_page(request, report, *, message: str = "", errors: dict | None = None, status: int = 200):
    context = {"progress": public_progress(report), "material_token": actions.material_grant(report),
               "message": message, "errors": errors or {}}
    return render(request, "public/progress_result.html", context, status=status)


@require_POST
def material(request):
    form = MaterialForm(request.POST)
    token = request.POST.get("material_token", "")
    files = request.FILES.getlist("attachments")
    try:
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            raise PublicError(first, errors={k: list(v) for k, v in form.errors.items()})
        report = actions.public_report_add_material(token=token, text=form.cleaned_data["text"], files=files,
                                                    client=ratelimit.client_id(request))
    except PublicError as exc:
        report = actions.report_for_grant(token)
        if report is None:
            context = {"captcha": captcha_new(), "error": exc.message}
            return render(request, "public/progress.html", context, status=exc.status)
        errors = exc.errors or {exc.field or "general": [exc.message]}
        context = {"progress": public_progress(report), "material_token": token, "errors": errors,
                   "text": request.POST.get("text", "")}
        return render(request, "public/progress_result.html", context, status=exc.status)
    return _progress_page(request, report, message="补正材料已提交，办理单位将重新决定是否受理。")
