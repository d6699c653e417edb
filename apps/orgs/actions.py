"""机构管理 actions (第二章 9): create, edit, move and (de)activate orgs within one's jurisdiction.

Permission: a system administrator edits orgs within their subtree (本级机构 and 所管辖范围内的
机构). Their own org: contact details and name only. Restructuring (moving, deactivating, the
jurisdiction region and a 司局's industry scope) is for orgs strictly below them, so nobody
widens their own jurisdiction. Every action is atomic and leaves an audit row.
"""

from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr

from apps.audit import actions as audit_actions
from apps.audit.services import audit_log
from apps.orgs.models import Org
from apps.orgs.scoping import org_is_below, org_is_within, user_root_org
from apps.orgs.services import create_internal_department
from apps.regions.models import Region

NEXT_LEVEL = {
    Org.Level.MINISTRY: Org.Level.PROVINCE,
    Org.Level.PROVINCE: Org.Level.CITY,
    Org.Level.CITY: Org.Level.COUNTY,
}


def _is_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_system_admin
        and user_root_org(user) is not None
    )


def can_edit_org(user, org: Org) -> bool:
    return _is_admin(user) and org_is_within(user, org)


def can_restructure_org(user, org: Org) -> bool:
    return _is_admin(user) and org_is_below(user, org)


def open_handlings_in(org: Org) -> int:
    """Open handling hops at the org or below. Moving or deactivating such an org would strand
    them: the superior that dispatched them would lose sight of them."""
    if not django_apps.is_installed("apps.reports"):
        return 0
    handling = django_apps.get_model("reports", "Handling")
    return handling.objects.filter(org__path__prefix=org.path, state__in=list(handling.OPEN_STATES)).count()


def child_kinds(parent: Org) -> list[tuple[str, str]]:
    """What may be added under `parent`."""
    if parent.kind == Org.Kind.INTERNAL:
        return []
    kinds = [(Org.Kind.INTERNAL.value, Org.Kind.INTERNAL.label)]
    if parent.parent_id is None and parent.level == Org.Level.MINISTRY:
        kinds += [(k.value, k.label) for k in (Org.Kind.BUREAU, Org.Kind.MINE_SAFETY, Org.Kind.EMERGENCY)]
    elif parent.kind == Org.Kind.MINE_SAFETY and parent.level in NEXT_LEVEL:
        kinds += [(Org.Kind.MINE_SAFETY.value, Org.Kind.MINE_SAFETY.label)]
    elif parent.kind in (Org.Kind.EMERGENCY, Org.Kind.ZONE) and parent.level in NEXT_LEVEL:
        kinds += [
            (Org.Kind.EMERGENCY.value, Org.Kind.EMERGENCY.label),
            (Org.Kind.ZONE.value, Org.Kind.ZONE.label),
        ]
    return kinds


def child_level(parent: Org, kind: str) -> str:
    if kind in (Org.Kind.INTERNAL, Org.Kind.BUREAU):
        return parent.level
    if kind == Org.Kind.MINE_SAFETY and parent.parent_id is None:
        return Org.Level.MINISTRY
    return NEXT_LEVEL[parent.level]


def fits_under(parent: Org, kind: str, level: str) -> bool:
    """Whether an org of `kind` at `level` may sit under `parent`: the same rule as adding one."""
    if kind not in {value for value, _ in child_kinds(parent)}:
        return False
    return child_level(parent, kind) == level


def _parents_accepting(kind: str, level: str) -> Q:
    """The orgs under which `kind` at `level` fits, as a filter. child_kinds/child_level depend
    only on a parent's kind, level and whether it is the root, so trying each such shape keeps
    this filter and fits_under one rule."""
    accepted = Q(pk__in=[])
    for parent_kind in Org.Kind.values:
        for parent_level in Org.Level.values:
            for is_root in (True, False):
                # parent_id only tells the rule whether this is the root; its value is never read.
                shape = Org(kind=parent_kind, level=parent_level, parent_id=None if is_root else 0)
                if fits_under(shape, kind, level):
                    accepted |= Q(kind=parent_kind, level=parent_level, parent__isnull=is_root)
    return accepted


