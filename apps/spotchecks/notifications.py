"""Messages (消息中心) sent by the spot-check actions, inside the action's transaction."""

from __future__ import annotations

import logging

from django.apps import apps as django_apps
from django.urls import reverse

logger = logging.getLogger(__name__)

# The inbox's kind for spot-check messages. Until apps.inbox lists one, OTHER ("其他") is used:
# notify() refuses unknown kinds, and a message must never stop a spot-check action.
PREFERRED_KIND = "spotcheck"


def message_kind() -> str:
    from apps.inbox.models import Message

    return PREFERRED_KIND if PREFERRED_KIND in Message.Kind.values else Message.Kind.OTHER


def item_url(item) -> str:
    return reverse("spotchecks:item", args=[item.pk])


def notify_org(*, org, item, text: str, kind: str | None = None, dedupe_key: str = "") -> None:
    if not django_apps.is_installed("apps.inbox"):
        logger.debug("apps.inbox not installed; spot-check message for item %s not stored", item.pk)
        return
    from apps.inbox.services import notify

    notify(org=org, kind=kind or message_kind(), report=item.report, text=text, url=item_url(item),
           dedupe_key=dedupe_key)
