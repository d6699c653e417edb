"""Context for the public pages: what the form needs to draw itself, shared by its views."""

import uuid

from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone

from apps.catalogs.models import Industry, ProblemType
from apps.public.actions import captcha_passed
from apps.public.captcha import Captcha, captcha_new
from apps.public.forms import MODES, REAL_NAME
from apps.public.sessions import PublicSession
from apps.regions.picker import region_selects
from apps.uploads.limits import default_limits, human_size


def reusable_captcha(key: str | None) -> Captcha | None:
    """A captcha the last (refused) submission did not use up, so the reporter keeps their answer."""
    if key and CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).exists():
        return Captcha(key=key, image_url=reverse("captcha-image", args=[key]))
    return None


def form_context(session: PublicSession, *, mode: str, values: dict | None = None,
                 errors: dict | None = None, files_dropped: bool = False) -> dict:
    values = values or {}
    errors = errors or {}
    captcha = None
    if not captcha_passed(session):
        keep = "captcha_answer" not in errors
        captcha = (reusable_captcha(values.get("captcha_key")) if keep else None) or captcha_new()
    limits = default_limits()
    return {
        "session": session,
        "mode": mode,
        "mode_label": dict(MODES).get(mode, ""),
        "real_name": mode == REAL_NAME,
        "values": values,
        "errors": errors,
        "has_errors": bool(errors),
        "files_dropped": files_dropped,
        "idempotency_key": values.get("idempotency_key") or uuid.uuid4().hex,
        "captcha": captcha,
        "captcha_answer": _kept_answer(captcha, values),
        "region_selects": region_selects(values.get("region")),
        "problem_types": ProblemType.objects.filter(is_active=True),
        "industries": Industry.objects.filter(is_active=True),
        "limits": {
            "max_files": limits.max_files,
            "image": human_size(limits.max_image_bytes),
            "document": human_size(limits.max_document_bytes),
            "video": human_size(limits.max_video_bytes),
            "total": human_size(limits.max_total_bytes),
            "total_bytes": limits.max_total_bytes,
            "video_minutes": limits.max_video_seconds // 60,
        },
        "today": timezone.localdate().isoformat(),
    }


def _kept_answer(captcha: Captcha | None, values: dict) -> str:
    if captcha is not None and captcha.key == values.get("captcha_key"):
        return values.get("captcha_answer", "")
    return ""
