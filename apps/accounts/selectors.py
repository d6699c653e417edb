from apps.catalogs.models import Industry
from apps.orgs.models import Org
from apps.orgs.scoping import user_root_org


def industry_scope_for(user):
    """The industries whose reports a ministry 司局 account sees: the account's own selection,
    else its department's whole scope. None for every other account (no industry limit)."""
    root = user_root_org(user)
    if root is None or root.kind != Org.Kind.BUREAU:
        return None
    own = user.industry_scope.all()
    if own.exists():
        return Industry.objects.filter(pk__in=own.values("pk")).filter(
            pk__in=root.industry_scope.values("pk")
        )
    return root.industry_scope.all()
