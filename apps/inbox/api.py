"""消息中心 over the JSON API: the same selectors and actions as the page."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from apps.inbox.actions import message_mark_all_read, message_mark_read
from apps.inbox.models import Message
from apps.inbox.selectors import message_get_for_user_or_404, messages_with_read_state, unread_count
from apps.reports.api_auth import api_auth, api_user
from apps.reports.api_errors import ErrorOut, get_or_404

router = Router(auth=api_auth, tags=["消息中心"])


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    url: str
    report_id: int | None
    created_at: dt.datetime
    is_read: bool
    read_at: dt.datetime | None

    @staticmethod
    def from_model(message: Message) -> MessageOut:
        return MessageOut(
            id=message.pk,
            kind=message.kind,
            kind_label=message.get_kind_display(),
            text=message.text,
            url=message.url,
            report_id=message.report_id,
            created_at=message.created_at,
            is_read=bool(message.is_read),
            read_at=getattr(message, "read_at", None),
        )


class MessageListOut(Schema):
    count: int
    unread: int
    items: list[MessageOut]


class MessageFilter(Schema):
    status: Literal["all", "unread", "read"] = "all"
    kind: str = ""
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)  # a larger OFFSET overflows the database's integer


class ReadAllOut(Schema):
    marked: int
    unread: int


@router.get(
    "", operation_id="message_list", response={200: MessageListOut, 401: ErrorOut}, summary="消息列表"
)
def api_message_list(request, filters: Query[MessageFilter]):
    user = api_user(request)
    qs = messages_with_read_state(user)
    if filters.status == "unread":
        qs = qs.filter(is_read=False)
    elif filters.status == "read":
        qs = qs.filter(is_read=True)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    items = [MessageOut.from_model(m) for m in qs[filters.offset : filters.offset + filters.limit]]
    return MessageListOut(count=qs.count(), unread=unread_count(user), items=items)


@router.post(
    "/{int:message_id}/read",
    operation_id="message_mark_read",
    response={200: MessageOut, 401: ErrorOut, 404: ErrorOut},
    summary="标记为已读",
)
def api_message_mark_read(request, message_id: int):
    user = api_user(request)
    message = get_or_404(message_get_for_user_or_404, user, message_id)
    read = message_mark_read(actor=user, message=message)
    message.is_read, message.read_at = True, read.read_at
    return MessageOut.from_model(message)


@router.post(
    "/read-all",
    operation_id="message_mark_all_read",
    response={200: ReadAllOut, 401: ErrorOut},
    summary="全部已读",
)
def api_message_mark_all_read(request):
    user = api_user(request)
    marked = message_mark_all_read(actor=user)
    return ReadAllOut(marked=marked, unread=unread_count(user))
