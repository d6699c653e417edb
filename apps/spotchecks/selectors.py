"""Who sees which spot checks, and the lists and figures built on that (house style 4).

Jurisdiction. A user samples only reports closed by orgs strictly below their own org (never their
own org's or its 内设机构' work), and always within reports_visible_to(user). The checking org sees
its batches and their items; the checked org sees only its own 不合格 items (to correct); the
checked org's superiors may read those items (to 督办 them) but act on none. Anything else is the
same 404 as "does not exist".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.orgs.models import Org
from apps.orgs.scoping import below_q, org_region_scope, user_root_org
from apps.regions.models import Region
from apps.reports.deadlines import Badge, badge_for
from apps.reports.models import Report
from apps.reports.selectors import reports_visible_to
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem
from apps.spotchecks.transitions import STEPS, Side, item_allows
from apps.supervision.models import Supervision
from apps.workcalendar.calendar import add_working_days

S = SpotCheckItem.State
DUE_LABEL = "整改期限"


def acting_root(user) -> Org | None:
    """The org a user acts for in 抽检管理; None for auditors (三员分立) and the unauthenticated."""
    root = user_root_org(user)
    if root is None or getattr(user, "is_auditor", False):
        return None
    return root


def sampleable_orgs(user, *, max_levels: int | None = None) -> QuerySet[Org]:
    """Orgs whose closed reports the user may sample (按机构), nearest first by tree order."""
    root = acting_root(user)
    if root is None:
        return Org.objects.none()
    qs = Org.objects.filter(below_q(root)).exclude(kind=Org.Kind.INTERNAL)
    if max_levels is not None:
        qs = qs.filter(depth__lte=root.depth + max_levels)
    return qs.order_by("path")


def sampleable_regions(user) -> QuerySet[Region]:
    """Regions 按地区 offers: the user's jurisdiction (its region's subtree plus any extra regions,
    as for 功能区 and 兵团), or the provinces and cities when it is the whole country."""
    root = acting_root(user)
    if root is None:
        return Region.objects.none()
    scope = org_region_scope(root)
    qs = scope.regions().only("code", "name", "depth", "path").order_by("path")
    return qs.filter(depth__lte=1) if scope.is_nation else qs


def region_is_sampleable(user, region: Region) -> bool:
    root = acting_root(user)
    return root is not None and org_region_scope(root).allows(region)


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00, last+1 00:00) in Beijing time, so a closing date range is whole local days."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def open_item_exists():
    return Exists(SpotCheckItem.objects.filter(report=OuterRef("pk"), state__in=SpotCheckItem.OPEN_STATES))


def scope_reports(user, *, scope: str, org: Org | None, region: Region | None, closed_from: dt.date,
                  closed_to: dt.date) -> QuerySet[Report]:
    """Closed reports in the chosen scope and closing-date range, within the user's jurisdiction
    (including those already in an open spot check: see draw_candidates)."""
    root = acting_root(user)
    if root is None:
        return Report.objects.none()
    start, end = day_bounds(closed_from, closed_to)
    qs = reports_visible_to(user).filter(
        below_q(root, "accepting_org__"),
        status=Report.Status.CLOSED,
        closed_at__gte=start,
        closed_at__lt=end,
    )
    if scope == SpotCheckBatch.Scope.ORG and org is not None:
        qs = qs.filter(accepting_org__path__prefix=org.path)
    elif scope == SpotCheckBatch.Scope.REGION:
        qs = qs.filter(region__path__startswith=region.path) if region is not None else qs.none()
    return qs


def draw_candidates(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.exclude(open_item_exists())


# ---- lists --------------------------------------------------------------------------------------


def batches_for(user) -> QuerySet[SpotCheckBatch]:
    """随机抽检: the batches the user's org ran, newest first, with their item counts."""
    root = acting_root(user)
    if root is None:
        return SpotCheckBatch.objects.none()
    return (
        SpotCheckBatch.objects.filter(checking_org=root)
        # Up to MAX_CANDIDATES ids each: read only by the export and a reproduction.
        .defer("candidate_ids")
        .select_related("scope_org", "scope_region", "created_by")
        .annotate(
            item_count=Count("items"),
            open_count=Count("items", filter=Q(items__state__in=SpotCheckItem.OPEN_STATES)),
            reviewed_count=Count("items", filter=Q(items__qualified__isnull=False)),
            qualified_count=Count("items", filter=Q(items__qualified=True)),
        )
        .order_by("-created_at", "-id")
    )