def region_choices(parent: Org):
    """Regions a new org under `parent` may cover: the regions directly below the parent's."""
    if parent.region_id is None:
        return Region.objects.filter(parent__isnull=True, is_served=True)
    return Region.objects.filter(parent_id=parent.region_id, is_served=True)


def _check_region(parent: Org, region: Region | None) -> None:
    if region is None:
        return
    if parent.region_id is not None and not region.path.startswith(parent.region.path):
        raise ValidationError({"region": "所选行政区划不在上级机构的辖区内。"})


def _snapshot(org: Org) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "region": org.region.name if org.region_id else "",
        "contact_person": org.contact_person,
        "contact_phone": org.contact_phone,
        "address": org.address,
        "industries": sorted(org.industry_scope.values_list("name", flat=True)),
    }


def org_create(
    *,
    actor,
    parent: Org,
    kind: str,
    code: str,
    name: str,
    region: Region | None = None,
    contact_person: str = "",
    contact_phone: str = "",
    address: str = "",
    industries=(),
    request=None,
) -> Org:
    with transaction.atomic():
        parent = Org.objects.select_for_update().get(pk=parent.pk)
        if not can_edit_org(actor, parent):
            raise PermissionDenied("无权在该机构下添加机构。")
        if not parent.is_active:
            raise ValidationError("上级机构已停用，不能添加下级机构。")
        if kind not in {value for value, _ in child_kinds(parent)}:
            raise ValidationError({"kind": "该机构下不能添加此类型的机构。"})
        if kind == Org.Kind.INTERNAL:
            org = create_internal_department(parent, name, code or None)
        else:
            if not code:
                raise ValidationError({"code": "请填写机构代码。"})
            if Org.objects.filter(code=code).exists():
                raise ValidationError({"code": "机构代码已被使用。"})
            _check_region(parent, region)
            org = Org(
                code=code, name=name, kind=kind, level=child_level(parent, kind), parent=parent, region=region
            )
            org.full_clean(exclude=["path", "depth"])
            org.save()
        org.contact_person, org.contact_phone, org.address = contact_person, contact_phone, address
        org.full_clean(exclude=["path", "depth"])
        org.save(update_fields=["contact_person", "contact_phone", "address"])
        if industries and kind in (Org.Kind.BUREAU, Org.Kind.MINE_SAFETY):
            org.industry_scope.set(industries)
        audit_log(
            actor=actor,
            action=audit_actions.ORG_CREATE,
            target=org,
            result="success",
            request=request,
            org=org,
            detail={"parent": parent.name, "kind": org.get_kind_display()},
        )
    return org


def org_update(
    *,
    actor,
    org: Org,
    name: str,
    contact_person: str,
    contact_phone: str,
    address: str,
    code: str | None = None,
    region: Region | None = None,
    industries=None,
    request=None,
) -> Org:
    """Edit an org. Code, region and industry scope change only for orgs strictly below the actor."""
    with transaction.atomic():
        org = Org.objects.select_for_update(of=("self",)).select_related("parent", "region").get(pk=org.pk)
        if not can_edit_org(actor, org):
            raise PermissionDenied("无权修改该机构。")
        before = _snapshot(org)
        org.name, org.contact_person, org.contact_phone, org.address = (
            name,
            contact_person,
            contact_phone,
            address,
        )
        fields = ["name", "contact_person", "contact_phone", "address"]
        below = can_restructure_org(actor, org)
        if below and code and code != org.code:
            if Org.objects.filter(code=code).exclude(pk=org.pk).exists():
                raise ValidationError({"code": "机构代码已被使用。"})
            org.code = code
            fields.append("code")
        if below and org.kind != Org.Kind.INTERNAL and region is not None and region.pk != org.region_id:
            _check_region(org.parent, region)
            org.region = region
            fields.append("region")
        org.full_clean(exclude=["path", "depth"])
        org.save(update_fields=fields)
        if below and industries is not None and org.kind in (Org.Kind.BUREAU, Org.Kind.MINE_SAFETY):
            org.industry_scope.set(industries)
        after = _snapshot(org)
        changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        audit_log(
            actor=actor,
            action=audit_actions.ORG_UPDATE,
            target=org,
            result="success",
            request=request,
            org=org,
            detail={"changed": changed},
        )
    return org


