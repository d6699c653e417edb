"""Messages (消息中心) and SMS sent by the report actions, in the action's transaction.

The message centre belongs to apps.inbox; this module is the one place the report actions reach
it, so the call sites stay the same whether or not it is installed yet. SMS go through the
outbox of apps.sms, which commits or rolls back with the action.
"""

import logging

from django.apps import apps as django_apps
from django.urls import reverse

from apps.reports.errors import ReportActionError
from apps.reports.models import Report

logger = logging.getLogger(__name__)

# Message kinds: apps.inbox.models.Message.Kind values.
NEW_IN_WORKLIST = "new_report"  # a report arrived in an org's 待办 (also back after 补正 or 退回上级)
FED_BACK = "fed_back"  # a verification result arrived for review
RETURNED = "returned"  # 退回重新核查


def report_url(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def notify_org(*, org, kind: str, report: Report, text: str) -> None:
    """One message to every user of `org` (the inbox decides how an org-wide message is read)."""
    if not django_apps.is_installed("apps.inbox"):
        logger.debug("apps.inbox not installed; message %s for report %s not stored", kind, report.pk)
        return
    from apps.inbox.services import notify

    notify(org=org, kind=kind, report=report, text=text, url=report_url(report))


def sms_to_reporter(*, report: Report, template_code: str, context: dict | None = None) -> bool:
    """Queue an SMS to a real-name reporter. Returns False (nothing queued) for an anonymous report.

    A number that cannot be texted stops the whole action with a message, so the user can untick
    短信告知 rather than believe the reporter was told.
    """
    if report.is_anonymous or not report.reporter_phone:
        return False
    from apps.sms.errors import SmsError
    from apps.sms.services import sms_queue

    try:
        sms_queue(
            to=report.reporter_phone,
            template_code=template_code,
            context={"report_code": report.sms_code_label, **(context or {})},
            related=f"report:{report.pk}",
        )
    except SmsError as exc:
        raise ReportActionError(f"短信未能发送：{exc.message}如不需要短信告知，请取消勾选后重试。") from exc
    return True