def batch_get_for_user_or_404(user, pk) -> SpotCheckBatch:
    try:
        return batches_for(user).get(pk=pk)
    except (SpotCheckBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("抽检批次不存在") from None


ITEM_RELATED = ("batch__checking_org", "checked_org", "report__problem_type", "report__region")


def with_related(qs: QuerySet[SpotCheckItem], *extra: str) -> QuerySet[SpotCheckItem]:
    """Items with what their pages show; never their batch's candidate list (up to MAX_CANDIDATES
    ids, once per row)."""
    return qs.select_related(*ITEM_RELATED, *extra).defer("batch__candidate_ids")


def _own_q(root: Org) -> Q:
    return Q(batch__checking_org=root) | Q(checked_org=root, qualified=False)


def items_visible_to(user) -> QuerySet[SpotCheckItem]:
    """Items of the org's own batches, and the org's own 不合格 items: the items the user may act on."""
    root = acting_root(user)
    if root is None:
        return SpotCheckItem.objects.none()
    return SpotCheckItem.objects.filter(_own_q(root))


def items_readable_by(user) -> QuerySet[SpotCheckItem]:
    """items_visible_to, plus the 不合格 items of orgs below the user's: a superior of the checked
    org may 督办 the correction (整改督办 lists it), so it may read the item, though it takes no step
    on it (available_steps gives it none)."""
    root = acting_root(user)
    if root is None:
        return SpotCheckItem.objects.none()
    return SpotCheckItem.objects.filter(_own_q(root) | (below_q(root, "checked_org__") & Q(qualified=False)))


def _get_or_404(qs: QuerySet[SpotCheckItem], pk) -> SpotCheckItem:
    try:
        return with_related(qs, "report__accepting_org").get(pk=pk)
    except (SpotCheckItem.DoesNotExist, ValueError, TypeError):
        raise Http404("抽检事项不存在") from None


def item_get_for_user_or_404(user, pk) -> SpotCheckItem:
    """An item the user may act on (the review, rectify and verify URLs)."""
    return _get_or_404(items_visible_to(user), pk)


def item_read_for_user_or_404(user, pk) -> SpotCheckItem:
    """An item the user may read (the item page and its API): a superior of the checked org too."""
    return _get_or_404(items_readable_by(user), pk)


def batch_items(batch: SpotCheckBatch) -> QuerySet[SpotCheckItem]:
    return batch.items.select_related("checked_org", "report__problem_type", "report__region").order_by(
        "position")


def items_to_rectify(user, *, include_finished: bool = False) -> QuerySet[SpotCheckItem]:
    """抽检办理: the user's org's 不合格 items, waiting for its correction first, most urgent first."""
    root = acting_root(user)
    if root is None:
        return SpotCheckItem.objects.none()
    states = (S.RECTIFYING, S.VERIFYING, S.CORRECTED) if include_finished else (S.RECTIFYING, S.VERIFYING)
    return (
        with_related(SpotCheckItem.objects.filter(checked_org=root, qualified=False, state__in=states))
        .order_by("finished_at", "rectify_due", "id")
    )


def items_to_verify(user) -> QuerySet[SpotCheckItem]:
    """抽检核查: corrections sent back to the user's org, oldest first."""
    root = acting_root(user)
    if root is None:
        return SpotCheckItem.objects.none()
    return (
        with_related(SpotCheckItem.objects.filter(batch__checking_org=root, state=S.VERIFYING))
        .order_by("rectify_due", "id")
    )


def _items_due(user, warn_days: int | None, today: dt.date | None) -> QuerySet[SpotCheckItem]:
    root = acting_root(user)
    if root is None:
        return SpotCheckItem.objects.none()
    today = today or timezone.localdate()
    warn = settings.DEADLINE_WARNING_WORKING_DAYS if warn_days is None else warn_days
    first_normal = add_working_days(today, warn + 1)
    # The (state, rectify_due) index reads only the corrections due before the cut.
    return SpotCheckItem.objects.filter(below_q(root, "checked_org__"), state=S.RECTIFYING,
                                        rectify_due__lt=first_normal)


def spotcheck_items_due(user, warn_days: int | None = None,
                        today: dt.date | None = None) -> QuerySet[SpotCheckItem]:
    """For 督办: items below the user's org whose correction is overdue or due within warn_days
    working days (the same cut as deadline_state's 即将超期), most urgent first. Each carries
    `is_supervised`: a 督办 exists against its current correction deadline."""
    supervised = Supervision.objects.filter(report=OuterRef("report_id"), deadline=OuterRef("rectify_due"))
    return (
        with_related(_items_due(user, warn_days, today))
        .annotate(is_supervised=Exists(supervised))
        .order_by("rectify_due", "id")
    )


def spotcheck_items_due_count(user, warn_days: int | None = None, today: dt.date | None = None,
                              cap: int | None = None) -> int:
    """len(spotcheck_items_due()), counting no further than cap + 1 when a cap is given."""
    qs = _items_due(user, warn_days, today).order_by().values("pk")
    return (qs if cap is None else qs[: cap + 1]).count()


def item_awaiting_rectification(report: Report) -> SpotCheckItem | None:
    """The report's open spot check while it waits for the checked org's correction (there is at
    most one open item per report), with checked_org and its parent loaded."""
    return (
        SpotCheckItem.objects.filter(report=report, state=S.RECTIFYING)
        .select_related("checked_org__parent")
        .first()
    )


def counts_for(user) -> dict[str, int]:
    """The tab badges: one query."""
    root = acting_root(user)
    if root is None:
        return {"rectify": 0, "verify": 0}
    to_rectify = Q(checked_org=root, state=S.RECTIFYING)
    to_verify = Q(batch__checking_org=root, state=S.VERIFYING)
    # Filtered first, so the count reads only the org's waiting items, never the whole table.
    return SpotCheckItem.objects.filter(to_rectify | to_verify).aggregate(
        rectify=Count("id", filter=to_rectify), verify=Count("id", filter=to_verify),
    )


def item_badge(item: SpotCheckItem, today: dt.date | None = None) -> Badge | None:
    """The same badge as every other deadline, while the correction is with the checked org."""
    if item.state != S.RECTIFYING:
        return None
    return badge_for(DUE_LABEL, item.rectify_due, today)


def available_steps(user, item: SpotCheckItem) -> set[str]:
    """Steps the user may take on the item now (the actions make the same checks)."""
    root = acting_root(user)
    if root is None:
        return set()
    sides = set()
    if item.batch.checking_org_id == root.pk:
        sides.add(Side.CHECKING)
    if item.checked_org_id == root.pk:
        sides.add(Side.CHECKED)
    return {name for name, step in STEPS.items() if step.side in sides and item_allows(name, item)}


def report_items_for(user, report: Report) -> list[SpotCheckItem]:
    """The spot checks of one report the user may see (the report page's panel)."""
    return list(items_visible_to(user).filter(report=report).select_related("batch", "checked_org")
                .defer("batch__candidate_ids").order_by("-batch__created_at", "-id"))


# ---- 合格率 --------------------------------------------------------------------------------------


@dataclass
class PassRate:
    """合格率 = items found 合格 at their first review / items reviewed. An item corrected after
    a 不合格 verdict stays 不合格 here: the rate measures the handling as it was closed."""

    org_id: int | None
    org_name: str
    sampled: int = 0
    reviewed: int = 0
    qualified: int = 0
    corrected: int = 0
    open: int = 0

    @property
    def unqualified(self) -> int:
        return self.reviewed - self.qualified

    @property
    def rate(self) -> Decimal | None:
        if not self.reviewed:
            return None
        percent = Decimal(self.qualified) * 100 / Decimal(self.reviewed)
        return percent.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def rate_text(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate}%"


def pass_rates(items: QuerySet[SpotCheckItem]) -> tuple[list[PassRate], PassRate]:
    """Per checked org (by name) and overall: two queries whatever the number of items."""
    rows = (
        items.order_by()
        .values("checked_org")
        .annotate(
            sampled=Count("id"),
            reviewed=Count("id", filter=Q(qualified__isnull=False)),
            qualified=Count("id", filter=Q(qualified=True)),
            corrected=Count("id", filter=Q(state=S.CORRECTED)),
            open=Count("id", filter=Q(state__in=SpotCheckItem.OPEN_STATES)),
        )
    )
    rows = list(rows)
    names = dict(Org.objects.filter(pk__in=[r["checked_org"] for r in rows]).values_list("pk", "name"))
    result = []
    total = PassRate(org_id=None, org_name="合计")
    for row in rows:
        rate = PassRate(org_id=row["checked_org"], org_name=names.get(row["checked_org"], ""),
                        sampled=row["sampled"], reviewed=row["reviewed"], qualified=row["qualified"],
                        corrected=row["corrected"], open=row["open"])
        result.append(rate)
        for name in ("sampled", "reviewed", "qualified", "corrected", "open"):
            setattr(total, name, getattr(total, name) + getattr(rate, name))
    result.sort(key=lambda r: r.org_name)
    return result, total


def pass_rates_of(items: list[SpotCheckItem]) -> tuple[list[PassRate], PassRate]:
    """pass_rates() for items already loaded (with checked_org): no query."""
    rows: dict[int, PassRate] = {}
    total = PassRate(org_id=None, org_name="合计")
    for item in items:
        rate = rows.setdefault(item.checked_org_id, PassRate(org_id=item.checked_org_id,
                                                             org_name=item.checked_org.name))
        for target in (rate, total):
            target.sampled += 1
            target.reviewed += item.qualified is not None
            target.qualified += item.qualified is True
            target.corrected += item.state == S.CORRECTED
            target.open += item.state in SpotCheckItem.OPEN_STATES
    return sorted(rows.values(), key=lambda r: r.org_name), total


def checking_items(user) -> QuerySet[SpotCheckItem]:
    """Every item of the user's org's batches (the overall 合格率)."""
    root = acting_root(user)
    if root is None:
        return SpotCheckItem.objects.none()
    return SpotCheckItem.objects.filter(batch__checking_org=root)
