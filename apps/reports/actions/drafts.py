"""草稿箱: a staff member's unfinished 新建举报, private to them."""

import json

from django.db import transaction

from apps.reports.actions.base import ensure_may_handle
from apps.reports.errors import PermissionDeniedForAction, ReportActionError
from apps.reports.models import ReportDraft

# Form fields kept in a draft (files are not: attach them when submitting).
DRAFT_FIELDS = (
    "channel",
    "received_on",
    "anonymity",
    "reporter_name",
    "reporter_phone",
    "reporter_id_number",
    "region",
    "address",
    "reported_unit_name",
    "reported_unit_address",
    "industry",
    "problem_type",
    "occurred_on",
    "description",
    "form_token",
)
MAX_DRAFTS = 200


def _draft_data(data) -> dict[str, str]:
    return {name: str(data.get(name, ""))[:5000] for name in DRAFT_FIELDS if data.get(name) not in (None, "")}


def draft_save(*, actor, data, draft: ReportDraft | None = None) -> ReportDraft:
    """Create or update a draft from raw form data (a QueryDict or dict); nothing is validated,
    a draft may be incomplete."""
    ensure_may_handle(actor)
    values = _draft_data(data)
    title = values.get("reported_unit_name") or "（未填写被举报单位）"
    with transaction.atomic():
        if draft is None:
            if ReportDraft.objects.filter(owner=actor).count() >= MAX_DRAFTS:
                raise ReportActionError(f"草稿箱最多保存{MAX_DRAFTS}份草稿，请先删除不需要的草稿。")
            draft = ReportDraft(owner=actor)
        elif draft.owner_id != actor.pk:
            raise PermissionDeniedForAction("只能修改本人的草稿。")
        draft.title = title[:120]
        draft.data = json.dumps(values, ensure_ascii=False)
        draft.save()
    return draft


def draft_values(draft: ReportDraft) -> dict[str, str]:
    return json.loads(draft.data) if draft.data else {}


def draft_delete(*, actor, draft: ReportDraft) -> None:
    if draft.owner_id != actor.pk:
        raise PermissionDeniedForAction("只能删除本人的草稿。")
    draft.delete()
