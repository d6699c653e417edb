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
from apps.regions.selectors import region_ancestors, region_by_code, region_children
from apps.uploads.limits import default_limits, human_size

REGION_LEVELS = [
    ("province", "省（自治区、直辖市）"),
    ("city", "市（地区、州、盟）"),
    ("county", "县（市、区、旗）"),
]


def region_selects(code: str | None) -> list[dict]:
    """The three cascading selects, filled down to the chosen region, for a page drawn by the server
    (and for browsers without JavaScript: each submit then opens the next level)."""
    region = region_by_code(code) if code else None
    chosen = region_ancestors(region, include_self=True) if region else []
    selects, parent = [], None
    for depth, (level, label) in enumerate(REGION_LEVELS):
        show = depth == 0 or parent is not None
        options = list(region_children(parent).values("code", "name", "is_served")) if show else []
        selected = chosen[depth].code if depth < len(chosen) else ""
        selects.append({"level": level, "label": label, "options": options, "selected": selected})
        parent = chosen[depth] if depth < len(chosen) else None
    return selects


def deepest_region(post) -> str:
    for level, _ in reversed(REGION_LEVELS):
        value = (post.get(f"region_{level}") or "").strip()
        if value:
            return value
    return (post.get("region") or "").strip()


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
