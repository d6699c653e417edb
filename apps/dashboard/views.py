"""首页 and 可视化分析 pages. Thin: resolve the jurisdiction, ask apps.dashboard.data, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.dashboard import data
from apps.dashboard.data import year_start
from apps.orgs.models import Org
from apps.reports.selectors import worklist_for

LANDED = "dashboard_landed"  # the session's first 首页 visit has been sent to the screen


@login_required
def home(request):
    """首页. 审计管理员 (and accounts without an org) get the page without report data (三员分立)."""
    jurisdiction = data.jurisdiction_for(request.user)
    session = request.session
    if jurisdiction is not None and session.get("login_notice") and not session.get(LANDED):
        if opens_on_screen(request.user):
            # The spec (11 可视化分析): 部级用户登录系统后，进入可视化展示界面. Only the first page
            # after signing in (its login notice still unread), once; 首页 stays one click away.
            session[LANDED] = True
            return redirect("dashboard:screen")
    context = {"active": "home", "summary": None}
    if jurisdiction is not None:
        context["summary"] = data.home_summary(jurisdiction)
        # 督办 counts come from the header's lazy supervision_counts (one query each per request).
        context["todo_count"] = worklist_for(request.user).count()
    return render(request, "dashboard/home.html", context)


def opens_on_screen(user) -> bool:
    """The ministry's business users (its 司局 and 内设机构 included); not its administrators."""
    org = user.org.owning_org() if user.org_id else None
    return org is not None and org.level == Org.Level.MINISTRY and user.role == User.Role.USER


@login_required
def screen(request):
    """可视化分析: a full-screen page; the panels are filled from the data API by dashboard-screen.js."""
    jurisdiction = data.jurisdiction_for(request.user)
    if jurisdiction is None:
        return render(request, "dashboard/no_access.html", status=403)
    today = timezone.localdate()
    context = {
        "root_code": jurisdiction.root_code,
        "root_name": jurisdiction.root_name,
        "year": today.year,
        "start": year_start(today).isoformat(),
        "end": today.isoformat(),
        # Placeholder code replaced by the script: URLs still come from the URLconf, not the JS.
        "api_url": reverse("api:dashboard_screen", kwargs={"code": "000000"}),
        "geojson_url": reverse("api:regions_geojson", kwargs={"code": "000000"}),
    }
    return render(request, "dashboard/screen.html", context)
