"""The unread count for the header (消息中心 badge).

Lazy: the COUNT query runs only on pages whose template shows it, so adding this processor costs
nothing on the other pages (and leaves their pinned query counts alone).
"""

from django.utils.functional import SimpleLazyObject


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread_count": 0}

    def count():
        from apps.inbox.selectors import unread_count

        return unread_count(user)

    return {"inbox_unread_count": SimpleLazyObject(count)}
