"""Which messages a user sees, and how many are unread."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from apps.inbox.models import Message, MessageRead
from apps.reports.selectors import own_orgs


def messages_for(user) -> QuerySet[Message]:
    """Messages addressed to the user, plus those addressed to the user's org as a whole or to
    one of its 内设机构.

    An org's users act on its 内设机构's steps (a county bureau without department accounts
    records its departments' verification itself, apps/reports/actions/base.py), so a "请核查"
    or "退回重新核查" sent to a department must reach them too. A department's users still see
    only their own department's messages, not the parent org's.

    审计管理员 get only messages addressed to them by name: org messages are about reports, and
    auditors see no reports (三员分立).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Message.objects.none()
    addressed = Q(recipient_user=user)
    if user.org_id is not None and not user.is_auditor:
        # A subquery rather than own_org_ids(): the header's unread count runs on every staff
        # page and must not cost a query of its own.
        addressed |= Q(recipient_user__isnull=True, recipient_org_id__in=own_orgs(user).values("pk"))
    return Message.objects.filter(addressed)


def _read_by(user):
    return MessageRead.objects.filter(message=OuterRef("pk"), user=user)


def messages_with_read_state(user) -> QuerySet[Message]:
    """messages_for(user) annotated, in the same query, with this user's `is_read` and `read_at`."""
    return messages_for(user).annotate(
        is_read=Exists(_read_by(user)),
        read_at=Subquery(_read_by(user).values("read_at")[:1]),
    )


def unread_messages(user) -> QuerySet[Message]:
    return messages_for(user).exclude(Exists(_read_by(user)))


def unread_count(user) -> int:
    """One COUNT query; 0 for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread_messages(user).count()


def message_get_for_user_or_404(user, pk) -> Message:
    """ "Not yours" and "does not exist" are the same 404."""
    try:
        return messages_with_read_state(user).get(pk=pk)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404("消息不存在") from None
