"""逐级管理: which accounts an administrator manages, and which roles they may grant.

An administrator of org O manages
  * the accounts of O itself and of O's 内设机构 (本级账号), and
  * the accounts of the orgs directly below O (下级机构: the ministry's 司局, 国家矿山安全监察局 and
    provincial 厅; a province's cities and zones; a city's counties),
never an account further down (the subordinate org's own administrator manages those), above,
beside, or their own (one's own password is changed on the password page, not here).
普通用户 and 审计管理员 manage no accounts (三员分立).
"""

from django.http import Http404

from apps.accounts.models import User
from apps.orgs.models import Org
from apps.orgs.scoping import user_root_org


def is_active_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_system_admin
        and user_root_org(user) is not None
    )


def is_ministry_admin(user) -> bool:
    """The national administrator: an admin of the ministry's own org (not of a 司局)."""
    if not is_active_admin(user):
        return False
    root = user_root_org(user)
    return root.parent_id is None and root.level == Org.Level.MINISTRY


def account_manageable_org_ids(actor) -> set[int]:
    if not is_active_admin(actor):
        return set()
    root = user_root_org(actor)
    rows = Org.objects.subtree_of(root).filter(parent_id__isnull=False).values_list("pk", "parent_id", "kind")
    rows = [(pk, parent, kind) for pk, parent, kind in rows if parent == root.pk or kind == Org.Kind.INTERNAL]
    internal_parent = {pk: parent for pk, parent, kind in rows if kind == Org.Kind.INTERNAL}

    def owned_internal(pk: int) -> bool:
        # A 内设机构 belongs to the admin's own unit when every step up to the root is internal.
        seen = set()
        while pk in internal_parent and pk not in seen:
            seen.add(pk)
            parent = internal_parent[pk]
            if parent == root.pk:
                return True
            pk = parent
        return False

    ids = {root.pk}
    for pk, parent, kind in rows:
        if kind == Org.Kind.INTERNAL:
            if owned_internal(pk):
                ids.add(pk)
        elif parent == root.pk:
            ids.add(pk)
    return ids


def accounts_manageable_by(actor):
    ids = account_manageable_org_ids(actor)
    if not ids:
        return User.objects.none()
    return User.objects.filter(org_id__in=ids, is_superuser=False).exclude(pk=actor.pk)


def can_manage_account(actor, account: User) -> bool:
    if account.pk == getattr(actor, "pk", None) or account.is_superuser:
        return False
    return account.org_id in account_manageable_org_ids(actor)


def account_get_for_manager_or_404(actor, pk) -> User:
    """ "Not yours" and "does not exist" are the same 404."""
    try:
        return accounts_manageable_by(actor).select_related("org").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("用户不存在") from None


def assignable_orgs(actor):
    """Orgs a new or edited account may be placed in: the manageable ones that are active."""
    return Org.objects.filter(pk__in=account_manageable_org_ids(actor), is_active=True).order_by("path")


ROLE_RANK = {User.Role.USER: 1, User.Role.AUDITOR: 1, User.Role.ADMIN: 2}


def assignable_roles(actor) -> list[tuple[str, str]]:
    """Roles no higher than the actor's own: an administrator may grant all three."""
    if not is_active_admin(actor):
        return []
    own = ROLE_RANK[actor.role]
    return [(value, label) for value, label in User.Role.choices if ROLE_RANK[value] <= own]