def move_targets(actor, org: Org):
    """Orgs `org` may move under: ones it could have been added under (kind and level, see
    child_kinds), within the actor's subtree, active, and not inside `org` itself. Without the
    kind check a province could go under a 司局, whose admin would then manage its accounts."""
    if org.parent_id is None or not can_restructure_org(actor, org):
        return Org.objects.none()
    root = user_root_org(actor)
    return (
        Org.objects.subtree_of(root)
        .filter(_parents_accepting(org.kind, org.level), is_active=True)
        .exclude(pk=org.parent_id)
        .exclude(path__prefix=org.path)
    )


def org_move(*, actor, org: Org, new_parent: Org, request=None) -> Org:
    with transaction.atomic():
        org = Org.objects.select_for_update(of=("self",)).select_related("parent", "region").get(pk=org.pk)
        new_parent = (
            Org.objects.select_for_update(of=("self",)).select_related("region").get(pk=new_parent.pk)
        )
        if not can_restructure_org(actor, org) or not can_edit_org(actor, new_parent):
            raise PermissionDenied("无权调整该机构。")
        if not fits_under(new_parent, org.kind, org.level):
            raise ValidationError(
                {
                    "new_parent": f"不能调整到该机构下：{new_parent.get_kind_display()}"
                    f"（{new_parent.get_level_display()}）下不能设{org.get_level_display()}"
                    f"{org.get_kind_display()}。"
                }
            )
        if not move_targets(actor, org).filter(pk=new_parent.pk).exists():
            raise ValidationError(
                {"new_parent": "不能调整到该机构下：新上级须已启用，且不能是原上级、本机构或其下级。"}
            )
        if org.kind != Org.Kind.INTERNAL and org.region_id and new_parent.region_id:
            if not org.region.path.startswith(new_parent.region.path):
                raise ValidationError({"new_parent": "本机构的辖区不在新上级机构的辖区内。"})
        stranded = open_handlings_in(org)
        if stranded:
            raise ValidationError(
                f"该机构及其下级还有{stranded}件未办结的举报，调整后将无人跟踪，请办结后再调整。"
            )
        old_parent, old_path = org.parent, org.path
        new_path = Org._path_for(new_parent, org.pk)
        depth_delta = new_parent.depth + 1 - org.depth
        # Rewrite the whole subtree's paths in one statement: descendants keep their tails.
        Org.objects.filter(path__prefix=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_delta,
        )
        Org.objects.filter(pk=org.pk).update(parent=new_parent)
        if org.kind == Org.Kind.INTERNAL:
            Org.objects.filter(pk=org.pk).update(region=new_parent.region)
        org.refresh_from_db()
        audit_log(
            actor=actor,
            action=audit_actions.ORG_MOVE,
            target=org,
            result="success",
            request=request,
            org=org,
            detail={"from": old_parent.name, "to": new_parent.name},
        )
    return org


def org_set_active(*, actor, org: Org, active: bool, request=None) -> Org:
    with transaction.atomic():
        org = Org.objects.select_for_update(of=("self",)).select_related("parent").get(pk=org.pk)
        if not can_restructure_org(actor, org):
            raise PermissionDenied("无权停用或启用该机构。")
        if active:
            if org.parent is not None and not org.parent.is_active:
                raise ValidationError("上级机构已停用，请先启用上级机构。")
        else:
            if Org.objects.filter(parent=org, is_active=True).exists():
                raise ValidationError("该机构还有启用的下级机构或内设机构，请先停用它们。")
            if org.users.filter(is_active=True).exists():
                raise ValidationError("该机构还有启用的用户，请先停用或调出这些用户。")
            stranded = open_handlings_in(org)
            if stranded:
                raise ValidationError(f"该机构还有{stranded}件未办结的举报，请办结后再停用。")
        org.is_active = active
        org.save(update_fields=["is_active"])
        audit_log(
            actor=actor,
            action=audit_actions.ORG_ACTIVATE if active else audit_actions.ORG_DEACTIVATE,
            target=org,
            result="success",
            request=request,
            org=org,
        )
    return org
