"""notify(): the one way the system leaves a message in someone's 消息中心.

Call it inside the action's transaction so the message commits or rolls back with the data.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from apps.inbox.models import Message
from apps.inbox.selectors import unread_count

__all__ = ["notify", "unread_count"]

logger = logging.getLogger(__name__)

TEXT_MAX = Message._meta.get_field("text").max_length
URL_MAX = Message._meta.get_field("url").max_length


def _clean_url(url: str) -> str:
    # The url becomes an href in the message list and the target of a redirect: only a path on
    # this site is accepted, never "javascript:", "//host" or "https://elsewhere".
    url = (url or "").strip()
    if not url:
        return ""
    if not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > URL_MAX:
        raise ValueError(f"message url must be a local path, got {url!r}")
    return url


def notify(
    *,
    org=None,
    user=None,
    kind: str,
    report=None,
    text: str,
    url: str = "",
    dedupe_key: str = "",
) -> Message:
    """Leave a message for `user`, or for every user of `org` when no user is given.

    With a dedupe_key, a second call with the same key returns the first message and creates
    nothing (the hourly deadline reminder relies on this).
    """
    if org is None and user is None:
        raise ValueError("notify() needs an org or a user")
    if kind not in Message.Kind.values:
        # A new kind added by a sender without adding it here is a programming error: loud in
        # development and tests, but in production it must not roll back the business action.
        if settings.DEBUG or settings.TESTING:
            raise ValueError(f"unknown message kind {kind!r}")
        logger.error("unknown message kind %r stored as %r", kind, Message.Kind.OTHER)
        kind = Message.Kind.OTHER
    text = (text or "").strip()
    if not text:
        raise ValueError("notify() needs a text")
    if len(text) > TEXT_MAX:
        text = text[: TEXT_MAX - 1] + "…"
    fields = {
        "recipient_org": org if org is not None else getattr(user, "org", None),
        "recipient_user": user,
        "kind": kind,
        "report": report,
        "text": text,
        "url": _clean_url(url),
    }
    if not dedupe_key:
        return Message.objects.create(**fields)
    existing = Message.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    try:
        # The savepoint keeps the caller's transaction usable if a concurrent sender won the race.
        with transaction.atomic():
            return Message.objects.create(dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is None:
            raise
        return existing
