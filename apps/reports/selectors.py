"""The one scoping entry point for reports (house style 4), and the lists built on it.

A user sees a report when it has passed through their org or an org below it (any handling
hop in their subtree). A ministry 司局 sees the reports of its industries; 应急管理部 itself sees
all. 审计管理员 see no reports (三员分立). Every list, detail, export, chart and API uses these.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.accounts.selectors import industry_scope_for
from apps.orgs.models import Org
from apps.orgs.scoping import user_root_org
from apps.reports.deadlines import annotate_hop_due, annotate_report_due
from apps.reports.filters import apply_report_filters
from apps.reports.listing import MAX_BRANCHES, SubtreeReports
from apps.reports.models import Handling, Report
from apps.reports.transitions import TRANSITIONS, WORKLIST_STATES, hop_allows

LIST_RELATED = ("channel", "industry", "problem_type", "region", "receiving_org", "accepting_org")


def reports_visible_to(user) -> QuerySet[Report]:
    root = user_root_org(user)
    if root is None or user.is_auditor:
        return Report.objects.none()
    if root.kind == Org.Kind.BUREAU:
        # An account may be limited to part of its 司局's industries (用户管理).
        return Report.objects.filter(industry__in=industry_scope_for(user))
    if _is_ministry(root):
        return Report.objects.all()
    # The subtree's org ids first (a literal list the planner can estimate), then the reports of
    # their hops from the (org, report) index (docs/performance.md).
    subtree = _subtree_ids(user, root)
    return Report.objects.filter(pk__in=Handling.objects.filter(org_id__in=subtree).values("report_id"))


def _is_ministry(root: Org) -> bool:
    return root.parent_id is None and root.level == Org.Level.MINISTRY


def _subtree_ids(user, root: Org) -> list[int]:
    return _memo(user, "subtree", lambda: Org.objects.subtree_of(root).values_list("pk", flat=True))


def _memo(user, name: str, compute) -> list[int]:
    """An org-id list kept on the user object for its request: one small query, once."""
    key = (name, user.org_id)
    cached = getattr(user, "_org_id_lists", None)
    if cached is None:
        cached = user._org_id_lists = {}
    if key not in cached:
        cached[key] = list(compute())
    return cached[key]


def report_get_for_user_or_404(user, pk) -> Report:
    """ "Not yours" and "does not exist" are the same 404."""
    try:
        return reports_visible_to(user).get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404("举报单不存在") from None


def own_orgs(user) -> QuerySet[Org]:
    """The user's org and its 内设机构 (whose steps the user may act on, see actions/base.py)."""
    return Org.objects.filter(Q(pk=user.org_id) | Q(parent_id=user.org_id, kind=Org.Kind.INTERNAL))


def own_org_ids(user) -> list[int]:
    """own_orgs(user) as ids."""
    return _memo(user, "own", lambda: own_orgs(user).values_list("pk", flat=True))


def own_hops_q(user, prefix: str = "") -> Q:
    """Hops the user acts on: their org's, and their org's 内设机构 (see actions/base.py).
    A literal id list rather than an OR across the org join or a subquery, so PostgreSQL
    estimates it right and reads the (org, state) index."""
    return Q(**{f"{prefix}org_id__in": own_org_ids(user)})


def worklist_hops(user) -> QuerySet[Handling]:
    """The hops of 待办举报, without order, related rows or deadlines: what counting them needs
    (the deadline joins every hop's report, 20 ms for a busy county's count)."""
    if user_root_org(user) is None or user.is_auditor:
        return Handling.objects.none()
    return Handling.objects.filter(own_hops_q(user), state__in=WORKLIST_STATES)


def worklist_for(user) -> QuerySet[Handling]:
    """待办举报: the open hops of the user's org (and its 内设机构), one row per hop, with `due`.
    Hops waiting only for someone below (DISPATCHED) stay listed: the org answers for them."""
    qs = worklist_hops(user).select_related("org", *[f"report__{name}" for name in LIST_RELATED])
    return annotate_hop_due(qs).order_by("due", "-received_at", "-id")


def reports_list_for(user) -> QuerySet[Report]:
    """所有举报: everything visible, with `due` for the deadline badge."""
    return annotate_report_due(reports_visible_to(user).select_related(*LIST_RELATED)).order_by(
        "-received_at", "-id"
    )


def all_reports_for(user, data: dict) -> SubtreeReports | QuerySet[Report]:
    """所有举报 with the list filters `data` (ReportFilterForm.cleaned_data) applied: the rows of
    reports_list_for. A local org's list is paged from its subtree's hops (apps.reports.listing);
    the ministry's and a 司局's from the reports table."""
    root = user_root_org(user)
    if root is not None and not user.is_auditor and root.kind != Org.Kind.BUREAU and not _is_ministry(root):
        subtree = _subtree_ids(user, root)
        if len(subtree) <= MAX_BRANCHES:
            rows = annotate_report_due(Report.objects.select_related(*LIST_RELATED))
            return SubtreeReports(subtree, data, rows)
    return apply_report_filters(reports_list_for(user), data)


def closed_reports_for(user) -> QuerySet[Report]:
    return reports_list_for(user).filter(status=Report.Status.CLOSED).order_by("-closed_at", "-id")


def unaccepted_reports_for(user) -> QuerySet[Report]:
    """未受理举报单: 暂不受理 and 不予受理."""
    return reports_list_for(user).filter(status__in=[Report.Status.DEFERRED, Report.Status.REJECTED])


def pending_rewards_for(user) -> QuerySet[Report]:
    """待兑现奖励: closed with the reward still to pay."""
    return (
        reports_list_for(user)
        .filter(status=Report.Status.CLOSED, reward_status=Report.RewardStatus.PENDING)
        .order_by("closed_at", "id")
    )


def user_hops(user, report: Report) -> list[Handling]:
    """The hops of `report` the user acts on, newest first."""
    if user_root_org(user) is None or user.is_auditor:
        return []
    return list(
        Handling.objects.filter(own_hops_q(user), report=report)
        .select_related("org", "parent__org")
        .order_by("-received_at", "-id")
    )


def available_actions(user, report: Report, hops: list[Handling] | None = None) -> dict[str, Handling]:
    """Which actions the user may take now, each with the hop it would act on (the same choice
    actions.base.acting_hop makes)."""
    hops = user_hops(user, report) if hops is None else hops
    hops = sorted(hops, key=lambda hop: hop.org_id != user.org_id)
    result: dict[str, Handling] = {}
    for action in TRANSITIONS:
        if action == "supplement":
            continue  # the reporter's, not staff's
        for hop in hops:
            if hop_allows(action, hop):
                result[action] = hop
                break
    if "reward_record" in result and report.reward_status != Report.RewardStatus.PENDING:
        del result["reward_record"]
    return result


def report_hops(report: Report) -> list[Handling]:
    return list(report.handlings.select_related("org", "parent").order_by("received_at", "id"))
