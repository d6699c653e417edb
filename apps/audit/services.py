"""Writing and pruning the audit log. Every app records its security-relevant events here:

    from apps.audit.services import audit_log
    audit_log(actor=request.user, action="report.view_reporter", target=report,
              result="success", request=request)

The row is written in the caller's transaction, so an action that rolls back leaves no row
claiming it happened. Record failures and refusals outside the failing transaction.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from apps.audit.models import MINIMUM_RETENTION_DAYS, AuditLog
from apps.audit.net import client_ip

RESULTS = {choice.value for choice in AuditLog.Result}


def _target_fields(target: Any) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_repr": ""}
    if isinstance(target, models.Model):
        return {
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk) if target.pk is not None else "",
            "target_repr": str(target)[:200],
        }
    return {"target_type": "", "target_id": "", "target_repr": str(target)[:200]}


def audit_log(
    *,
    actor,
    action: str,
    target: Any,
    result: str,
    request=None,
    org=None,
    detail: dict | None = None,
) -> AuditLog:
    """Append one row.

    actor: the user who acted (None or AnonymousUser for an unauthenticated client).
    action: a dotted code, see apps.audit.actions.
    target: a model instance (type, id and text are recorded), a string, or None.
    result: "success", "failure" or "denied".
    request: gives the client address and browser.
    org: the org concerned; defaults to the actor's org.
    detail: JSON-serialisable facts (changed fields, reasons). Never passwords, codes or PII.
    """
    if result not in RESULTS:
        raise ValueError(f"unknown audit result {result!r}")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if org is None and actor is not None:
        org = getattr(actor, "org", None)
    row = AuditLog(
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        actor_name=(getattr(actor, "real_name", "") or "")[:50],
        org=org,
        org_name=(getattr(org, "name", "") or "")[:100],
        action=action,
        result=result,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
        detail=detail or {},
        **_target_fields(target),
    )
    row.save()
    return row


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    days = max(MINIMUM_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)))
    return (now or timezone.now()) - datetime.timedelta(days=days)


def audit_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete rows past the retention period; returns how many. Younger rows are never touched:
    a `now` in the future cannot shorten the minimum 180 days."""
    cutoff = min(retention_cutoff(now), retention_cutoff())
    with transaction.atomic():
        return AuditLog.objects.all()._prune_older_than(cutoff)
