"""Which org receives a new public report (分办), and whether it is flagged for 移送."""

import logging
from dataclasses import dataclass

from apps.catalogs.models import Industry, ProblemType
from apps.orgs.models import Org
from apps.orgs.routing import RegionNotServed, org_for_region
from apps.public.errors import PublicError
from apps.public.models import RoutingRule
from apps.regions.models import Region

logger = logging.getLogger(__name__)
NOT_SERVED = "所选地区的举报不由本系统受理，请选择举报事项所在的省、市、县。"
NO_ORG = "该地区暂未开通网上举报，请拨打12350举报热线。"


@dataclass(frozen=True)
class Route:
    org: Org
    referral: bool
    rule: RoutingRule | None = None


def route_report(*, region: Region, industry: Industry, problem_type: ProblemType) -> Route:
    """The first active rule that matches (lowest priority number, then the most specific, then
    the oldest) decides; without one, the 属地 bureau receives it, flagged for 移送 when the
    industry belongs to another department."""
    try:
        local = org_for_region(region)
    except RegionNotServed:
        raise PublicError(NOT_SERVED, field="region") from None
    except Org.DoesNotExist:  # not even the ministry is set up: an installation without its org tree
        raise PublicError(NO_ORG, field="region") from None
    default_referral = not industry.in_remit
    rules = [
        rule for rule in RoutingRule.objects.filter(is_active=True).select_related("region", "target_org")
        if rule.matches(region=region, industry=industry, problem_type=problem_type)
    ]
    if not rules:
        return Route(org=local, referral=default_referral)
    rule = min(rules, key=lambda r: (r.priority, -r.specificity(), r.pk))
    return Route(org=_target_org(rule, region, local), referral=rule.refer or default_referral, rule=rule)


def _target_org(rule: RoutingRule, region: Region, local: Org) -> Org:
    if rule.target == RoutingRule.Target.ORG and rule.target_org and rule.target_org.is_active:
        return rule.target_org
    if rule.target == RoutingRule.Target.PROVINCE_MINE_SAFETY:
        province_code = region.path.split("/")[0]
        org = (Org.objects.filter(kind=Org.Kind.MINE_SAFETY, is_active=True, region__code=province_code)
               .order_by("depth").first())
        if org is not None:
            return org
    if rule.target != RoutingRule.Target.LOCAL:
        # A rule pointing at a closed org must not lose the report: the local bureau gets it.
        logger.warning("routing rule %s has no active target for region %s; using the local bureau",
                       rule.pk, region.code)
    return local
