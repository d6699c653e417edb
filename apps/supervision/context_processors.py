"""督办 counts for the header and sidebar (操作手册 6.5: 右上角显示督办举报单数量).

Lazy, like the inbox count: each COUNT runs only if a template reads it.
"""

from django.utils.functional import SimpleLazyObject


def supervision(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"supervision_counts": None}
    from apps.supervision import selectors

    return {
        "supervision_counts": {
            "candidates": SimpleLazyObject(lambda: selectors.candidate_count(user)),
            "supervised": SimpleLazyObject(lambda: selectors.supervised_open_count(user)),
            "to_decide": SimpleLazyObject(lambda: selectors.extensions_to_decide(user).count()),
        }
    }
