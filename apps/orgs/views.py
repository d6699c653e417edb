"""机构管理 (第二章 9): browse the tree one level at a time (a ministry administrator's subtree
holds thousands of orgs), search it, and call apps.orgs.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from apps.accounts.views.admin_common import admin_required, submit_form
from apps.orgs import actions
from apps.orgs.forms import OrgCreateForm, OrgEditForm, OrgFilterForm, OrgMoveForm
from apps.orgs.models import Org
from apps.orgs.scoping import org_get_for_user_or_404, orgs_within, user_root_org

PAGE_SIZE = 50


@admin_required
def org_list(request):
    root = user_root_org(request.user)
    parent_id = request.GET.get("parent") or ""
    current = org_get_for_user_or_404(request.user, parent_id) if parent_id else root
    form = OrgFilterForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if q:
        orgs = orgs_within(request.user).filter(Q(name__icontains=q) | Q(code__icontains=q))
    elif form.errors:
        orgs = Org.objects.none()  # the errors are shown instead of a list the user did not ask for
    else:
        orgs = Org.objects.filter(parent=current)
    orgs = orgs.select_related("region").annotate(child_count=Count("children")).order_by("kind", "code")
    page = Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page"))
    breadcrumbs = [o for o in current.ancestors(include_self=True) if o.is_within(root)]
    return render(
        request,
        "orgs/list.html",
        {
            "current": current,
            "root": root,
            "page": page,
            "q": q,
            "filter_errors": [e for errors in form.errors.values() for e in errors],
            "breadcrumbs": breadcrumbs,
            "query": urlencode({"parent": current.pk, "q": q} if q else {"parent": current.pk}),
            "can_add": current.is_active and bool(actions.child_kinds(current)),
            "can_restructure_current": actions.can_restructure_org(request.user, current),
        },
    )


@admin_required
def org_create(request):
    parent = org_get_for_user_or_404(request.user, request.GET.get("parent") or request.POST.get("parent"))
    if not actions.child_kinds(parent) or not parent.is_active:
        raise Http404("不能在该机构下添加机构")
    form = OrgCreateForm(request.POST or None, parent=parent)
    created, org = submit_form(
        request,
        form,
        lambda data: actions.org_create(
            actor=request.user,
            parent=parent,
            kind=data["kind"],
            code=data["code"],
            name=data["name"],
            region=data.get("region"),
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            address=data["address"],
            industries=list(data.get("industry_scope") or []),
            request=request,
        ),
    )
    if created:
        messages.success(request, f"机构“{org.name}”已添加。")
        return redirect(f"{_list_url()}?parent={parent.pk}")
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "org": None})


def _list_url():
    from django.urls import reverse

    return reverse("sysadmin:org_list")


@admin_required
def org_edit(request, pk):
    org = org_get_for_user_or_404(request.user, pk)
    initial = {
        "code": org.code,
        "name": org.name,
        "region": org.region,
        "contact_person": org.contact_person,
        "contact_phone": org.contact_phone,
        "address": org.address,
        "industry_scope": list(org.industry_scope.all()),
    }
    form = OrgEditForm(request.POST or None, actor=request.user, org=org, initial=initial)
    saved, _ = submit_form(
        request,
        form,
        lambda data: actions.org_update(
            actor=request.user,
            org=org,
            name=data["name"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            address=data["address"],
            code=data.get("code"),
            region=data.get("region"),
            industries=list(data["industry_scope"]) if "industry_scope" in form.fields else None,
            request=request,
        ),
    )
    if saved:
        messages.success(request, f"机构“{form.cleaned_data['name']}”已保存。")
        return redirect(f"{_list_url()}?parent={org.parent_id or org.pk}")
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "org": org,
            "parent": org.parent,
            "can_restructure": actions.can_restructure_org(request.user, org),
            "user_count": org.users.filter(is_active=True).count(),
        },
    )


@admin_required
def org_move(request, pk):
    org = org_get_for_user_or_404(request.user, pk)
    if not actions.can_restructure_org(request.user, org):
        raise Http404("机构不存在")
    form = OrgMoveForm(request.POST or None, actor=request.user, org=org)
    moved, _ = submit_form(
        request,
        form,
        lambda data: actions.org_move(
            actor=request.user, org=org, new_parent=data["new_parent"], request=request
        ),
    )
    if moved:
        new_parent = form.cleaned_data["new_parent"]
        messages.success(request, f"机构“{org.name}”已调整到“{new_parent.name}”下。")
        return redirect(f"{_list_url()}?parent={new_parent.pk}")
    return render(request, "orgs/move.html", {"form": form, "org": org})


@admin_required
@require_POST
def org_set_active(request, pk, action):
    org = org_get_for_user_or_404(request.user, pk)
    if not actions.can_restructure_org(request.user, org) or action not in ("deactivate", "activate"):
        raise Http404("机构不存在")
    try:
        actions.org_set_active(actor=request.user, org=org, active=action == "activate", request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"机构“{org.name}”已{'启用' if action == 'activate' else '停用'}。")
    return redirect("sysadmin:org_edit", pk=org.pk)
