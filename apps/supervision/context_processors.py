"""督办 counts for the header and sidebar (操作手册 6.5: 右上角显示督办举报单数量).

Lazy, like the inbox count: each COUNT runs only if a template reads it.
"""

from django.utils.functional import SimpleLazyObject

# A badge counts to 99 and then says "99+": the ministry's exact number reads hundreds of thousands
# of hops at national scale, on every page (docs/performance.md).
BADGE_CAP = 99
BADGE_SECONDS = 60


def badge(count: int) -> int | str:
    return f"{BADGE_CAP}+" if count > BADGE_CAP else count


def _cached_candidate_count(user) -> int:
    """Kept for a minute per user: a superior's header may lag a minute behind the levels below,
    and their busiest pages do not pay for the count each time."""
    from django.core.cache import cache
    from django.utils import timezone

    from apps.supervision import selectors

    key = f"supervision:badge:{user.pk}:{timezone.localdate().isoformat()}"
    return cache.get_or_set(key, lambda: selectors.candidate_count(user, cap=BADGE_CAP), BADGE_SECONDS)


def supervision(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"supervision_counts": None}
    from apps.supervision import selectors

    return {
        "supervision_counts": {
            "candidates": SimpleLazyObject(lambda: badge(_cached_candidate_count(user))),
            "supervised": SimpleLazyObject(lambda: selectors.supervised_open_count(user)),
            "to_decide": SimpleLazyObject(lambda: selectors.extensions_to_decide(user).count()),
        }
    }
