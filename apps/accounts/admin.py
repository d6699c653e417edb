from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.admin import ViewOnlyAdminMixin


def _admin_login(request, extra_context=None):
    """The Django admin's own password-only login would skip the captcha and the SMS code:
    send everyone through the staff login instead."""
    if request.user.is_authenticated:
        raise PermissionDenied("该账号无权使用管理后台。")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("login"))


admin.site.login = _admin_login


@admin.register(User)
class UserAdmin(ViewOnlyAdminMixin, DjangoUserAdmin):
    """View only: accounts change through 用户管理 (apps.accounts.services), which audits every
    change and refuses role escalation."""

    list_display = ["username", "real_name", "org", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "real_name", "mobile"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("基本信息", {"fields": ("real_name", "mobile", "org", "role", "oidc_subject", "industry_scope")}),
        (
            "状态",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "must_change_password",
                    "password_changed_at",
                )
            },
        ),
    )
    add_fieldsets = ((None, {"fields": ("username", "real_name", "org", "role", "password1", "password2")}),)
    autocomplete_fields = ["org"]
    filter_horizontal = ["industry_scope"]
