from django.utils.dateparse import parse_datetime

from apps.accounts.permissions import is_active_admin, is_ministry_admin

# Sidebar highlighting (templates/staff_base.html reads `active`) for the pages of this area;
# a view that passes its own `active` wins over a context processor.
ACTIVE_BY_PREFIX = (("/sysadmin/", "sysadmin"), ("/audit/", "audit"))


def login_info(request):
    """The last login time and the failed logins since, shown in the header and, once, as a notice
    on the first page after login; plus which management menus to show."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    info = request.session.get("login_info") or {}
    previous = parse_datetime(info["previous_login"]) if info.get("previous_login") else None
    admin = is_active_admin(user)
    context = {
        "login_previous": previous,
        "login_first_time": "previous_login" in info and previous is None,
        "login_failures_since": info.get("failures_since", 0),
        # No queries beyond request.user.org, which the header shows anyway: list pages pin theirs.
        "nav_sysadmin": admin,
        "nav_ministry_admin": admin and is_ministry_admin(user),
        "nav_audit": user.is_active and user.is_auditor,
        "login_notice": bool(info) and request.session.pop("login_notice", False),
    }
    for prefix, key in ACTIVE_BY_PREFIX:
        if request.path.startswith(prefix):
            context["active"] = key
    return context
