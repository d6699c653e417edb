"""Which 应急管理部门 is responsible for a place: reporting routes new reports with this."""

from apps.orgs.models import Org
from apps.regions.models import Region

# 司局 and 矿山安监 orgs are reached by industry, internal departments by dispatch: never by place.
ROUTABLE_KINDS = (Org.Kind.EMERGENCY, Org.Kind.ZONE)


class RegionNotServed(ValueError):
    """香港、澳门、台湾: drawn on the map, but reports there are not handled by this system."""

    def __init__(self, region: Region):
        super().__init__(f"{region.name}不在本系统受理范围内。")
        self.region = region


def org_for_region(region: Region) -> Org:
    """The most local active org covering `region`: the county's bureau, else the zone or
    (兵团) jurisdiction that lists it, else the nearest covering ancestor's, up to the ministry.

    Three indexed queries whatever the depth (a fourth for the ministry fallback).
    """
    codes = [c for c in region.path.split("/") if c]
    chain = list(Region.objects.filter(code__in=codes).values_list("pk", "code", "is_served"))
    # Refused when any link of the chain is unserved: 香港's districts with a stray flag too.
    if not region.is_served or not all(served for _, _, served in chain):
        raise RegionNotServed(region)

    rank = {pk: codes.index(code) for pk, code, _ in chain}  # deeper region → larger rank
    candidates: list[tuple[int, int, Org]] = []
    for org in Org.objects.filter(kind__in=ROUTABLE_KINDS, is_active=True, region_id__in=rank):
        candidates.append((rank[org.region_id], org.depth, org))
    links = Org.extra_regions.through.objects.filter(
        region_id__in=rank, org__kind__in=ROUTABLE_KINDS, org__is_active=True
    ).select_related("org")
    for link in links:
        candidates.append((rank[link.region_id], link.org.depth, link.org))
    if candidates:
        # Most specific region first; on a tie (兵团 lists 石河子市, whose own bureau sits
        # below it) the deeper org, the one closest to the ground.
        return max(candidates, key=lambda c: (c[0], c[1]))[2]
    # The ministry: found as the root rather than by code, which administrators may change.
    return Org.objects.filter(parent=None, level=Org.Level.MINISTRY, kind=Org.Kind.EMERGENCY).earliest("pk")
