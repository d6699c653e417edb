"""用户管理 (第二章 9): thin views over apps.accounts.services, scoped by apps.accounts.permissions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts import services
from apps.accounts.forms import AccountForm, UserFilterForm
from apps.accounts.models import User
from apps.accounts.permissions import (
    account_get_for_manager_or_404,
    accounts_manageable_by,
    assignable_orgs,
)
from apps.accounts.views.admin_common import admin_required, submit_form

PAGE_SIZE = 50


def _account_fields(data) -> dict:
    """The AccountForm fields that creating and editing a user both pass to the service."""
    return {
        "real_name": data["real_name"],
        "mobile": data["mobile"],
        "org": data["org"],
        "role": data["role"],
        "industries": list(data.get("industry_scope") or []),
        "oidc_subject": data["oidc_subject"],
    }


@admin_required
def user_list(request):
    users = accounts_manageable_by(request.user).select_related("org").order_by("org__path", "username")
    form = UserFilterForm(request.GET)
    if form.is_valid():
        users = _filtered(users, form.cleaned_data)
    else:
        users = users.none()  # the errors are shown instead of a list the user did not ask for
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = services.locked_usernames(u.username for u in page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/manage/list.html",
        {
            "page": page,
            "locked": locked,
            "filter_errors": [e for errors in form.errors.values() for e in errors],
            "q": form.data.get("q", "").replace("\x00", ""),
            "org_id": form.data.get("org", ""),
            "role": form.data.get("role", ""),
            "query": query.urlencode(),
            "orgs": assignable_orgs(request.user),
            "roles": User.Role.choices,
        },
    )


def _filtered(users, data: dict):
    if data["q"]:
        users = users.filter(Q(username__icontains=data["q"]) | Q(real_name__icontains=data["q"]))
    if data["org"] is not None:
        users = users.filter(org_id=data["org"])
    if data["role"]:
        users = users.filter(role=data["role"])
    return users


@admin_required
def user_create(request):
    form = AccountForm(request.POST or None, actor=request.user)
    created, result = submit_form(
        request,
        form,
        lambda data: services.account_create(
            actor=request.user, username=data["username"], **_account_fields(data), request=request
        ),
    )
    if created:
        account, temporary = result
        # Rendered, not redirected: the temporary password must not travel in a cookie.
        return render(
            request,
            "accounts/manage/password_issued.html",
            {"account": account, "temporary": temporary, "created": True},
        )
    return render(request, "accounts/manage/form.html", {"form": form, "account": None})


@admin_required
def user_edit(request, pk):
    account = account_get_for_manager_or_404(request.user, pk)
    initial = {
        "username": account.username,
        "real_name": account.real_name,
        "mobile": account.mobile,
        "org": account.org,
        "role": account.role,
        "industry_scope": list(account.industry_scope.all()),
        "oidc_subject": account.oidc_subject or "",
    }
    form = AccountForm(request.POST or None, actor=request.user, account=account, initial=initial)
    saved, _ = submit_form(
        request,
        form,
        lambda data: services.account_update(
            actor=request.user, account=account, **_account_fields(data), request=request
        ),
    )
    if saved:
        messages.success(request, f"用户“{account.real_name}”已保存。")
        return redirect("sysadmin:user_list")
    return render(
        request,
        "accounts/manage/form.html",
        {"form": form, "account": account, "locked": services.account_is_locked(account)},
    )


@admin_required
@require_POST
def user_action(request, pk, action):
    account = account_get_for_manager_or_404(request.user, pk)
    try:
        if action == "disable":
            services.account_set_active(actor=request.user, account=account, active=False, request=request)
            messages.success(request, f"用户“{account.real_name}”已停用。")
        elif action == "enable":
            services.account_set_active(actor=request.user, account=account, active=True, request=request)
            messages.success(request, f"用户“{account.real_name}”已启用。")
        elif action == "unlock":
            services.account_unlock(actor=request.user, account=account, request=request)
            messages.success(request, f"用户“{account.real_name}”已解锁。")
        elif action == "reset-password":
            temporary = services.account_reset_password(actor=request.user, account=account, request=request)
            return render(
                request,
                "accounts/manage/password_issued.html",
                {"account": account, "temporary": temporary, "created": False},
            )
        else:
            messages.error(request, "不支持的操作。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("sysadmin:user_edit", pk=account.pk)
