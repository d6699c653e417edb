"""The one place that answers "which orgs may this user act on?".

A grant on an org covers its subtree: the org itself and everything below it, never anything
above or beside it. Every list, detail, export, chart and API that is scoped by org goes
through these functions; report visibility builds on them (apps.reports.selectors).
"""

from django.db.models import Q
from django.http import Http404

from apps.orgs.models import Org, OrgQuerySet
from apps.regions.picker import NATION, RegionScope


def user_root_org(user) -> Org | None:
    """The org whose subtree the user's grant covers. A 内设机构 user's grant is their
    department itself, not the parent org."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user.org


def orgs_within(user) -> OrgQuerySet:
    root = user_root_org(user)
    if root is None:
        return Org.objects.none()
    return Org.objects.subtree_of(root)


def org_is_within(user, org: Org) -> bool:
    root = user_root_org(user)
    return root is not None and org.is_within(root)


def org_is_below(user, org: Org) -> bool:
    """Strictly below the user's org: what a superior supervises, samples and administers."""
    root = user_root_org(user)
    return root is not None and org.pk != root.pk and org.is_within(root)


def below_q(root: Org, prefix: str = "") -> Q:
    """Orgs strictly below root (through `prefix` from another model). root's own 内设机构 count
    as root itself: they are its own staff. What superiors supervise and sample."""
    return (
        Q(**{f"{prefix}path__prefix": root.path})
        & ~Q(**{f"{prefix}pk": root.pk})
        & ~Q(**{f"{prefix}kind": Org.Kind.INTERNAL, f"{prefix}parent_id": root.pk})
    )


def org_get_for_user_or_404(user, pk) -> Org:
    """"Not yours" and "does not exist" are the same 404."""
    try:
        return orgs_within(user).get(pk=pk)
    except (Org.DoesNotExist, ValueError, TypeError):
        raise Http404("机构不存在") from None


def org_region_scope(org: Org | None) -> RegionScope:
    """The regions an org's jurisdiction covers, as an apps.regions.picker.RegionScope: its region's
    subtree plus its extra regions (功能区, 兵团); an org with neither (the ministry and its 司局)
    covers the whole country. A 内设机构 covers nothing itself: pass the org it belongs to."""
    if org is None:
        return NATION
    roots = ([org.region] if org.region_id else []) + list(org.extra_regions.all())
    return RegionScope.of(roots)
