"""Read-state actions of the 消息中心 (house style: one function per action, used by the HTML views
and the API alike)."""

from django.db import transaction

from apps.inbox.models import Message, MessageRead
from apps.inbox.selectors import messages_for, unread_messages
from apps.reports.errors import PermissionDeniedForAction


def message_mark_read(*, actor, message: Message) -> MessageRead:
    """标记为已读. Idempotent: marking a read message again changes nothing.

    No row lock is needed: the only write is one MessageRead row, and its (user, message) unique
    constraint is what makes two concurrent clicks safe (get_or_create falls back to a read).
    """
    with transaction.atomic():
        if not messages_for(actor).filter(pk=message.pk).exists():
            raise PermissionDeniedForAction("无权操作该消息。")
        read, _created = MessageRead.objects.get_or_create(message=message, user=actor)
    return read


def message_mark_all_read(*, actor) -> int:
    """全部已读: every message the actor can see right now. Returns how many were marked."""
    with transaction.atomic():
        ids = list(unread_messages(actor).values_list("pk", flat=True))
        MessageRead.objects.bulk_create(
            [MessageRead(message_id=pk, user=actor) for pk in ids], ignore_conflicts=True
        )
    return len(ids)


__all__ = ["Message", "message_mark_all_read", "message_mark_read"]
