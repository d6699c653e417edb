"""Read-only queries on the region tree, for every app (orgs, reports, dashboards)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from apps.regions.codes import NATION_CODE, is_region_code
from apps.regions.models import Region


def _with_has_children(qs: QuerySet[Region]) -> QuerySet[Region]:
    return qs.annotate(has_children=Exists(Region.objects.filter(parent=OuterRef("pk"))))


def region_by_code(code: str) -> Region | None:
    """The region with this GB/T 2260 code, or None (also for malformed input)."""
    if not is_region_code(code):
        return None
    return Region.objects.filter(code=code).first()


def region_children(parent: Region | None) -> QuerySet[Region]:
    """Direct children ordered by code, annotated with `has_children`; None = the provinces."""
    qs = Region.objects.filter(parent=parent) if parent else Region.objects.filter(parent__isnull=True)
    return _with_has_children(qs).order_by("code")


def region_children_by_code(code: str | None) -> QuerySet[Region] | None:
    """Children of the region `code` ("100000" or None = the nation); None when it is unknown."""
    if code in (None, "", NATION_CODE):
        return region_children(None)
    parent = region_by_code(code)
    return None if parent is None else region_children(parent)


def region_subtree(region: Region) -> QuerySet[Region]:
    """The region and everything under it: one indexed prefix match on the path."""
    return Region.objects.filter(path__startswith=region.path)


def region_ancestors(region: Region, *, include_self: bool = False) -> list[Region]:
    """From the province down to the parent (and the region itself if asked): one query."""
    codes = [c for c in region.path.split("/") if c]
    if not include_self:
        codes = codes[:-1]
    if not codes:
        return []
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def leaf_regions() -> QuerySet[Region]:
    """Regions a report can be located in: served regions without children (counties, districts,
    cities without counties such as 东莞, and the province-administered county-level units)."""
    return Region.objects.filter(is_served=True).exclude(
        Exists(Region.objects.filter(parent=OuterRef("pk")))
    ).order_by("code")


def is_within(region: Region, ancestor: Region) -> bool:
    """True when `region` is `ancestor` or lies under it (no query)."""
    return region.path.startswith(ancestor.path)
